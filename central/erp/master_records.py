"""Master data as an ERP gives it, before the hub checks it: the neutral records any ERP
reader (central/erp/master_tryton.py for Tryton) produces and central/erp/master_data.py takes.

A record carries the ERP's own words (its tax's name and rate, its unit) so a record the hub
cannot take is skipped and reported by name, never guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ErpTax:
    """A customer tax of the ERP: ``rate`` a fraction (0.20 is 20 %); ``usable`` False for a
    tax the hub cannot sell with (a fixed amount, a group of taxes), ``why`` says what it is."""

    name: str
    rate: Decimal | None
    usable: bool = True
    why: str = ""


@dataclass(frozen=True, slots=True)
class ErpProduct:
    """One sellable product (a Tryton variant).  ``gross_price`` is what the ERP itself charges
    with taxes (None: not given, the hub computes it from ``list_price`` and ``taxes``);
    ``barcodes`` the codes the ERP files as EAN/UPC/GTIN (or untyped digits), unchecked."""

    ref: str  # the ERP's own name for it, for messages: "product.product 42"
    code: str
    name: str
    active: bool
    brand: str = ""
    category: str = ""
    unit: str = "u"  # "u" a unit, "kg" by weight; anything else is not sold by the tills
    list_price: Decimal | None = None
    gross_price: Decimal | None = None
    taxes: tuple[ErpTax, ...] = ()
    barcodes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ErpCustomer:
    ref: str  # "party.party 7"
    name: str
    phone: str  # as typed in the ERP; "" when it has none


@dataclass(frozen=True, slots=True)
class OrphanPrice:
    """A price the ERP holds for nothing the tills can sell (a template with no variant)."""

    ref: str
    what: str


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a model was read up to: the last write (or create) time seen and that record's id."""

    model: str
    written_at: str  # the ERP's timestamp as text, "2026-12-02 14:13:42.123456"
    last_id: int


@dataclass
class MasterBatch:
    """What one read of the ERP brought: changed products and customers, the codes of every
    product the ERP still sells (None: not read), and the cursors to keep when it is stored."""

    products: list[ErpProduct] = field(default_factory=list)
    customers: list[ErpCustomer] = field(default_factory=list)
    orphan_prices: list[OrphanPrice] = field(default_factory=list)
    selling_codes: set[str] | None = None
    currency: str = ""
    cursors: list[Cursor] = field(default_factory=list)
