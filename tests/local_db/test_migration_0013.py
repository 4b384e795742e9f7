"""Migration 0013 (gift cards a sale sold and paid with): a till database of schema 0012 keeps
its sales exactly, each read back with no gift cards; the next sale sells one and keeps it;
the migration can be undone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config

from local_db.database import MIGRATIONS, SCHEMA_HEAD, open_database, schema_version
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from pos.gift_cards.selling import sell_gift_card
from tests.local_db.conftest import TILL_ID, make_sql_till
from tests.local_db.old_tills import make_old_till

GIFT_TABLES = {"sale_gift_cards_sold", "sale_gift_card_payments"}


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_the_sales_of_a_schema_0012_till_read_back_alike_and_the_next_sale_keeps_its_gift_card(tmp_path: Path) -> None:
    old = make_old_till(tmp_path / "till.sqlite3", "0012")
    assert not GIFT_TABLES & _tables(old.path)
    with open_database(old.path) as db:
        assert schema_version(db) == SCHEMA_HEAD and GIFT_TABLES <= _tables(old.path)
        journal = SqlJournal(db, TILL_ID)
        for sale in old.sales:
            read = journal.get_sale(sale.sale_id)
            assert read == sale and read.gift_cards_sold == () and read.gift_card_payments == ()
        till = make_sql_till(journal)
        till.start()  # the basket the old till left open
        till.sign_in("1", "1234")
        sell_gift_card(till, "9900123456789017", "500")
        sale = till.pay_cash("").sale
        assert sale is not None and journal.get_sale(sale.sale_id) == sale
        assert [g.card_number for g in sale.gift_cards_sold] == ["9900123456789017"]
        assert journal_check(db) == []


def test_migration_0013_can_be_undone(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_database(path) as db:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with db.writing() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0012")
    assert not GIFT_TABLES & _tables(path)
    with sqlite3.connect(path) as conn:
        assert not conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sale_gift%'").fetchall()
