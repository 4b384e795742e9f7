"""Master data from the ERP into the hub's datasets, through the hub's own imports.

What a pull does with what the ERP reader brought (central/erp/master_records.py):

* each changed product becomes a catalog row (``central.catalog_files.make_row``) and goes in
  through ``central.catalog_import.import_catalog``: only rows that really change take a new
  version, so the tills' next pull carries just those;
* a product the ERP no longer sells (deactivated, not salable, deleted) stops selling at the
  tills: its product, price and barcodes rows are marked deleted with the next versions.  The
  ERP is the catalog's master: a hub product whose code the ERP does not sell is stopped too;
* customers go in through ``central.customers.save_customers`` (one phone number, one customer);
* flagged sales (central/flagged_sales.py) whose products are all known now are marked released;
* a bad record is skipped, named in the report and logged, and never stops the rest: a product
  whose tax the hub has no VAT code for, with no price, no code or an unknown unit; a barcode
  with a wrong check digit (the product sells without it); a price with no product; a customer
  without a usable phone number or name.

A tax maps to the hub's VAT code of the same rate: the codes the hub holds (``taxes``, from
the catalog imports) or those declared for the pull (``--vat A=20``).  A product sells with
one VAT rate: two customer taxes, a fixed-amount tax or a tax group are not known.

The gross (VAT-inclusive) price is the ERP's own when it gives one (Tryton: the point of sale's
gross price, the very price its own POS puts on a line); otherwise the list price with the
tax applied, rounded half up to the currency's minor unit (pos.money's rule).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from sqlalchemy import Connection, select, update

from central.catalog_files import CatalogRow, make_row
from central.catalog_import import import_catalog
from central.customers import NewCustomer, save_customers
from central.database import HubDatabase
from central.erp.master_cursors import forget_cursors, read_cursors, save_cursors
from central.erp.master_records import Cursor, ErpCustomer, ErpProduct, MasterBatch
from central.flagged_sales import release_known
from central.tables import barcodes, prices, products, taxes
from central.versions import VersionClock, current_version
from pos.barcode import check_gtin
from pos.customers import clean_name
from pos.errors import PosError
from pos.money import Money, minor_unit
from pos.phone import normalise_phone

log = logging.getLogger(__name__)


class MasterDataReader(Protocol):
    """What an ERP gives the pull: everything changed since ``since`` (all of it when empty)."""

    def read_master_data(self, since: dict[str, Cursor]) -> MasterBatch: ...


class Skip(Exception):
    """Why one record is left out."""


@dataclass
class PullReport:
    products_read: int = 0
    products: int = 0  # changed rows at the hub: added, altered or stopped
    prices: int = 0
    barcodes: int = 0
    stopped: int = 0  # products that stopped selling
    customers_added: int = 0
    customers_changed: int = 0
    released: int = 0  # flagged sales (central/flagged_sales.py) whose every product is known now
    version: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.products_read:,} products read; changed: {self.products:,} products "
                 f"({self.stopped:,} stopped selling), {self.prices:,} prices, {self.barcodes:,} barcodes; "
                 f"customers: {self.customers_added:,} added, {self.customers_changed:,} changed; "
                 f"catalog version {self.version:,} ({self.seconds:.1f} s)"]
        if self.released:
            lines.append(f"{self.released:,} flagged sale(s) released to the ERP: their products are known now")
        if self.skipped:
            lines.append(f"{len(self.skipped):,} skipped:")
            lines += [f"  {line}" for line in self.skipped]
        return "\n".join(lines)


def _percent(rate: Decimal) -> str:
    return format((rate * 100).normalize(), "f")


class VatCodes:
    """The hub's VAT codes by rate: declared ones first, then those the hub holds."""

    def __init__(self, conn: Connection, declared: dict[str, str]) -> None:
        by_percent: dict[str, list[str]] = {}
        for code, percent in conn.execute(select(taxes.c.code, taxes.c.percent).where(taxes.c.deleted.is_(False))):
            if code not in declared:
                by_percent.setdefault(format(Decimal(percent).normalize(), "f"), []).append(code)
        for code, percent in declared.items():
            by_percent[format(Decimal(percent).normalize(), "f")] = [code]
        self.by_percent = by_percent

    def code_for(self, product: ErpProduct) -> tuple[str, str, Decimal]:
        """(code, percent, rate) of the product's one tax, or Skip."""
        if len(product.taxes) > 1:
            names = ", ".join(t.name for t in product.taxes)
            raise Skip(f"has {len(product.taxes)} customer taxes ({names}); the tills sell with one VAT rate")
        tax = product.taxes[0] if product.taxes else None
        if tax is not None and (not tax.usable or tax.rate is None):
            raise Skip(f"tax {tax.name!r} is not known to the hub ({tax.why or 'not a percentage'})")
        rate = tax.rate if tax is not None and tax.rate is not None else Decimal(0)
        percent = _percent(rate)
        codes = self.by_percent.get(percent, [])
        what = f"tax {tax.name!r} ({percent}%)" if tax is not None else "no customer tax (0%)"
        if not codes:
            raise Skip(f"{what} is not known to the hub: no VAT code of {percent}% (declare one: --vat CODE={percent})")
        if len(codes) > 1:
            raise Skip(f"{what} matches the hub's VAT codes {', '.join(sorted(codes))}: declare one with --vat")
        return codes[0], percent, rate


def _named(product: ErpProduct) -> str:
    return f"product {product.code or '(no code)'} {product.name!r} ({product.ref})"


def _gross(product: ErpProduct, rate: Decimal, currency: str) -> str:
    if product.gross_price is not None:
        gross = product.gross_price
    elif product.list_price is not None:
        gross = product.list_price * (1 + rate)
    else:
        raise Skip("has no price")
    rounded = gross.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
    if rounded < 0:
        raise Skip(f"has a negative price ({gross})")
    return str(Money.of(rounded, currency).amount)


def _good_barcodes(product: ErpProduct, taken: dict[str, str], skipped: list[str]) -> list[str]:
    good = []
    for code in product.barcodes:
        try:
            check_gtin(code)
        except PosError as problem:
            skipped.append(f"{_named(product)}: barcode {code[:40]!r} skipped: {problem}")
            continue
        if code in taken and taken[code] != product.code:
            skipped.append(f"{_named(product)}: barcode {code} skipped: also filed for product {taken[code]}")
            continue
        taken[code] = product.code
        good.append(code)
    return good


def catalog_rows(batch: MasterBatch, vat: VatCodes, skipped: list[str]) -> tuple[list[CatalogRow], set[str]]:
    """The rows of the products the ERP sells, and the codes of those it stopped selling."""
    rows: list[CatalogRow] = []
    stopped: set[str] = set()
    seen: dict[str, str] = {}
    taken: dict[str, str] = {}
    for product in batch.products:
        try:
            if not product.code:
                raise Skip("has no code")
            if product.code in seen:
                raise Skip(f"has the code of {seen[product.code]}")
            seen[product.code] = product.ref
            if not product.active:
                stopped.add(product.code)
                continue
            if product.unit not in ("u", "kg"):
                raise Skip(f"is sold in {product.unit!r}: the tills sell by the unit or the kg")
            code, percent, rate = vat.code_for(product)
            record = {"code": product.code, "name": product.name, "brand": product.brand,
                      "category": product.category, "price": _gross(product, rate, batch.currency),
                      "currency": batch.currency, "vat_code": code, "vat_percent": percent,
                      "sold_by_weight": product.unit == "kg",
                      "barcodes": _good_barcodes(product, taken, skipped)}
            rows.append(make_row(record, product.ref))
        except (Skip, ValueError) as why:
            skipped.append(f"{_named(product)} skipped: {why}")
    return rows, stopped


def stop_selling(conn: Connection, clock: VersionClock, codes: set[str]) -> int:
    """Mark these products, their prices and barcodes deleted (the next versions); how many
    products were selling."""
    stopped = 0
    for code in sorted(codes):
        changed = conn.execute(update(products).where(products.c.code == code, products.c.deleted.is_(False))
                               .values(deleted=True, version=clock.next())).rowcount
        if not changed:
            clock.last -= 1
            continue
        stopped += 1
        if conn.execute(update(prices).where(prices.c.product_code == code, prices.c.deleted.is_(False))
                        .values(deleted=True, version=clock.next())).rowcount == 0:
            clock.last -= 1
        gtins = conn.execute(select(barcodes.c.gtin).where(barcodes.c.product_code == code,
                                                           barcodes.c.deleted.is_(False))).scalars().all()
        for gtin in gtins:
            conn.execute(update(barcodes).where(barcodes.c.gtin == gtin).values(deleted=True, version=clock.next()))
    return stopped


def _not_sold_any_more(conn: Connection, batch: MasterBatch, stopped: set[str], report: PullReport) -> set[str]:
    if batch.selling_codes is None:
        return stopped
    if not batch.selling_codes:
        report.skipped.append("the ERP sells no product at all: nothing stopped at the hub (check the user's rights)")
        return stopped
    selling = conn.execute(select(products.c.code).where(products.c.deleted.is_(False))).scalars()
    return stopped | {code for code in selling if code not in batch.selling_codes}


def customers_of(batch: MasterBatch, region: str, skipped: list[str]) -> list[NewCustomer]:
    found: list[NewCustomer] = []
    phones: dict[str, str] = {}
    for customer in batch.customers:
        try:
            phone = normalise_phone(customer.phone, region) if customer.phone else ""
            if not phone:
                raise Skip("has no phone number")
            name = clean_name(customer.name)
            if phone in phones:
                raise Skip(f"has the phone number of {phones[phone]}")
        except (Skip, PosError) as why:
            skipped.append(f"customer {customer.name!r} ({customer.ref}) skipped: {why}")
            continue
        phones[phone] = customer.ref
        found.append(NewCustomer(phone, name))
    return found


def store_batch(db: HubDatabase, batch: MasterBatch, *, vat: dict[str, str] | None = None,
                region: str = "UA") -> PullReport:
    """Store what the ERP reader brought; the report names every record skipped."""
    started = time.perf_counter()
    report = PullReport(products_read=len(batch.products))
    for orphan in batch.orphan_prices:
        report.skipped.append(f"price of {orphan.what} ({orphan.ref}) skipped: no product sells at it")
    with db.reading() as conn:
        codes = VatCodes(conn, vat or {})
    rows, stopped = catalog_rows(batch, codes, report.skipped)
    if rows:
        imported = import_catalog(db, rows)
        report.products, report.prices, report.barcodes = imported.products, imported.prices, imported.barcodes
    with db.writing() as conn, VersionClock(conn) as clock:
        report.stopped = stop_selling(conn, clock, _not_sold_any_more(conn, batch, stopped, report))
        report.products += report.stopped
        report.version = clock.last
        report.released = release_known(conn)  # flagged sales whose products are known now
    customers = customers_of(batch, region, report.skipped)
    if customers:
        report.customers_added, report.customers_changed = save_customers(db, customers, region=region)
        with db.reading() as conn:
            report.version = current_version(conn)
    report.seconds = time.perf_counter() - started
    return report


def pull_master_data(db: HubDatabase, reader: MasterDataReader, *, full: bool = False,
                     vat: dict[str, str] | None = None, region: str = "UA") -> PullReport:
    """Read what changed in the ERP since the last pull (everything with ``full``) and store
    it; the cursors are kept last, so a pull that fails half-way is read again next time."""
    if full:
        forget_cursors(db)
    batch = reader.read_master_data({} if full else read_cursors(db))
    report = store_batch(db, batch, vat=vat, region=region)
    with db.writing() as conn:
        save_cursors(conn, batch.cursors)
    for line in report.skipped:
        log.warning("ERP pull: %s", line)
    log.info("ERP pull: %s", str(report).splitlines()[0])
    return report
