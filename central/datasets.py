"""Pulling reference data: pages of one dataset in version order, from a cursor.

A page holds the rows whose version is above ``after`` and at most ``snapshot`` (the
global version when the page was read), oldest first; ``cursor`` is the version of the
page's last row.  Because versions commit in order (see ``central.versions``), a till that
resumes from ``cursor`` never misses a change.  Products, barcodes, prices and taxes are
the chain's; cashiers (with their role) and policies (the store's day rules head office
sets: ``pos.store_day.policies``) are per store: a till reads its own store's only.
Promotions (``kassa.promotion.v1`` definitions, central/promotions.py) go to every till:
the engine checks a promotion's stores itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select

from central.customer_tables import customer_keys, customers
from central.customers import DATASET_COLUMNS as CUSTOMER_COLUMNS
from central.customers import DATASET_FIELDS as CUSTOMER_FIELDS
from central.customers import dataset_item as customer_item
from central.database import HubDatabase
from central.errors import BadRequest, UnknownDataset
from central.loyalty_tables import loyalty_rules
from central.promotion_tables import promotions
from central.promotions import DATASET_COLUMNS as PROMOTION_COLUMNS
from central.promotions import DATASET_FIELDS as PROMOTION_FIELDS
from central.promotions import dataset_item as promotion_item
from central.promo_codes import DATASET_COLUMNS as PROMO_CODE_COLUMNS
from central.promo_codes import DATASET_FIELDS as PROMO_CODE_FIELDS
from central.promo_codes import shape_item as promo_code_item
from central.stores import TillIdentity
from central.tables import barcodes, cashiers, policies, prices, products, promo_codes, taxes
from central.versions import current_version
from pos.money import exponent

MAX_PAGE = 5000
RESERVED: tuple[str, ...] = ()  # names answered with no items until the issue that fills them


def _amount(minor: int, currency: str) -> str:
    """``price_minor`` as the protocol's decimal string ("89.90"), without a Decimal per row."""
    places = exponent(currency)
    if places == 0:
        return str(minor)
    whole, part = divmod(abs(minor), 10 ** places)
    return f"{'-' if minor < 0 else ''}{whole}.{part:0{places}d}"


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset's item: ``fields`` (the protocol's names, in order) read from ``columns`` of
    ``table``; ``shape`` turns a row's values into the item's where they differ."""

    table: Table
    fields: tuple[str, ...]
    columns: tuple[str, ...] = ()
    shape: Callable[[Sequence[Any]], Sequence[Any]] | None = None
    per_store: bool = False

    def read(self) -> list[Any]:
        return [self.table.c[name] for name in (self.columns or self.fields)]

    def item(self, row: Sequence[Any]) -> dict[str, Any]:
        return dict(zip(self.fields, row if self.shape is None else self.shape(row)))


DATASETS: dict[str, Dataset] = {
    "products": Dataset(products, ("code", "name", "brand", "category", "vat_code", "sold_by_weight", "deleted")),
    "barcodes": Dataset(barcodes, ("gtin", "product_code", "deleted")),
    "prices": Dataset(prices, ("product_code", "price", "currency", "deleted"),
                      columns=("product_code", "price_minor", "currency", "deleted"),
                      shape=lambda r: (r[0], _amount(r[1], r[2]), r[2], r[3])),
    "taxes": Dataset(taxes, ("code", "percent", "deleted")),
    "cashiers": Dataset(cashiers, ("code", "name", "pin_hash", "active", "deleted", "role"),
                        shape=lambda r: (r[0], r[1], r[2], bool(r[3] and not r[4]), r[4], r[5]), per_store=True),
    "policies": Dataset(policies, ("name", "body", "deleted"), per_store=True),
    "loyalty": Dataset(loyalty_rules, ("name", "body", "deleted")),  # the chain's rules: pos.loyalty.rules
    "promotions": Dataset(promotions, PROMOTION_FIELDS, columns=PROMOTION_COLUMNS, shape=promotion_item),
    "promo_codes": Dataset(promo_codes, PROMO_CODE_FIELDS, columns=PROMO_CODE_COLUMNS, shape=promo_code_item),
    "customers": Dataset(customers, CUSTOMER_FIELDS, columns=CUSTOMER_COLUMNS, shape=customer_item),
    "customer_keys": Dataset(customer_keys, ("key_id", "key", "deleted")),
}
DATASET_NAMES = (*DATASETS, *(name for name in RESERVED if name not in DATASETS))


@dataclass(frozen=True, slots=True)
class Page:
    dataset: str
    items: list[dict[str, Any]]
    cursor: int
    more: bool
    snapshot: int


def unknown_dataset(name: str) -> UnknownDataset:
    return UnknownDataset(f"no dataset {name!r}; there are {', '.join(DATASET_NAMES)}")


def parse_cursor(text: str | None) -> int:
    if text is None or text == "":
        return 0
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise BadRequest(f"after={text!r} is not a cursor (a whole number from an earlier page)")
    return int(text)


def pull(db: HubDatabase, till: TillIdentity, name: str, after: int, limit: int) -> Page:
    if name not in DATASET_NAMES:
        raise unknown_dataset(name)
    if not 1 <= limit <= MAX_PAGE:
        raise BadRequest(f"limit must be 1 to {MAX_PAGE}")
    with db.reading() as conn:
        snapshot = current_version(conn)
        dataset = DATASETS.get(name)
        if dataset is None:
            return Page(name, [], after, False, snapshot)
        table = dataset.table
        query = (select(table.c.version, *dataset.read()).where(table.c.version > after, table.c.version <= snapshot)
                 .order_by(table.c.version).limit(limit + 1))
        if dataset.per_store:
            query = query.where(table.c.store_id == till.store_id)
        rows = conn.execute(query).all()
    page = rows[:limit]
    return Page(name, [dataset.item(row[1:]) for row in page], page[-1][0] if page else after,
                len(rows) > limit, snapshot)
