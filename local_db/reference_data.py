"""The hub's reference data in the till database: staging a pull's pages, then applying
them to the catalog and cashiers atomically.

``stage`` upserts one page into a ``staged_*`` table (newest version of each key wins; a
short background write transaction per page, which gives way to the till's own writes, so
selling goes on while a pull runs).  ``apply`` changes the catalog and advances the cursors
in one transaction: either the whole pull is in the catalog or none of it is.  A delta is
applied in place; a big pull (the first, or a fifth of the catalog's rows) is built beside the
live catalog in short transactions and swapped in (``local_db.catalog_swap``), so the till
is never kept from writing a sale for longer than one of those.

The hub sends products and prices as separate datasets; the till's ``products`` row needs
both.  A staged row that cannot be applied yet (a new product whose price has not come, a
barcode of an unknown product, a product of an unknown VAT code) stays staged and is tried
again at the next apply.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db import catalog_changes as changes
from local_db import catalog_swap
from local_db.database import BulkWriter, Database
from local_db.problems import explain
from local_db.search_text import plain_spelling
from local_db.sync_state import LAST_PULL_AT

log = logging.getLogger(__name__)

DATASETS = ("taxes", "products", "prices", "barcodes", "cashiers")
STAGING_CACHE_KIB = 64 * 1024
BIG_PULL = 20_000  # staged rows of one dataset from which the new catalog is built beside the live one

_STAGE = {
    "products": "INSERT INTO staged_products (code, name, brand, category, vat_code, sold_by_weight, plain_spelling, "
                "deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                "brand = excluded.brand, category = excluded.category, vat_code = excluded.vat_code, "
                "sold_by_weight = excluded.sold_by_weight, plain_spelling = excluded.plain_spelling, "
                "deleted = excluded.deleted",
    "prices": "INSERT INTO staged_prices (product_code, price_minor, currency, deleted) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (product_code) DO UPDATE SET price_minor = excluded.price_minor, "
              "currency = excluded.currency, deleted = excluded.deleted",
    "barcodes": "INSERT INTO staged_barcodes (gtin, product_code, deleted) VALUES (?, ?, ?) "
                "ON CONFLICT (gtin) DO UPDATE SET product_code = excluded.product_code, deleted = excluded.deleted",
    "taxes": "INSERT INTO staged_taxes (code, percent, deleted) VALUES (?, ?, ?) "
             "ON CONFLICT (code) DO UPDATE SET percent = excluded.percent, deleted = excluded.deleted",
    "cashiers": "INSERT INTO staged_cashiers (code, name, pin_hash, active, deleted) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, "
                "active = excluded.active, deleted = excluded.deleted",
}

_APPLY = [changes.sql(statement) for statement in (
    changes.NEW_VAT_RATES,  # first: products refer to them
    changes.DELETED_PRODUCTS,
    changes.NEW_PRICES,
    changes.NEW_PRODUCTS,
    "DELETE FROM staged_products AS sp WHERE " + changes.APPLIED_PRODUCTS,
    "DELETE FROM staged_prices WHERE " + changes.APPLIED_PRICES,
    changes.DELETED_BARCODES,
    changes.NEW_BARCODES,
    changes.MAIN_BARCODES,
    "DELETE FROM staged_barcodes WHERE " + changes.APPLIED_BARCODES,
    changes.REMOVED_VAT_RATES,
    "DELETE FROM staged_taxes",
    changes.CASHIERS,
    "DELETE FROM staged_cashiers",
)]


class Staging:
    """Staging a pull's rows: background transactions that give way to the till's own writes,
    with ``synchronous=NORMAL`` (a batch lost in a power cut is pulled again: the cursors
    move only when the pull is applied, with ``synchronous=FULL``) and a page cache that
    holds the staging tables' upper pages.  Batches of tens of thousands of rows: barcodes
    come in product order, so each batch writes across the whole ``staged_barcodes`` tree,
    and fewer, bigger batches write each of its pages fewer times."""

    def __init__(self, bulk: BulkWriter, db: Database) -> None:
        self._bulk = bulk
        self._db = db

    def stage(self, dataset: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows as tuples in the column order of ``_STAGE[dataset]`` (products without
        ``plain_spelling``: it is worked out here)."""
        if dataset == "products":
            rows = [(c, n, b, cat, v, w, plain_spelling(f"{n} {b}"), d) for c, n, b, cat, v, w, d in rows]
        rows = list(rows)
        if not rows:
            return
        try:
            with self._bulk.transaction() as conn:
                conn.exec_driver_sql(_STAGE[dataset], rows)
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self._db.path, doing=f"staging {dataset}") from error


@dataclass(frozen=True, slots=True)
class Cursor:
    cursor: str
    snapshot: str


@dataclass(frozen=True, slots=True)
class Applied:
    """What one apply changed, and what is still waiting in staging."""

    products: int  # staged product rows before the apply
    prices: int
    barcodes: int
    waiting: int  # staged rows that could not be applied yet
    seconds: float


class ReferenceData:
    def __init__(self, db: Database, *, big_pull: int = BIG_PULL, chunk: int = catalog_swap.CHUNK) -> None:
        self.db = db
        self.big_pull = big_pull  # staged rows of a dataset from which a pull is built beside the live catalog
        self.chunk = chunk  # rows per background transaction of such a build

    def cursors(self) -> dict[str, Cursor]:
        rows = self._read("SELECT dataset, cursor, snapshot FROM sync_cursors")
        return {str(d): Cursor(str(c), str(s)) for d, c, s in rows}

    def stage(self, dataset: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Stage one batch of rows (see :class:`Staging`)."""
        with self.staging() as staging:
            staging.stage(dataset, rows)

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """One connection for staging a whole pull (not to be used by two threads at once)."""
        with self.db.bulk_writing(cache_kib=STAGING_CACHE_KIB) as bulk:
            yield Staging(bulk, self.db)

    def apply(self, cursors: Mapping[str, Cursor], pulled_at: datetime) -> Applied:
        """Apply everything staged and move ``cursors`` forward, atomically: a delta in one
        transaction, a big pull by building the new catalog beside the live one and
        swapping it in (``local_db.catalog_swap``)."""
        started = time.perf_counter()
        finish = _finish(cursors, pulled_at)
        try:
            with self.db.reading() as conn:
                staged = {t: _count(conn, f"staged_{t}") for t in ("products", "prices", "barcodes")}
                # a new price for every product is as big as new products: either way every
                # row of the catalog is rewritten, too long to keep a sale waiting
                big = max(staged.values()) >= max(self.big_pull, _count(conn, "products") // 5)
                cut_short = catalog_swap.unfinished(conn)
            if big:
                catalog_swap.build_and_swap(self.db, finish, chunk=self.chunk)
            else:
                if cut_short:
                    catalog_swap.clean_up(self.db)
                with self.db.writing() as conn:
                    for statement in _APPLY:
                        conn.exec_driver_sql(statement)
                    for statement, parameters in finish:
                        conn.exec_driver_sql(statement, parameters)
            waiting = self.waiting_rows()
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="applying the hub's catalog") from error
        applied = Applied(staged["products"], staged["prices"], staged["barcodes"], waiting,
                          time.perf_counter() - started)
        if waiting:
            log.warning("%d staged catalog rows wait for data they need (a price, a product, a VAT rate)", waiting)
        log.info("applied a pull: %s", applied)
        return applied

    def waiting_rows(self) -> int:
        return sum(int(self._read(f"SELECT count(*) FROM staged_{t}")[0][0]) for t in DATASETS)

    def _read(self, sql: str) -> list[Any]:
        try:
            with self.db.reading() as conn:
                return list(conn.exec_driver_sql(sql).fetchall())
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="reading the sync state") from error


def _finish(cursors: Mapping[str, Cursor], pulled_at: datetime) -> list[tuple[str, Any]]:
    """The statements that end an apply: the new cursors and the time of the last pull."""
    return [
        ("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) VALUES (?, ?, ?, ?) "
         "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
         "pulled_at = excluded.pulled_at",
         [(d, c.cursor, c.snapshot, pulled_at.isoformat()) for d, c in cursors.items()]),
        ("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
         (LAST_PULL_AT, pulled_at.isoformat())),
    ]


def _count(conn: Connection, table: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
