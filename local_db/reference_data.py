"""The hub's reference data in the till database: staging a pull's pages, then applying
them to the catalog, the cashiers (with their roles) and the store's day policies
(``store_policies``) atomically.

``stage`` upserts one page into a ``staged_*`` table (newest version of each key wins; a
short background write transaction per page, which gives way to the till's own writes, so
selling goes on while a pull runs).  ``apply`` changes the catalog and advances the cursors
in one transaction: either the whole pull is in the catalog or none of it is.

A pull resumes where it stopped (a failed request, a restart, a SIGKILL): each staged batch
writes, in its own transaction, the cursor of its dataset's last page into ``staged_cursors``
(and whether that page was the last one), and its rows are marked ``in_pull``.  The next pull
goes on from there (``resume_points``).  The staged pages are only ever used by ``apply``, once
every dataset is complete; if they came from another hub or enrolment, or under another schema
(their ``origin``), they are thrown away first (``discard_pull``) and the pull starts again
from the applied cursors.  Rows kept by an applied pull (``in_pull = 0``) are not touched.  A delta is
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
from local_db.sync_state import ENROLLED_AT, LAST_PULL_AT

log = logging.getLogger(__name__)

DATASETS = ("taxes", "products", "prices", "barcodes", "cashiers", "policies")
STAGING_CACHE_KIB = 64 * 1024
BIG_PULL = 20_000  # staged rows of one dataset from which the new catalog is built beside the live one

_STAGE = {
    "products": "INSERT INTO staged_products (code, name, brand, category, vat_code, sold_by_weight, plain_spelling, "
                "deleted, in_pull) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                "brand = excluded.brand, category = excluded.category, vat_code = excluded.vat_code, "
                "sold_by_weight = excluded.sold_by_weight, plain_spelling = excluded.plain_spelling, "
                "deleted = excluded.deleted, in_pull = 1",
    "prices": "INSERT INTO staged_prices (product_code, price_minor, currency, deleted, in_pull) VALUES (?, ?, ?, ?, 1) "
              "ON CONFLICT (product_code) DO UPDATE SET price_minor = excluded.price_minor, "
              "currency = excluded.currency, deleted = excluded.deleted, in_pull = 1",
    "barcodes": "INSERT INTO staged_barcodes (gtin, product_code, deleted, in_pull) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (gtin) DO UPDATE SET product_code = excluded.product_code, deleted = excluded.deleted, "
                "in_pull = 1",
    "taxes": "INSERT INTO staged_taxes (code, percent, deleted, in_pull) VALUES (?, ?, ?, 1) "
             "ON CONFLICT (code) DO UPDATE SET percent = excluded.percent, deleted = excluded.deleted, in_pull = 1",
    "cashiers": "INSERT INTO staged_cashiers (code, name, pin_hash, active, deleted, role, in_pull) "
                "VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                "pin_hash = excluded.pin_hash, active = excluded.active, deleted = excluded.deleted, "
                "role = excluded.role, in_pull = 1",
    # rows checked by the pull (sync.pull: pos.store_day.policies) before they get here
    "policies": "INSERT INTO staged_store_policies (name, body, deleted, in_pull) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (name) DO UPDATE SET body = excluded.body, deleted = excluded.deleted, in_pull = 1",
}

# The policies, applied with the cursors (``_finish``: in the one transaction of an in-place
# apply, or of a big pull's swap).  A deleted one is kept as deleted: the till's settings and
# Kassa's defaults apply again.
_POLICIES = (
    "INSERT INTO store_policies (name, body, deleted) SELECT name, body, deleted FROM staged_store_policies "
    "WHERE true ON CONFLICT (name) DO UPDATE SET body = excluded.body, deleted = excluded.deleted",
    "DELETE FROM staged_store_policies",
)

_APPLY = [changes.sql(statement) for statement in (
    changes.NEW_VAT_RATES,  # first: products refer to them
    changes.DELETED_PRODUCTS,
    changes.NEW_PRICES,
    changes.NEW_PRODUCTS,
    "DELETE FROM staged_products AS sp WHERE " + changes.APPLIED_PRODUCTS,
    "DELETE FROM staged_prices WHERE " + changes.APPLIED_PRICES,
    changes.LOST_MAIN_BARCODES,  # before the barcodes it looks at change
    changes.DELETED_BARCODES,
    changes.NEW_BARCODES,
    changes.MAIN_BARCODES,
    "DELETE FROM staged_barcodes WHERE " + changes.APPLIED_BARCODES,
    changes.REMOVED_VAT_RATES,
    "DELETE FROM staged_taxes",
    changes.CASHIERS,
    "DELETE FROM staged_cashiers",
)]


_STAGE_CURSOR = (
    "INSERT INTO staged_cursors (dataset, cursor, snapshot, complete, origin) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
    "complete = excluded.complete, origin = excluded.origin"
)
DISCARD_CHUNK = 10_000  # staged rows of an abandoned pull removed per background transaction
_STAGED_KEYS = {"staged_products": "code", "staged_prices": "product_code", "staged_barcodes": "gtin",
                "staged_taxes": "code", "staged_cashiers": "code", "staged_store_policies": "name"}


@dataclass(frozen=True, slots=True)
class Cursor:
    cursor: str
    snapshot: str


@dataclass(frozen=True, slots=True)
class Resume:
    """Where a dataset's pull goes on from: the cursor of its last staged page (or, with
    nothing staged, the last applied one), and whether that page was its last."""

    cursor: Cursor
    complete: bool = False
    staged: bool = False


@dataclass(frozen=True, slots=True)
class Applied:
    """What one apply changed, and what is still waiting in staging."""

    products: int  # staged product rows before the apply
    prices: int
    barcodes: int
    waiting: int  # staged rows that could not be applied yet
    seconds: float


class Staging:
    """Staging a pull's rows: background transactions that give way to the till's own writes,
    with ``synchronous=NORMAL`` (a batch lost in a power cut is pulled again: its cursor goes
    with it) and a page cache that holds the staging tables' upper pages.  Batches of tens of
    thousands of rows: barcodes come in product order, so each batch writes across the whole
    ``staged_barcodes`` tree, and fewer, bigger batches write each of its pages fewer times."""

    def __init__(self, bulk: BulkWriter, db: Database, origin: str = "") -> None:
        self._bulk = bulk
        self._db = db
        self._origin = origin

    def stage(self, dataset: str, rows: Iterable[tuple[Any, ...]], *, cursor: Cursor | None = None,
              complete: bool = False) -> None:
        """Rows as tuples in the column order of ``_STAGE[dataset]`` (products without
        ``plain_spelling``: it is worked out here).  With ``cursor`` (that of the last page
        the rows come from; ``complete`` if it said ``more`` is false) the dataset's pull
        resumes after it, and the cursor is written in the same transaction as the rows."""
        if dataset == "products":
            rows = [(c, n, b, cat, v, w, plain_spelling(f"{n} {b}"), d) for c, n, b, cat, v, w, d in rows]
        rows = list(rows)
        if not rows and cursor is None:
            return
        try:
            with self._bulk.transaction() as conn:
                if rows:
                    conn.exec_driver_sql(_STAGE[dataset], rows)
                if cursor is not None:
                    conn.exec_driver_sql(_STAGE_CURSOR, (dataset, cursor.cursor, cursor.snapshot, int(complete),
                                                         self._origin))
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self._db.path, doing=f"staging {dataset}") from error


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
    def staging(self, origin: str = "") -> Iterator[Staging]:
        """One connection for staging a whole pull (not to be used by two threads at once);
        ``origin`` (see :meth:`origin`) is written with each staged cursor."""
        with self.db.bulk_writing(cache_kib=STAGING_CACHE_KIB) as bulk:
            yield Staging(bulk, self.db, origin)

    def origin(self, hub: str) -> str:
        """Where a pull's pages come from: the hub's address, when the till enrolled (another
        enrolment may be with another hub, whose versions mean nothing here) and the schema
        of this database.  Staged pages of another origin are never applied."""
        rows = self._read(f"SELECT (SELECT value FROM sync_state WHERE key = '{ENROLLED_AT}'), "
                          "(SELECT version_num FROM alembic_version)")
        enrolled, schema = rows[0]
        return f"hub {hub}; enrolled {enrolled or '-'}; schema {schema or '-'}"

    def resume_points(self, origin: str) -> dict[str, Resume]:
        """Where each dataset's pull goes on from.  Pages staged under another ``origin`` are
        thrown away first (:meth:`discard_pull`): that pull starts again from the applied cursors."""
        staged = self._read("SELECT dataset, cursor, snapshot, complete, origin FROM staged_cursors")
        if any(str(row[4]) != origin for row in staged):
            log.warning("the staged pages of an unfinished pull came from %s, not %s: they are thrown away",
                        sorted({str(row[4]) for row in staged}), origin)
            self.discard_pull()
            staged = []
        points = {d: Resume(c) for d, c in self.cursors().items()}
        for dataset, cursor, snapshot, complete, _origin in staged:
            points[str(dataset)] = Resume(Cursor(str(cursor), str(snapshot)), bool(complete), staged=True)
        return points

    def discard_pull(self) -> None:
        """Remove what an unfinished pull staged (rows kept by applied pulls stay), a chunk at
        a time in background transactions; the staged cursors go last, so a discard cut short
        is finished by the next one."""
        try:
            with self.db.bulk_writing(cache_kib=STAGING_CACHE_KIB) as bulk:
                for table, key in _STAGED_KEYS.items():
                    gone = 1
                    while gone:
                        with bulk.transaction() as conn:
                            gone = conn.exec_driver_sql(
                                f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} "
                                f"WHERE in_pull = 1 LIMIT {int(DISCARD_CHUNK)})").rowcount
                with bulk.transaction() as conn:
                    conn.exec_driver_sql("DELETE FROM staged_cursors")
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="discarding an unfinished pull") from error

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
        return sum(int(self._read(f"SELECT count(*) FROM {table}")[0][0]) for table in _STAGED_KEYS)

    def _read(self, sql: str) -> list[Any]:
        try:
            with self.db.reading() as conn:
                return list(conn.exec_driver_sql(sql).fetchall())
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="reading the sync state") from error


def _finish(cursors: Mapping[str, Cursor], pulled_at: datetime) -> list[tuple[str, Any]]:
    """The statements that end an apply: the new cursors and the time of the last pull; the
    pull is over (no staged cursors), and what is still staged is kept, waiting."""
    return [
        *((statement, ()) for statement in _POLICIES),
        *((f"UPDATE {table} SET in_pull = 0 WHERE in_pull = 1", ()) for table in _STAGED_KEYS),
        ("DELETE FROM staged_cursors", ()),
        ("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) VALUES (?, ?, ?, ?) "
         "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
         "pulled_at = excluded.pulled_at",
         [(d, c.cursor, c.snapshot, pulled_at.isoformat()) for d, c in cursors.items()]),
        ("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
         (LAST_PULL_AT, pulled_at.isoformat())),
    ]


def _count(conn: Connection, table: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
