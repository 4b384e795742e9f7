"""Migration 0007 (the store's day): a till database of schema 0006 keeps every outbox row,
in order, each now naming its document (document_id = sale_id, series "receipt", number =
receipt number) with its acknowledgement, attempts and quarantine as they were; the new
series start at 1 beside the receipt counter; the migration can be undone."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

from alembic import command
from alembic.config import Config

from local_db.database import MIGRATIONS, SCHEMA_HEAD, open_database, schema_version
from local_db.journal_check import journal_check
from local_db.outbox import OutboxCounts, SqlOutbox
from local_db.store_day_journal import SqlStoreDay
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import CASH_IN
from tests.local_db.conftest import TILL_ID
from tests.local_db.old_tills import make_old_till, table_rows
from tests.local_db.store_day_builders import UAH, give_back, open_shift
from tests.pos.store_day.day import MANAGER, at, money

OLD_COLUMNS = ["row_id", "sale_id", "kind", "payload", "created_at", "acked_at", "attempts", "last_error",
               "quarantined_at", "quarantine_reason"]


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_an_outbox_of_schema_0006_names_each_sales_document_and_keeps_everything_else(tmp_path: Path) -> None:
    old = make_old_till(tmp_path / "till.sqlite3", "0006")
    before = _rows(old.path, f"SELECT {', '.join(OLD_COLUMNS)} FROM outbox ORDER BY row_id")
    receipts = dict(_rows(old.path, "SELECT sale_id, receipt_number FROM sales"))

    with open_database(old.path) as db:
        assert schema_version(db) == SCHEMA_HEAD
        assert _rows(old.path, f"SELECT {', '.join(OLD_COLUMNS)} FROM outbox ORDER BY row_id") == before
        assert _rows(old.path, "SELECT document_id, sale_id, series, number FROM outbox ORDER BY row_id") == [
            (row[1], row[1], "receipt", receipts[row[1]]) for row in before]
        outbox = SqlOutbox(db)
        assert outbox.counts() == OutboxCounts(waiting=2, quarantined=1, acknowledged=1)
        assert [m.seq for m in outbox.pending_messages()] == [2, 4]

        store = SqlStoreDay(db, TILL_ID)  # the new series begin at 1; the receipts go on
        shift = open_shift(store, store_id=old.sales[0].store_id)
        returned = store.record_return(give_back(store, old.sales[0], {old.sales[0].lines[0].line_id: Decimal(1)}))
        assert returned.return_number == 1 and store.sales.next_receipt_number() == 5
        reopened = store.current_shift(UAH)
        assert reopened is not None and reopened.shift_id == shift.shift_id
        assert outbox.counts() == OutboxCounts(waiting=4, quarantined=1, acknowledged=1)
        assert [m.seq for m in outbox.pending_messages()] == [2, 4]  # the sale side sees only sales
        assert journal_check(db) == []


def test_a_store_day_of_schema_0007_is_kept_by_reopening_and_a_restarted_till_finds_its_open_shift(
        tmp_path: Path) -> None:
    old = make_old_till(tmp_path / "till.sqlite3", "0007")
    before = table_rows(old.path)
    with open_database(old.path) as db:  # upgraded past 0007: every row kept, each cashier a plain cashier
        after = table_rows(old.path)
        assert {row[-1] for row in after["cashiers"]} == {"cashier"}
        after["cashiers"] = [row[:-1] for row in after["cashiers"]]
        assert {row[-4:] for row in after["sales"]} == {("", "[]", 0, 0)}  # 0012: no customer, codes, points
        after["sales"] = [row[:-4] for row in after["sales"]]
        assert {table: after[table] for table in before} == before
        store = SqlStoreDay(db, TILL_ID)
        shift = store.current_shift(UAH)
        assert shift is not None and [m.number for m in shift.movements] == [1]
        assert store.already_returned(old.sales[0].sale_id) == {old.sales[0].lines[0].line_id: Decimal(1)}
        assert SqlOutbox(db).counts().waiting == 2 + 3  # two sales, the shift opening, the movement, the return
        assert journal_check(db) == []


def test_migration_0007_can_be_undone_keeping_the_sales_outbox_rows(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    old = make_old_till(path, SCHEMA_HEAD)
    sales_rows = _rows(path, "SELECT row_id, sale_id, kind, payload, acked_at, quarantined_at FROM outbox "
                             "WHERE series = 'receipt' ORDER BY row_id")
    with open_database(path) as db:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with db.writing() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
        assert schema_version(db) == "0006"
    assert _rows(path, "SELECT row_id, sale_id, kind, payload, acked_at, quarantined_at FROM outbox "
                       "ORDER BY row_id") == sales_rows
    assert not _rows(path, "SELECT name FROM sqlite_master WHERE name IN ('returns', 'shifts', 'card_payments')")
    with open_database(path) as db:  # and up again
        assert schema_version(db) == SCHEMA_HEAD and len(old.sales) == 4
        assert SqlStoreDay(db, TILL_ID).current_shift(UAH) is None
        store = SqlStoreDay(db, TILL_ID)
        movement = open_shift(store, store_id=old.sales[0].store_id).move_cash(
            CASH_IN, money("1"), "change", MANAGER, at(1), DEFAULT_TABLE)
        assert store.record_cash_movement(movement).number == 1  # the counters came back from 1
