"""The receipt as data: built here from a recorded sale, rendered by hardware/ (ESC/POS, PNG)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos.money import Money
from pos.sale import Sale
from pos.tax import TaxLine


@dataclass(frozen=True, slots=True)
class StoreInfo:
    store_id: str
    name: str
    address: str
    tax_id: str
    till_id: str
    currency: str
    locale: str  # language and number formats of the receipt, e.g. "uk_UA"
    timezone: str = "Europe/Kyiv"
    footer: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    name: str
    quantity: Decimal
    unit_price: Money
    total: Money
    vat_code: str
    sold_by_weight: bool


@dataclass(frozen=True, slots=True)
class ReceiptPayment:
    method: str
    tendered: Money
    change: Money


@dataclass(frozen=True, slots=True)
class Receipt:
    store: StoreInfo
    sale_id: uuid.UUID
    receipt_number: int
    completed_at: datetime
    cashier_name: str
    lines: tuple[ReceiptLine, ...]
    taxes: tuple[TaxLine, ...]
    total: Money
    rounding: Money
    due: Money
    payments: tuple[ReceiptPayment, ...]
    is_copy: bool = False


def build_receipt(sale: Sale, store: StoreInfo, *, is_copy: bool = False) -> Receipt:
    """Voided lines are left off the customer's receipt; the journal keeps them."""
    return Receipt(
        store=store,
        sale_id=sale.sale_id,
        receipt_number=sale.receipt_number,
        completed_at=sale.completed_at,
        cashier_name=sale.cashier.name,
        lines=tuple(
            ReceiptLine(l.name, l.quantity, l.unit_price, l.total, l.vat.code, l.sold_by_weight)
            for l in sale.lines
            if not l.voided
        ),
        taxes=sale.taxes,
        total=sale.total,
        rounding=sale.rounding,
        due=sale.due,
        payments=tuple(ReceiptPayment(p.method, p.tendered, p.change) for p in sale.payments),
        is_copy=is_copy,
    )
