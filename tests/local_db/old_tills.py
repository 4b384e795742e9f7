"""Till databases as an older Kassa left them: a file migrated only up to an earlier schema,
then used the way a till uses it (a catalog, cashiers, sales in the journal with their
outbox rows and print jobs, an open basket; from 0002 the hub's sync state, an acknowledged
and a quarantined sale; from 0005 the sign-in audit; from 0007 a store's day: a shift, a cash
movement, a return, a card payment in flight), and ways to compare every row."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from alembic import command
from alembic.config import Config

from local_db.catalog import load_products
from local_db.cashiers import add_cashier
from local_db.database import MIGRATIONS, Database, _make_engine, migration_order
import local_db.journal
from local_db.journal import SqlJournal
from pos.sale import Sale
from tests.fakes import APPLES, CREAM, SHAMPOO, STORE, VAT_A, VAT_B, VAT_E, VITAMINS
from tests.local_db.conftest import TILL_ID, make_sql_till, sell

EARLIER_SCHEMAS = migration_order()[:-1]  # 0001 ... head-1
PRODUCTS = (SHAMPOO, CREAM, VITAMINS, APPLES)


def migrate(db: Database, revision: str, *, location: Path = MIGRATIONS) -> None:
    config = Config()
    config.set_main_option("script_location", str(location))
    with db.writing() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


@dataclass(frozen=True)
class OldTill:
    path: Path
    schema: str
    sales: tuple[Sale, ...]


@contextmanager
def journal_of_schema(schema: str) -> Iterator[None]:
    """Today's journal, writing its outbox rows as the Kassa of ``schema`` did: before 0007 a
    row named only its sale (``sale_id, kind, payload, created_at``); and its sales as before
    0012 (no pricing columns, no line discounts) or before 0013 (no gift card tables)."""
    with _sales_of_schema(schema):
        if schema >= "0007":
            yield
            return
        with _outbox_of_schema():
            yield


@contextmanager
def _sales_of_schema(schema: str) -> Iterator[None]:
    if schema >= "0013":
        yield
        return
    import local_db.store_day_journal
    from tests.local_db import sale_rows_before_0012, sale_rows_before_0013

    old = sale_rows_before_0012 if schema < "0012" else sale_rows_before_0013  # 0012: no gift card tables

    saved = (local_db.journal.write_sale, local_db.journal.read_sale, local_db.store_day_journal.read_sale)
    local_db.journal.write_sale, local_db.journal.read_sale = old.write_sale, old.read_sale
    local_db.store_day_journal.read_sale = old.read_sale
    try:
        yield
    finally:
        local_db.journal.write_sale, local_db.journal.read_sale, local_db.store_day_journal.read_sale = saved


@contextmanager
def _outbox_of_schema() -> Iterator[None]:

    def add_message(conn, sale_id: uuid.UUID, kind: str, payload: str, created_at: str) -> None:  # noqa: ANN001
        conn.exec_driver_sql("INSERT INTO outbox (sale_id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
                             (str(sale_id), kind, payload, created_at))

    today = local_db.journal.add_message
    local_db.journal.add_message = add_message
    try:
        yield
    finally:
        local_db.journal.add_message = today


def make_old_till(path: Path, schema: str) -> OldTill:
    """A till database at ``schema`` with a day's worth of realistic data in it."""
    with Database(_make_engine(path, 3000), path) as db, journal_of_schema(schema):
        migrate(db, schema)
        load_products(db, PRODUCTS, [VAT_A, VAT_B, VAT_E])
        add_cashier(db, "7", "Олена", "4321")
        add_cashier(db, "8", "Rəşad", "98765")
        journal = SqlJournal(db, TILL_ID)
        till = make_sql_till(journal)
        sales = (
            sell(till, SHAMPOO.barcode, "2*" + CREAM.barcode, tendered="300"),
            sell(till, "0.350*" + APPLES.code),
            sell(till, VITAMINS.barcode, SHAMPOO.barcode),
            sell(till, CREAM.barcode),
        )
        till.scan(SHAMPOO.barcode)  # a basket left open when the till was closed
        with db.writing() as conn:
            conn.exec_driver_sql("UPDATE print_jobs SET printed_at = '2026-12-02T08:30:00+00:00' WHERE job_id = 1")
            if schema >= "0002":
                conn.exec_driver_sql(
                    "INSERT INTO sync_state (key, value) VALUES ('store_id', ?), ('till_id', ?), "
                    "('hub_url', 'https://hub.example'), ('last_pull_at', '2026-12-01T18:00:00+00:00')",
                    (STORE.store_id, TILL_ID),
                )
                conn.exec_driver_sql("INSERT INTO sync_cursors VALUES ('products', '40', '41', "
                                     "'2026-12-01T18:00:00+00:00')")
                row = "row_id" if schema >= "0006" else "seq"
                conn.exec_driver_sql(f"UPDATE outbox SET acked_at = '2026-12-02T09:00:00+00:00' WHERE {row} = 1")
                conn.exec_driver_sql("UPDATE outbox SET quarantined_at = '2026-12-02T09:01:00+00:00', "
                                     f"quarantine_reason = 'schema: bad', attempts = 3 WHERE {row} = 3")
            if schema >= "0005":
                conn.exec_driver_sql("INSERT INTO sign_in_attempts (at, cashier_code, outcome) "
                                     "VALUES ('2026-12-02T08:00:00+00:00', '7', 'wrong_pin')")
        if schema >= "0007":
            store_day(db, sales)
    return OldTill(path, schema, sales)


def store_day(db: Database, sales: tuple[Sale, ...]) -> None:
    """From 0007: a shift with a cash movement, a return of the first sale, an approval and a
    card payment still in flight (the Z is not made: the shift is left open, as at a crash)."""
    from local_db.card_payment_log import SqlCardPaymentLog
    from local_db.store_day_journal import SqlStoreDay
    from pos.card_payments import PendingCardPayment
    from pos.store_day.roles import DEFAULT_TABLE
    from pos.store_day.shift import CASH_IN
    from tests.local_db.store_day_builders import give_back, open_shift
    from tests.pos.store_day.day import MANAGER, at, money

    store = SqlStoreDay(db, TILL_ID)
    shift = open_shift(store, store_id=STORE.store_id)
    store.record_cash_movement(shift.move_cash(CASH_IN, money("50"), "change", MANAGER, at(1), DEFAULT_TABLE))
    store.record_return(give_back(store, sales[0], {sales[0].lines[0].line_id: Decimal(1)}))
    SqlCardPaymentLog(db).remember(PendingCardPayment(uuid.UUID(int=7), money("12.00")))


Rows = dict[str, list[tuple[object, ...]]]


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def table_columns(path: Path) -> dict[str, list[str]]:
    """Each ordinary table's columns (the search index's shadow tables left out; the outbox
    without its row number, renamed from ``seq`` to ``row_id`` in 0006)."""
    conn = _read_only(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'product_search%' AND name != 'alembic_version' ORDER BY name")]
        return {name: [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')
                       if not (name == "outbox" and r[1] in ("seq", "row_id"))] for name in names}
    finally:
        conn.close()


def table_rows(path: Path, columns: dict[str, list[str]] | None = None) -> Rows:
    """Every row of every table in ``columns`` (default: all of the file's), only those columns."""
    columns = table_columns(path) if columns is None else columns
    conn = _read_only(path)
    try:
        return {name: sorted(conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in listed)} '
                                          f'FROM "{name}"').fetchall(), key=repr)
                for name, listed in columns.items()}
    finally:
        conn.close()


def schema_text(path: Path) -> list[tuple[object, ...]]:
    """The file's tables, indexes and triggers as SQLite keeps them."""
    conn = _read_only(path)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()
