"""Pulling reference data: pages of one dataset in version order, from a cursor.

A page holds the rows whose version is above ``after`` and at most ``snapshot`` (the
global version when the page was read), oldest first; ``cursor`` is the version of the
page's last row.  Because versions commit in order (see ``central.versions``), a till that
resumes from ``cursor`` never misses a change.  Products, barcodes, prices and taxes are
the chain's; cashiers are per store: a till reads its own store's only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Table, select

from central.database import HubDatabase
from central.errors import BadRequest, UnknownDataset
from central.stores import TillIdentity
from central.tables import barcodes, cashiers, prices, products, taxes
from central.versions import current_version
from pos.money import Money

MAX_PAGE = 5000
RESERVED = ("promotions", "loyalty")  # answered with no items until their issue


@dataclass(frozen=True, slots=True)
class Dataset:
    table: Table
    item: Callable[[Row[Any]], dict[str, Any]]
    per_store: bool = False


DATASETS: dict[str, Dataset] = {
    "products": Dataset(products, lambda r: {
        "code": r.code, "name": r.name, "brand": r.brand, "category": r.category,
        "vat_code": r.vat_code, "sold_by_weight": r.sold_by_weight, "deleted": r.deleted}),
    "barcodes": Dataset(barcodes, lambda r: {"gtin": r.gtin, "product_code": r.product_code, "deleted": r.deleted}),
    "prices": Dataset(prices, lambda r: {
        "product_code": r.product_code, "price": str(Money.from_minor(r.price_minor, r.currency).amount),
        "currency": r.currency, "deleted": r.deleted}),
    "taxes": Dataset(taxes, lambda r: {"code": r.code, "percent": r.percent, "deleted": r.deleted}),
    "cashiers": Dataset(cashiers, lambda r: {
        "code": r.code, "name": r.name, "pin_hash": r.pin_hash, "active": r.active and not r.deleted,
        "deleted": r.deleted}, per_store=True),
}
DATASET_NAMES = (*DATASETS, *RESERVED)


@dataclass(frozen=True, slots=True)
class Page:
    dataset: str
    items: list[dict[str, Any]]
    cursor: int
    more: bool
    snapshot: int


def parse_cursor(text: str | None) -> int:
    if text is None or text == "":
        return 0
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise BadRequest(f"after={text!r} is not a cursor (a whole number from an earlier page)")
    return int(text)


def pull(db: HubDatabase, till: TillIdentity, name: str, after: int, limit: int) -> Page:
    if name not in DATASET_NAMES:
        raise UnknownDataset(f"no dataset {name!r}; there are {', '.join(DATASET_NAMES)}")
    if not 1 <= limit <= MAX_PAGE:
        raise BadRequest(f"limit must be 1 to {MAX_PAGE}")
    with db.reading() as conn:
        snapshot = current_version(conn)
        dataset = DATASETS.get(name)
        if dataset is None:
            return Page(name, [], after, False, snapshot)
        table = dataset.table
        query = (select(table).where(table.c.version > after, table.c.version <= snapshot)
                 .order_by(table.c.version).limit(limit + 1))
        if dataset.per_store:
            query = query.where(table.c.store_id == till.store_id)
        rows = conn.execute(query).all()
    page = rows[:limit]
    return Page(name, [dataset.item(row) for row in page], page[-1].version if page else after,
                len(rows) > limit, snapshot)
