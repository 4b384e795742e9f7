"""The hub's reference data in the till database: staging a pull's pages, then applying
them to the catalog and cashiers in one transaction.

``stage_*`` upsert one page into a ``staged_*`` table (newest version of each key wins; a
short write transaction per page, so selling goes on while a pull runs).  ``apply``
changes the catalog in ONE ``BEGIN IMMEDIATE`` transaction and advances the cursors in
the same transaction: either the whole pull is in the catalog or none of it is.

The hub sends products and prices as separate datasets; the till's ``products`` row needs
both.  A staged row that cannot be applied yet (a new product whose price has not come, a
barcode of an unknown product, a product of an unknown VAT code) stays staged and is tried
again at the next apply.  A big apply (an initial pull) pauses the search-index triggers
and rebuilds the index once, as ``local_db.catalog.load_products`` does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain
from local_db.search_text import plain_spelling
from local_db.sync_state import LAST_PULL_AT

log = logging.getLogger(__name__)

DATASETS = ("taxes", "products", "prices", "barcodes", "cashiers")
BULK_APPLY = 20_000  # staged products from which the search index is rebuilt once
BULK_CACHE_KIB = 256 * 1024  # page cache of a big apply: a million-row B-tree fits

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

# a staged product can be applied when its VAT code is known and it has a price (staged or kept)
_APPLICABLE = (
    "sp.deleted = 0 AND EXISTS (SELECT 1 FROM vat_rates v WHERE v.code = sp.vat_code) "
    "AND (EXISTS (SELECT 1 FROM staged_prices pr WHERE pr.product_code = sp.code AND pr.deleted = 0) "
    "OR EXISTS (SELECT 1 FROM products p WHERE p.code = sp.code))"
)
_APPLY = [
    # 1. VAT rates first: products refer to them
    "INSERT INTO vat_rates (code, percent) SELECT code, percent FROM staged_taxes WHERE deleted = 0 "
    "ON CONFLICT (code) DO UPDATE SET percent = excluded.percent",
    # 2. deleted products go (their barcodes with them: ON DELETE CASCADE; the index by trigger)
    "DELETE FROM products WHERE code IN (SELECT code FROM staged_products WHERE deleted = 1)",
    # 3. new prices of products that are already in the catalog
    "UPDATE products SET price_minor = pr.price_minor, currency = pr.currency FROM staged_prices pr "
    "WHERE pr.product_code = products.code AND pr.deleted = 0 "
    "AND (products.price_minor != pr.price_minor OR products.currency != pr.currency)",
    # 4. new and changed products, with their staged price or the one they had
    "INSERT INTO products (code, name, brand, category, price_minor, currency, vat_code, barcode, sold_by_weight, "
    "plain_spelling) SELECT sp.code, sp.name, sp.brand, sp.category, COALESCE(pr.price_minor, p.price_minor), "
    "COALESCE(pr.currency, p.currency), sp.vat_code, COALESCE(p.barcode, ''), sp.sold_by_weight, sp.plain_spelling "
    "FROM staged_products sp LEFT JOIN staged_prices pr ON pr.product_code = sp.code AND pr.deleted = 0 "
    f"LEFT JOIN products p ON p.code = sp.code WHERE {_APPLICABLE} "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, brand = excluded.brand, category = excluded.category, "
    "price_minor = excluded.price_minor, currency = excluded.currency, vat_code = excluded.vat_code, "
    "sold_by_weight = excluded.sold_by_weight, plain_spelling = excluded.plain_spelling",
    f"DELETE FROM staged_products AS sp WHERE sp.deleted = 1 OR ({_APPLICABLE})",
    "DELETE FROM staged_prices WHERE deleted = 1 OR product_code IN (SELECT code FROM products)",
    # 5. barcodes: removed ones, then new ones of known products; then each product's main barcode
    "DELETE FROM barcodes WHERE gtin IN (SELECT gtin FROM staged_barcodes WHERE deleted = 1)",
    "INSERT INTO barcodes (gtin, product_code) SELECT sb.gtin, sb.product_code FROM staged_barcodes sb "
    "WHERE sb.deleted = 0 AND EXISTS (SELECT 1 FROM products p WHERE p.code = sb.product_code) "
    "ON CONFLICT (gtin) DO UPDATE SET product_code = excluded.product_code",
    "UPDATE products SET barcode = COALESCE((SELECT min(b.gtin) FROM barcodes b WHERE b.product_code = products.code), '') "
    "WHERE code IN (SELECT product_code FROM staged_barcodes) AND (barcode = '' OR NOT EXISTS "
    "(SELECT 1 FROM barcodes b WHERE b.gtin = products.barcode AND b.product_code = products.code))",
    "DELETE FROM staged_barcodes WHERE deleted = 1 OR product_code IN (SELECT code FROM products)",
    # 6. VAT rates the hub removed, unless a product still uses them
    "DELETE FROM vat_rates WHERE code IN (SELECT code FROM staged_taxes WHERE deleted = 1) "
    "AND NOT EXISTS (SELECT 1 FROM products p WHERE p.vat_code = vat_rates.code)",
    "DELETE FROM staged_taxes",
    # 7. cashiers: a deleted one is kept, inactive (past sales name them)
    "INSERT INTO cashiers (code, name, pin_hash, active) SELECT code, name, pin_hash, "
    "CASE WHEN active = 1 AND deleted = 0 THEN 1 ELSE 0 END FROM staged_cashiers WHERE true "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, active = excluded.active",
    "DELETE FROM staged_cashiers",
]


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
    def __init__(self, db: Database) -> None:
        self.db = db

    def cursors(self) -> dict[str, Cursor]:
        rows = self._read("SELECT dataset, cursor, snapshot FROM sync_cursors")
        return {str(d): Cursor(str(c), str(s)) for d, c, s in rows}

    def stage(self, dataset: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """One page, as tuples in the column order of ``_STAGE[dataset]`` (products without
        ``plain_spelling``: it is worked out here)."""
        if dataset == "products":
            rows = [(c, n, b, cat, v, w, plain_spelling(f"{n} {b}"), d) for c, n, b, cat, v, w, d in rows]
        rows = list(rows)
        if not rows:
            return
        try:
            with self.db.writing() as conn:
                conn.exec_driver_sql(_STAGE[dataset], rows)
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing=f"staging {dataset}") from error

    def apply(self, cursors: Mapping[str, Cursor], pulled_at: datetime) -> Applied:
        """Apply everything staged and move ``cursors`` forward, in one transaction."""
        import time

        started = time.perf_counter()
        try:
            with self.db.writing() as conn:
                staged = {t: _count(conn, f"staged_{t}") for t in ("products", "prices", "barcodes")}
                bulk = staged["products"] >= max(BULK_APPLY, _count(conn, "products") // 5)
                if bulk:
                    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")  # this connection, this apply
                    conn.exec_driver_sql("INSERT INTO catalog_loading (loading) VALUES (1)")
                for statement in _APPLY:
                    step = time.perf_counter()
                    conn.exec_driver_sql(statement)
                    log.debug("%.2f s: %s", time.perf_counter() - step, statement[:70])
                if bulk:
                    step = time.perf_counter()
                    conn.exec_driver_sql("DELETE FROM catalog_loading")
                    conn.exec_driver_sql("INSERT INTO product_search (product_search) VALUES ('rebuild')")
                    log.debug("%.2f s: search index rebuilt", time.perf_counter() - step)
                conn.exec_driver_sql(
                    "INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
                    "pulled_at = excluded.pulled_at",
                    [(d, c.cursor, c.snapshot, pulled_at.isoformat()) for d, c in cursors.items()],
                )
                conn.exec_driver_sql(
                    "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (LAST_PULL_AT, pulled_at.isoformat()),
                )
                waiting = sum(_count(conn, f"staged_{t}") for t in ("products", "prices", "barcodes"))
                if bulk:
                    conn.exec_driver_sql("PRAGMA cache_size = -2000")  # SQLite's default, for the pool
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


def _count(conn: Connection, table: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
