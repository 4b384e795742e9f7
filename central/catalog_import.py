"""Importing the catalog: products, their barcodes, prices and VAT rates, in one transaction.

Only rows that really change take a new global version, so a till's next pull carries
just the changes.  The rows are first loaded into temporary staging tables (``COPY`` on
PostgreSQL, ``executemany`` on SQLite); then a handful of set-based statements compare
them with the catalog and write only the differences, numbering the changed rows with
``ROW_NUMBER()`` from the locked version counter.  A million rows take seconds, and
memory holds only the codes and barcodes seen (to report duplicates by line).

* A product's barcodes are the ones its row lists: barcodes it no longer lists are
  deleted, and a barcode listed for another product moves there.
* ``full=True`` means the file is the whole catalog: products missing from it are
  deleted (with their price and barcodes).  Otherwise missing products are left alone.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Boolean, Column, Connection, Integer, MetaData, String, Table, BigInteger, select, text, update

from central.catalog_files import BadRow, CatalogRow
from central.database import HubDatabase
from central.tables import taxes
from central.versions import VersionClock

CHUNK = 10_000
T = TypeVar("T")

_staging = MetaData()
incoming = Table(
    "incoming_products", _staging,
    Column("code", String(64), primary_key=True),
    Column("row_no", Integer, nullable=False),
    Column("name", String(300), nullable=False),
    Column("brand", String(200), nullable=False),
    Column("category", String(200), nullable=False),
    Column("vat_code", String(8), nullable=False),
    Column("sold_by_weight", Boolean, nullable=False),
    Column("price_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    prefixes=["TEMPORARY"],
)
incoming_barcodes = Table(
    "incoming_barcodes", _staging,
    Column("gtin", String(32), primary_key=True),
    Column("product_code", String(64), nullable=False),
    prefixes=["TEMPORARY"],
)

# Each statement writes the rows of one kind of change; ``:base`` is the last version
# taken, and ROW_NUMBER() gives the changed rows the next ones, in file order.
_PRODUCT_DIFFERS = ("p.deleted OR p.name <> i.name OR p.brand <> i.brand OR p.category <> i.category "
                    "OR p.vat_code <> i.vat_code OR p.sold_by_weight <> i.sold_by_weight")
_STATEMENTS: dict[str, tuple[str, ...]] = {
    "products": (
        """INSERT INTO products (code, name, brand, category, vat_code, sold_by_weight, deleted, version)
           SELECT i.code, i.name, i.brand, i.category, i.vat_code, i.sold_by_weight, false,
                  :base + ROW_NUMBER() OVER (ORDER BY i.row_no)
           FROM incoming_products i WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.code = i.code)""",
        f"""UPDATE products SET name = c.name, brand = c.brand, category = c.category, vat_code = c.vat_code,
                  sold_by_weight = c.sold_by_weight, deleted = false, version = c.version
           FROM (SELECT i.*, :base + ROW_NUMBER() OVER (ORDER BY i.row_no) AS version
                 FROM incoming_products i JOIN products p ON p.code = i.code WHERE {_PRODUCT_DIFFERS}) AS c
           WHERE products.code = c.code""",
    ),
    "prices": (
        """INSERT INTO prices (product_code, price_minor, currency, deleted, version)
           SELECT i.code, i.price_minor, i.currency, false, :base + ROW_NUMBER() OVER (ORDER BY i.row_no)
           FROM incoming_products i WHERE NOT EXISTS (SELECT 1 FROM prices p WHERE p.product_code = i.code)""",
        """UPDATE prices SET price_minor = c.price_minor, currency = c.currency, deleted = false, version = c.version
           FROM (SELECT i.code, i.price_minor, i.currency, :base + ROW_NUMBER() OVER (ORDER BY i.row_no) AS version
                 FROM incoming_products i JOIN prices p ON p.product_code = i.code
                 WHERE p.deleted OR p.price_minor <> i.price_minor OR p.currency <> i.currency) AS c
           WHERE prices.product_code = c.code""",
    ),
    "barcodes": (
        """INSERT INTO barcodes (gtin, product_code, deleted, version)
           SELECT ib.gtin, ib.product_code, false, :base + ROW_NUMBER() OVER (ORDER BY ib.gtin)
           FROM incoming_barcodes ib WHERE NOT EXISTS (SELECT 1 FROM barcodes b WHERE b.gtin = ib.gtin)""",
        """UPDATE barcodes SET product_code = c.product_code, deleted = false, version = c.version
           FROM (SELECT ib.gtin, ib.product_code, :base + ROW_NUMBER() OVER (ORDER BY ib.gtin) AS version
                 FROM incoming_barcodes ib JOIN barcodes b ON b.gtin = ib.gtin
                 WHERE b.deleted OR b.product_code <> ib.product_code) AS c
           WHERE barcodes.gtin = c.gtin""",
        # barcodes a listed product no longer lists
        """UPDATE barcodes SET deleted = true, version = c.version
           FROM (SELECT b.gtin, :base + ROW_NUMBER() OVER (ORDER BY b.gtin) AS version
                 FROM barcodes b JOIN incoming_products i ON i.code = b.product_code
                 WHERE NOT b.deleted AND NOT EXISTS (SELECT 1 FROM incoming_barcodes ib WHERE ib.gtin = b.gtin)) AS c
           WHERE barcodes.gtin = c.gtin""",
    ),
}
_MISSING = "NOT EXISTS (SELECT 1 FROM incoming_products i WHERE i.code = {column})"
_FULL_IMPORT_DELETIONS: dict[str, str] = {
    "products": f"""UPDATE products SET deleted = true, version = c.version
        FROM (SELECT p.code, :base + ROW_NUMBER() OVER (ORDER BY p.code) AS version FROM products p
              WHERE NOT p.deleted AND {_MISSING.format(column="p.code")}) AS c WHERE products.code = c.code""",
    "prices": f"""UPDATE prices SET deleted = true, version = c.version
        FROM (SELECT p.product_code, :base + ROW_NUMBER() OVER (ORDER BY p.product_code) AS version FROM prices p
              WHERE NOT p.deleted AND {_MISSING.format(column="p.product_code")}) AS c
        WHERE prices.product_code = c.product_code""",
    "barcodes": f"""UPDATE barcodes SET deleted = true, version = c.version
        FROM (SELECT b.gtin, :base + ROW_NUMBER() OVER (ORDER BY b.gtin) AS version FROM barcodes b
              WHERE NOT b.deleted AND {_MISSING.format(column="b.product_code")}
                AND NOT EXISTS (SELECT 1 FROM incoming_barcodes ib WHERE ib.gtin = b.gtin)) AS c
        WHERE barcodes.gtin = c.gtin""",
}


@dataclass
class ImportReport:
    rows: int = 0
    products: int = 0  # changed rows: added, altered or deleted
    prices: int = 0
    barcodes: int = 0
    taxes: int = 0
    deleted_products: int = 0
    version: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (f"{self.rows:,} rows read; changed: {self.products:,} products "
                f"({self.deleted_products:,} deleted), {self.prices:,} prices, {self.barcodes:,} barcodes, "
                f"{self.taxes:,} VAT rates; catalog version {self.version:,} ({self.seconds:.1f} s)")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Staging:
    """The file's rows in temporary tables, checked on the way in: a code or a barcode
    twice, or one VAT code with two rates, stops the import with the row's place."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgresql = conn.dialect.name == "postgresql"
        self.codes: dict[str, str] = {}  # code -> where
        self.gtins: set[str] = set()
        self.vat: dict[str, tuple[str, str]] = {}  # code -> (percent, where)
        self.rows = 0
        for table in (incoming, incoming_barcodes):
            table.drop(conn, checkfirst=True)
            table.create(conn)

    def take(self, rows: Sequence[CatalogRow]) -> None:
        products: list[tuple[Any, ...]] = []
        codes: list[tuple[str, str]] = []
        for row in rows:
            self.rows += 1
            if row.code in self.codes:
                raise BadRow(f"{row.where}: product {row.code} is also on {self.codes[row.code]}")
            self.codes[row.code] = row.where
            vat = self.vat.setdefault(row.vat_code, (row.vat_percent, row.where))
            if vat[0] != row.vat_percent:
                raise BadRow(f"{row.where}: VAT {row.vat_code} is {row.vat_percent}% here but {vat[0]}% on {vat[1]}")
            products.append((row.code, self.rows, row.name, row.brand, row.category, row.vat_code,
                             row.sold_by_weight, row.price_minor, row.currency))
            for gtin in row.barcodes:
                if gtin in self.gtins:
                    raise BadRow(f"{row.where}: barcode {gtin} is listed for two products")
                self.gtins.add(gtin)
                codes.append((gtin, row.code))
        self._load(incoming, products)
        self._load(incoming_barcodes, codes)

    def _load(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = [column.name for column in table.columns]
        if self.postgresql:  # COPY: an order of magnitude faster than INSERTs
            cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(names))
            self.conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", rows)

    def drop(self) -> None:
        for table in (incoming_barcodes, incoming):
            table.drop(self.conn)


def _apply(conn: Connection, clock: VersionClock, report: ImportReport, full: bool) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE incoming_products")
        conn.exec_driver_sql("ANALYZE incoming_barcodes")
    for table, statements in _STATEMENTS.items():
        for statement in statements:
            changed = conn.execute(text(statement), {"base": clock.last}).rowcount
            clock.last += changed
            setattr(report, table, getattr(report, table) + changed)
    if full:
        for table, statement in _FULL_IMPORT_DELETIONS.items():
            changed = conn.execute(text(statement), {"base": clock.last}).rowcount
            clock.last += changed
            setattr(report, table, getattr(report, table) + changed)
            if table == "products":
                report.deleted_products = changed


def _apply_taxes(conn: Connection, clock: VersionClock, vat: dict[str, tuple[str, str]]) -> int:
    old = {row.code: (row.percent, row.deleted) for row in conn.execute(select(taxes))}
    changed = 0
    for code, (percent, _where) in sorted(vat.items()):
        if old.get(code) == (percent, False):
            continue
        values = dict(percent=percent, deleted=False, version=clock.next())
        if code in old:
            conn.execute(update(taxes).where(taxes.c.code == code).values(**values))
        else:
            conn.execute(taxes.insert().values(code=code, **values))
        changed += 1
    return changed


ANALYZE_AFTER = 10_000  # changed rows from which an import refreshes PostgreSQL's statistics


def import_catalog(db: HubDatabase, rows: Iterable[CatalogRow], *, full: bool = False) -> ImportReport:
    """Import rows in one transaction: all of them or, on a bad row, none."""
    started = time.perf_counter()
    report = ImportReport()
    with db.writing() as conn:
        if db.is_sqlite:  # room for the catalog's indexes: the default page cache is 2 MB
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
        with VersionClock(conn) as clock:
            staging = Staging(conn)
            for chunk in chunked(rows, CHUNK):
                staging.take(chunk)
            report.rows = staging.rows
            report.taxes = _apply_taxes(conn, clock, staging.vat)
            _apply(conn, clock, report, full)
            staging.drop()
        report.version = clock.last
    if not db.is_sqlite and report.products + report.prices + report.barcodes >= ANALYZE_AFTER:
        # fresh statistics and visibility at once, not when autovacuum comes by (in the middle
        # of the tills' first pulls): without statistics PostgreSQL may read a pull's page by
        # sorting every later row instead of walking the version index
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("VACUUM (ANALYZE) products, barcodes, prices, taxes")
    report.seconds = time.perf_counter() - started
    return report
