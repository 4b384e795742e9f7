"""The catalog in SQLite: lookups by barcode and code, full-text search, bulk loading.

The scan path (``by_barcode``, ``by_code``) is one indexed SELECT on a pooled connection
with no transaction around it, sent with ``exec_driver_sql`` so nothing is compiled per
call.  ``search`` uses the FTS5 index ``product_search`` (unicode61, diacritics removed,
prefix indexes of 1-3 characters): every word the cashier types must begin a word of the
name, brand or code (see ``local_db.search_text``).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain
from local_db.search_text import plain_spelling, search_expression
from pos.catalog import Product, VatRate
from pos.errors import StorageProblem
from pos.money import Money

log = logging.getLogger(__name__)

MAX_SEARCH_RESULTS = 200
LOAD_CHUNK = 10_000

_COLUMNS = (
    "p.code, p.name, p.brand, p.category, p.price_minor, p.currency, "
    "p.vat_code, v.percent, p.barcode, p.sold_by_weight"
)
BY_BARCODE = (
    f"SELECT {_COLUMNS} FROM barcodes b JOIN products p ON p.code = b.product_code "
    "JOIN vat_rates v ON v.code = p.vat_code WHERE b.gtin = ?"
)
BY_CODE = f"SELECT {_COLUMNS} FROM products p JOIN vat_rates v ON v.code = p.vat_code WHERE p.code = ?"
# the first matches in catalog order, then sorted by name: a common prefix such as "к"
# matches a fifth of a million products, and ranking them all would take too long
SEARCH = (
    f"SELECT {_COLUMNS} FROM (SELECT rowid AS product_id FROM product_search "
    "WHERE product_search MATCH ? LIMIT ?) AS hit "
    "JOIN products p ON p.product_id = hit.product_id JOIN vat_rates v ON v.code = p.vat_code "
    "ORDER BY p.name, p.code"
)


class SqlCatalog:
    """pos.ports.Catalog over the till database; safe to share between threads."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._vat_rates: dict[tuple[str, str], VatRate] = {}

    def by_barcode(self, gtin: str) -> Product | None:
        rows = self._query(BY_BARCODE, (gtin.strip(),), "looking up a barcode")
        return self._product(rows[0]) if rows else None

    def by_code(self, code: str) -> Product | None:
        """A product by its code, or by the code typed with leading zeros (``00012`` -> ``12``)."""
        code = code.strip()
        rows = self._query(BY_CODE, (code,), "looking up a product code")
        stripped = code.lstrip("0")
        if not rows and stripped and stripped != code:
            rows = self._query(BY_CODE, (stripped,), "looking up a product code")
        return self._product(rows[0]) if rows else None

    def search(self, text: str, limit: int = 50) -> list[Product]:
        expression = search_expression(text)
        if expression is None or limit <= 0:
            return []
        limit = min(limit, MAX_SEARCH_RESULTS)
        rows = self._query(SEARCH, (expression, limit), "searching the catalog")
        return [self._product(row) for row in rows]

    def _query(self, sql: str, params: tuple[Any, ...], doing: str) -> Sequence[Any]:
        try:
            with self.db.lookup() as conn:
                return conn.exec_driver_sql(sql, params).fetchall()
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing=doing) from error

    def _product(self, row: Any) -> Product:
        code, name, brand, category, price_minor, currency, vat_code, percent, barcode, by_weight = row
        vat = self._vat_rates.get((vat_code, percent))
        if vat is None:
            vat = self._vat_rates.setdefault((vat_code, percent), VatRate(vat_code, Decimal(percent)))
        return Product(
            code=code, name=name, brand=brand, category=category,
            price=Money.from_minor(price_minor, currency), vat=vat,
            barcode=barcode, sold_by_weight=bool(by_weight),
        )


_UPSERT_VAT = "INSERT INTO vat_rates (code, percent) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET percent = excluded.percent"
_UPSERT_PRODUCT = (
    "INSERT INTO products (code, name, brand, category, price_minor, currency, vat_code, barcode, sold_by_weight, "
    "plain_spelling) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
    "name = excluded.name, brand = excluded.brand, category = excluded.category, "
    "price_minor = excluded.price_minor, currency = excluded.currency, vat_code = excluded.vat_code, "
    "barcode = excluded.barcode, sold_by_weight = excluded.sold_by_weight, plain_spelling = excluded.plain_spelling"
)
_UPSERT_BARCODE = (
    "INSERT INTO barcodes (gtin, product_code) VALUES (?, ?) "
    "ON CONFLICT (gtin) DO UPDATE SET product_code = excluded.product_code"
)


def load_products(db: Database, products: Iterable[Product], vat_rates: Iterable[VatRate] = ()) -> int:
    """Add or update products (and their VAT rates) in one transaction, in chunks of
    executemany; a product's barcode is added to its barcodes.  Returns how many were
    loaded.  All or nothing: on any problem a StorageProblem is raised and nothing changes.

    A big load (a first chunk of LOAD_CHUNK products or more) pauses the search-index
    triggers and rebuilds the index once at the end, inside the same transaction."""
    loaded = 0
    chunks = _chunks(products, LOAD_CHUNK)
    first = next(chunks, [])
    bulk = len(first) >= LOAD_CHUNK
    try:
        with db.writing() as conn:
            known = {str(c): Decimal(p) for c, p in conn.exec_driver_sql("SELECT code, percent FROM vat_rates")}
            rates = [(rate.code, str(rate.percent)) for rate in vat_rates]
            if rates:
                conn.exec_driver_sql(_UPSERT_VAT, rates)
                known.update((code, Decimal(percent)) for code, percent in rates)
            if bulk:
                conn.exec_driver_sql("INSERT INTO catalog_loading (loading) VALUES (1)")
            for chunk in itertools.chain([first], chunks):
                loaded += _load_chunk(conn, chunk, known)
            if bulk:
                conn.exec_driver_sql("DELETE FROM catalog_loading")
                conn.exec_driver_sql("INSERT INTO product_search (product_search) VALUES ('rebuild')")
        if bulk:
            with db.lookup() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing="loading the catalog") from error
    log.info("loaded %d products", loaded)
    return loaded


def _load_chunk(conn: Connection, chunk: list[Product], known: dict[str, Decimal]) -> int:
    if not chunk:
        return 0
    new_rates = _check_vat(chunk, known)
    if new_rates:
        conn.exec_driver_sql(_UPSERT_VAT, new_rates)
    conn.exec_driver_sql(_UPSERT_PRODUCT, [_product_row(p) for p in chunk])
    codes = [(p.barcode, p.code) for p in chunk if p.barcode]
    if codes:
        conn.exec_driver_sql(_UPSERT_BARCODE, codes)
    return len(chunk)


def add_barcode(db: Database, product_code: str, gtin: str) -> None:
    """Give a product one more barcode (a product may have several)."""
    try:
        with db.writing() as conn:
            conn.exec_driver_sql(_UPSERT_BARCODE, (gtin, product_code))
    except sa_exc.IntegrityError as error:
        raise StorageProblem(reason=f"there is no product {product_code} to give barcode {gtin}") from error
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing="adding a barcode") from error


def product_count(db: Database) -> int:
    try:
        with db.lookup() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM products").scalar_one())
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing="counting products") from error


def _chunks(products: Iterable[Product], size: int) -> Iterator[list[Product]]:
    iterator = iter(products)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _check_vat(chunk: list[Product], known: dict[str, Decimal]) -> list[tuple[str, str]]:
    new: list[tuple[str, str]] = []
    for product in chunk:
        percent = known.get(product.vat.code)
        if percent is None:
            known[product.vat.code] = product.vat.percent
            new.append((product.vat.code, str(product.vat.percent)))
        elif percent != product.vat.percent:
            raise StorageProblem(
                reason=f"product {product.code} has VAT {product.vat.code} at {product.vat.percent}%, "
                f"but rate {product.vat.code} is {percent}%"
            )
    return new


def _product_row(p: Product) -> tuple[Any, ...]:
    try:
        price = p.price.minor_units()
    except ValueError:
        raise StorageProblem(reason=f"product {p.code} has a price of {p.price}, finer than the currency allows") from None
    return (
        p.code, p.name, p.brand, p.category, price, p.price.currency, p.vat.code, p.barcode, int(p.sold_by_weight),
        plain_spelling(f"{p.name} {p.brand}"),
    )
