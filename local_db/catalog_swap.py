"""A big pull (the first one, or one changing products, prices or barcodes of a fifth of the
catalog) builds the new catalog beside the live one and swaps it in.

The till goes on selling from the live catalog all the while.  ``next_products``,
``next_barcodes`` and ``next_product_search`` are filled from the live catalog and the
staged rows in short background transactions of a few thousand rows, each of which gives
way to the till's own writes (a sale, the open basket), so a cashier never waits for more
than one of them.  The swap is one short transaction: the old tables are renamed out of the
way (``old_*``), the new ones renamed in, the search triggers recreated, VAT rates and
cashiers applied, the staged rows that were used removed and the cursors moved.  The old
tables are then emptied a chunk at a time and dropped.  A crash or error before the swap
leaves the live catalog and the staged rows as they were; the half-built tables (or an old
catalog not yet dropped) are dropped by the next apply (:func:`drop_unfinished`).

Only new VAT codes go into ``vat_rates`` before the swap (the new products refer to them);
no live product uses a new code, so selling does not see them.  Changed and removed rates
wait for the swap.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from local_db import catalog_changes as changes
from local_db.database import BulkWriter, Database

log = logging.getLogger(__name__)

CHUNK = 10_000  # rows per background transaction: tens of milliseconds
CACHE_KIB = 256 * 1024  # the builder's page cache: a million-row B-tree fits
NEXT = "next_"
BARCODE_INDEX = "barcodes_by_product"
STAGED = ("staged_products", "staged_prices", "staged_barcodes")


@dataclass(frozen=True, slots=True)
class Schema:
    """The live catalog's DDL, read from the file itself, so the new tables are exactly alike."""

    products: str
    barcodes: str
    search: str
    triggers: tuple[str, ...]
    staged: dict[str, str]

    @classmethod
    def read(cls, conn: Connection) -> Schema:
        ddl = {str(name): str(text) for name, text in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")}
        triggers = tuple(str(text) for (text,) in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products' ORDER BY name"))
        return cls(ddl["products"], ddl["barcodes"], ddl["product_search"], triggers,
                   {table: ddl[table] for table in STAGED})


def renamed(ddl: str, old: str, new: str) -> str:
    """``CREATE [VIRTUAL] TABLE old`` of ``ddl`` as ``new``; nothing else in it changes."""
    text, count = re.subn(rf"^(CREATE (?:VIRTUAL )?TABLE )\"?{old}\"?(?=[\s(])", rf"\g<1>{new}", ddl.strip())
    if count != 1:
        raise ValueError(f"unexpected DDL for {old}: {ddl[:60]!r}")
    return text


def drop_unfinished(bulk: BulkWriter, chunk: int = CHUNK) -> None:
    """Drop what an interrupted build left (and the old catalog, if the till stopped before
    it was dropped), and give the live barcodes their index back."""
    drop_old(bulk, chunk)
    with bulk.transaction() as conn:
        for table in ("next_product_search", "next_barcodes", "next_products", *(NEXT + t for t in STAGED)):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        has_index = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (BARCODE_INDEX,)).first()
        if not has_index:
            conn.exec_driver_sql(f"CREATE INDEX {BARCODE_INDEX} ON barcodes (product_code)")


# the old catalog's tables after a swap, with the key to empty each by and the rows to keep
# (dropping a table of a million rows in one go would keep a sale waiting for seconds).  The
# search index's own records (ids up to 10 of its _data table: averages, structure) stay, so
# SQLite can still open it to drop it.
_OLD = {"old_product_search_data": ("id", "id > 10"), "old_product_search_docsize": ("id", "TRUE"),
        "old_barcodes": ("gtin", "TRUE"), "old_products": ("product_id", "TRUE")}


def drop_old(bulk: BulkWriter, chunk: int = CHUNK) -> None:
    """Empty the old catalog's tables a chunk at a time, then drop them."""
    started = time.perf_counter()
    with bulk.transaction() as conn:
        present = {str(name) for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name LIKE 'old\\_%' ESCAPE '\\'")}
    for table, (key, rows) in _OLD.items():
        gone = 1 if table in present else 0
        while gone:
            with bulk.transaction() as conn:
                gone = conn.exec_driver_sql(f"DELETE FROM {table} WHERE {key} IN "
                                            f"(SELECT {key} FROM {table} WHERE {rows} LIMIT {int(chunk)})").rowcount
    with bulk.transaction() as conn:
        for table in ("old_product_search", "old_barcodes", "old_products"):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    log.debug("%.2f s: the old catalog dropped", time.perf_counter() - started)


def unfinished(conn: Connection) -> bool:
    """Whether a build was cut short (the till killed, the disk full) and left its tables,
    or the till stopped before the old catalog was dropped."""
    return conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name LIKE 'next\\_%' "
                                "ESCAPE '\\' OR name LIKE 'old\\_%' ESCAPE '\\')").scalar_one() == 1


def clean_up(db: Database) -> None:
    with db.bulk_writing(cache_kib=2000) as bulk:
        drop_unfinished(bulk)


def build_and_swap(db: Database, finish: list[tuple[str, Any]], *, chunk: int = CHUNK) -> None:
    """Build the new catalog from the live one and the staged rows, then swap it in with the
    statements of ``finish`` (cursors, sync state) in the same transaction."""
    started = time.perf_counter()
    with db.bulk_writing(cache_kib=CACHE_KIB) as bulk:
        drop_unfinished(bulk, chunk)
        try:
            with bulk.transaction() as conn:
                schema = Schema.read(conn)
                _create_next_tables(conn, schema)
            _fill(bulk, chunk)
            built = time.perf_counter()
            with bulk.durable_transaction() as conn:
                _swap(conn, schema, finish)
        except BaseException:
            log.warning("the new catalog was not finished; the till keeps the one it has", exc_info=True)
            try:
                drop_unfinished(bulk, chunk)
            except Exception:  # the first error is the one to report; the next build retries this
                log.exception("could not drop the unfinished catalog")
            raise
        swapped = time.perf_counter()
        drop_old(bulk, chunk)  # if this stops half-way, the next apply finishes it (unfinished)
    log.info("catalog built beside the live one in %.1f s, swapped in %.2f s, the old one dropped in %.1f s",
             built - started, swapped - built, time.perf_counter() - swapped)


def _create_next_tables(conn: Connection, schema: Schema) -> None:
    conn.exec_driver_sql(renamed(schema.products, "products", "next_products"))
    barcodes = renamed(schema.barcodes, "barcodes", "next_barcodes")
    conn.exec_driver_sql(re.sub(r"REFERENCES\s+\"?products\"?", "REFERENCES next_products", barcodes))
    conn.exec_driver_sql(renamed(schema.search, "product_search", "next_product_search"))
    # the search index is written in chunks: merging eight segments at a time merges less often
    conn.exec_driver_sql("INSERT INTO next_product_search (next_product_search, rank) VALUES ('automerge', 8)")
    for table, ddl in schema.staged.items():
        conn.exec_driver_sql(renamed(ddl, table, NEXT + table))
    # only codes that are new: no live product uses them yet (see the module's note)
    conn.exec_driver_sql("INSERT INTO vat_rates (code, percent) SELECT code, percent FROM staged_taxes "
                         "WHERE deleted = 0 AND code NOT IN (SELECT code FROM vat_rates)")


@dataclass(frozen=True, slots=True)
class Step:
    """One statement, run over ``table`` one ``key`` range at a time (or once, without a
    table), unless ``needed`` (a query answering 0 or 1) says there is nothing for it to do."""

    statement: str
    table: str = ""
    key: str = ""
    needed: str = ""


_NEXT = {"products": "next_products", "barcodes": "next_barcodes", "ranged": True}
_ANY_DELETED = "SELECT EXISTS (SELECT 1 FROM staged_products WHERE deleted = 1)"
NEW_PRODUCTS = Step(changes.sql(changes.NEW_PRODUCTS, **_NEXT), "staged_products", "code")
NEW_BARCODES = Step(changes.sql(changes.NEW_BARCODES, **_NEXT), "staged_barcodes", "gtin")
# Rows go in in the order of the table they go to (or of its unique index), so a chunk
# touches few pages; the barcodes' index by product is built once they are all in.  Foreign
# keys are not enforced on the builder's connection: the statements keep them.
STEPS = (
    Step("INSERT INTO next_products SELECT * FROM products WHERE product_id > ? AND product_id <= ?",
         "products", "product_id"),
    Step("INSERT INTO next_barcodes SELECT * FROM barcodes WHERE gtin > ? AND gtin <= ?", "barcodes", "gtin"),
    Step("DELETE FROM next_barcodes WHERE product_code IN (SELECT code FROM staged_products WHERE deleted = 1) "
         "AND gtin > ? AND gtin <= ?", "next_barcodes", "gtin", _ANY_DELETED),  # what the cascade does in place
    Step(changes.sql(changes.DELETED_PRODUCTS, **_NEXT), "staged_products", "code", _ANY_DELETED),
    Step(changes.sql(changes.NEW_PRICES, **_NEXT), "staged_prices", "product_code",
         "SELECT EXISTS (SELECT 1 FROM next_products)"),
    NEW_PRODUCTS,
    # reads the live barcodes by product: before their index is lent to next_barcodes below
    Step(changes.sql(changes.LOST_MAIN_BARCODES, **_NEXT), "staged_barcodes", "gtin",
         "SELECT EXISTS (SELECT 1 FROM products)"),
    Step(changes.sql(changes.DELETED_BARCODES, **_NEXT), "staged_barcodes", "gtin",
         "SELECT EXISTS (SELECT 1 FROM staged_barcodes WHERE deleted = 1)"),
    NEW_BARCODES,
    # the live barcodes lend their index's name to the new ones: only a pull writes barcodes,
    # and this is the only pull running (drop_unfinished gives it back if the build stops)
    Step(f"DROP INDEX IF EXISTS {BARCODE_INDEX}"),
    Step(f"CREATE INDEX {BARCODE_INDEX} ON next_barcodes (product_code)"),
    # a new product's main barcode is right from the start (NEW_PRODUCTS): only products the
    # live catalog had can have lost theirs
    Step(changes.sql(changes.MAIN_BARCODES, **_NEXT), "staged_barcodes", "product_code",
         "SELECT EXISTS (SELECT 1 FROM products)"),
    Step("INSERT INTO next_product_search (rowid, name, brand, code, plain_spelling) SELECT product_id, name, "
         "brand, code, plain_spelling FROM next_products WHERE product_id > ? AND product_id <= ?",
         "next_products", "product_id"),
    # what was staged but could not be used yet is kept for the next pull
    Step("INSERT INTO next_staged_products SELECT sp.* FROM staged_products AS sp WHERE NOT ("
         + changes.sql(changes.APPLIED_PRODUCTS, products="next_products") + ") AND sp.code > ? AND sp.code <= ?",
         "staged_products", "code",  # each product applied was one row of NEW_PRODUCTS
         "SELECT (SELECT count(*) FROM staged_products WHERE deleted = 0) > {applied_products}"),
    Step("INSERT INTO next_staged_prices SELECT * FROM staged_prices WHERE NOT ("
         + changes.sql(changes.APPLIED_PRICES, products="next_products") + ") AND product_code > ? "
         "AND product_code <= ?", "staged_prices", "product_code"),
    Step("INSERT INTO next_staged_barcodes SELECT * FROM staged_barcodes WHERE NOT ("
         + changes.sql(changes.APPLIED_BARCODES, products="next_products") + ") AND gtin > ? AND gtin <= ?",
         "staged_barcodes", "gtin",  # each barcode applied was one row of NEW_BARCODES
         "SELECT (SELECT count(*) FROM staged_barcodes WHERE deleted = 0) > {applied_barcodes}"),
)


def _fill(bulk: BulkWriter, chunk: int) -> None:
    applied = {"applied_products": 0, "applied_barcodes": 0}
    for step in STEPS:
        started = time.perf_counter()
        if step.needed:
            with bulk.transaction() as conn:
                if not conn.exec_driver_sql(step.needed.format(**applied)).scalar_one():
                    continue
        rows = 0
        if not step.table:
            with bulk.transaction() as conn:
                conn.exec_driver_sql(step.statement)
        for low, high in _ranges(bulk, step.table, step.key, chunk) if step.table else ():
            with bulk.transaction() as conn:
                rows += conn.exec_driver_sql(step.statement, (low, high)).rowcount
        if step is NEW_PRODUCTS:
            applied["applied_products"] = rows
        elif step is NEW_BARCODES:
            applied["applied_barcodes"] = rows
        log.debug("%.2f s, %d rows: %s", time.perf_counter() - started, rows, step.statement[:70])


def _ranges(bulk: BulkWriter, table: str, key: str, chunk: int) -> Iterator[tuple[Any, Any]]:
    """(lower excluded, upper included] ranges of ``key`` over ``table``, ``chunk`` rows each."""
    with bulk.transaction() as conn:  # a read; done on the builder's connection to use its cache
        bounds = [row[0] for row in conn.exec_driver_sql(
            f"SELECT {key} FROM (SELECT {key}, row_number() OVER (ORDER BY {key}) AS n FROM {table}) "
            f"WHERE n % {int(chunk)} = 0 OR n = (SELECT count(*) FROM {table})")]
    low: Any = -1 if key == "product_id" else ""
    for high in bounds:
        yield low, high
        low = high


def _swap(conn: Connection, schema: Schema, finish: list[tuple[str, Any]]) -> None:
    conn.exec_driver_sql(changes.NEW_VAT_RATES)
    conn.exec_driver_sql(changes.CASHIERS)
    # the old tables are renamed out of the way (their triggers dropped: recreated below on
    # the new products) and dropped after this transaction, a chunk at a time
    for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products'").all():
        conn.exec_driver_sql(f"DROP TRIGGER {name}")
    for table in ("products", "barcodes", "product_search"):
        conn.exec_driver_sql(f"ALTER TABLE {table} RENAME TO old_{table}")
    for table in ("products", "barcodes", "product_search"):
        conn.exec_driver_sql(f"ALTER TABLE {NEXT}{table} RENAME TO {table}")
    for trigger in schema.triggers:
        conn.exec_driver_sql(trigger)
    conn.exec_driver_sql("INSERT INTO product_search (product_search, rank) VALUES ('automerge', 4)")  # the default
    conn.exec_driver_sql(changes.REMOVED_VAT_RATES)
    for table in ("staged_taxes", "staged_cashiers", *STAGED):
        conn.exec_driver_sql(f"DELETE FROM {table}")
    for table in STAGED:
        conn.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM {NEXT}{table}")
        conn.exec_driver_sql(f"DROP TABLE {NEXT}{table}")
    for statement, parameters in finish:
        conn.exec_driver_sql(statement, parameters)
