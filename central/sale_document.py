"""The ``kassa.sale.v1`` document as the hub receives it: its shape (pydantic models) and
its arithmetic (lines, VAT and payments must add up, by the domain's own rules).

The shape is that of ``pos.codec.sale_to_dict``; once it validates, the document becomes
a ``pos.sale.Sale`` through ``pos.codec.sale_from_dict`` and the sums are checked with
``pos.money`` and ``pos.tax``, so the hub and the till can never disagree on a cent.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, ValidationError

from central.wire_types import ReceiptNumber, SaleTime, bad_text_in

from pos.codec import SALE_SCHEMA, sale_from_dict
from pos.errors import PosError
from pos.money import CURRENCY_EXPONENTS, Money, money_sum, round_money
from pos.sale import Sale
from pos.tax import tax_breakdown

Amount = Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$")]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(max_length=500)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class VatDocument(_Part):
    code: Annotated[str, StringConstraints(min_length=1, max_length=8)]
    percent: Amount


class CashierDocument(_Part):
    id: Code
    name: Text


class LineDocument(_Part):
    line_id: uuid.UUID
    product_code: Code
    barcode: Annotated[str, StringConstraints(max_length=32)]
    name: Text
    quantity: Amount
    unit_price: Amount
    total: Amount
    vat: VatDocument
    sold_by_weight: StrictBool
    voided: StrictBool


class TaxDocument(_Part):
    vat: VatDocument
    gross: Amount
    net: Amount
    tax: Amount


class PaymentDocument(_Part):
    payment_id: uuid.UUID
    method: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    amount: Amount
    tendered: Amount
    change: Amount


class SaleDocument(_Part):
    """One completed sale, exactly as ``pos.codec.sale_to_dict`` writes it."""

    schema_: Literal["kassa.sale.v1"] = Field(alias="schema")
    sale_id: uuid.UUID
    store_id: Code
    till_id: Code
    receipt_number: ReceiptNumber
    cashier: CashierDocument
    opened_at: SaleTime
    completed_at: SaleTime
    currency: Literal[tuple(CURRENCY_EXPONENTS)]  # type: ignore[valid-type]
    total: Amount
    rounding: Amount
    lines: Annotated[list[LineDocument], Field(min_length=1, max_length=2000)]
    taxes: Annotated[list[TaxDocument], Field(max_length=50)]
    payments: Annotated[list[PaymentDocument], Field(min_length=1, max_length=50)]


class SaleProblem(Exception):
    """Why a sale is rejected: ``reason`` is one of the protocol's reasons."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# What the domain's own code raises for a document it cannot read: a rejection, never a 500.
_UNREADABLE = (PosError, ValueError, ArithmeticError, TypeError, KeyError, AttributeError, IndexError)


def read_sale(document: Any) -> Sale:
    """The Sale in a document; SaleProblem("schema" | "totals") when it is not a good one."""
    if not isinstance(document, dict) or document.get("schema") != SALE_SCHEMA:
        raise SaleProblem("schema", f"not a {SALE_SCHEMA} document")
    if found := bad_text_in(document):
        where, problem = found
        raise SaleProblem("schema", f"{where}: the hub cannot store {problem}")
    try:
        SaleDocument.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SaleProblem("schema", f"{where}: {first['msg']}") from None
    try:
        sale = sale_from_dict(document)
    except _UNREADABLE as error:
        raise SaleProblem("schema", f"the document cannot be read: {error}") from None
    try:
        check_sums(sale)
    except _UNREADABLE as error:  # SaleProblem is not among them: it passes through
        raise SaleProblem("totals", f"the sums cannot be worked out: {error}") from None
    return sale


def _whole(what: str, money: Money) -> None:
    try:
        money.minor_units()
    except ValueError:
        raise SaleProblem("totals", f"{what} {money.amount} is not a whole number of minor units") from None


def check_sums(sale: Sale) -> None:
    """Lines, VAT and payments must add up to the cent, by the till's own rounding rules."""
    cur = sale.currency
    for number, line in enumerate(sale.lines, 1):
        if line.quantity <= 0:
            raise SaleProblem("totals", f"line {number} has quantity {line.quantity}")
        _whole(f"line {number} unit price", line.unit_price)
        if line.total != round_money(line.unit_price.times(line.quantity)):
            raise SaleProblem("totals", f"line {number}: {line.quantity} x {line.unit_price.amount} is not {line.total.amount}")
    active = [line for line in sale.lines if not line.voided]
    expected_total = money_sum([line.total for line in active], cur)
    if sale.total != expected_total:
        raise SaleProblem("totals", f"total {sale.total.amount} is not the sum of the lines {expected_total.amount}")
    _whole("rounding", sale.rounding)
    expected_taxes = tax_breakdown(((line.vat, line.total) for line in active), cur)
    if sorted(sale.taxes, key=_tax_key) != sorted(expected_taxes, key=_tax_key):
        raise SaleProblem("totals", "the VAT breakdown does not match the lines")
    paid = money_sum([payment.amount for payment in sale.payments], cur)
    if paid != sale.due:
        raise SaleProblem("totals", f"payments {paid.amount} do not settle the {sale.due.amount} due")
    for payment in sale.payments:
        for what in ("amount", "tendered", "change"):
            _whole(f"payment {what}", getattr(payment, what))
        if payment.change.amount < 0 or payment.tendered - payment.amount != payment.change:
            raise SaleProblem("totals", f"payment of {payment.tendered.amount} for {payment.amount.amount} "
                                        f"cannot give {payment.change.amount} change")


def _tax_key(line: Any) -> tuple[str, Decimal, Decimal]:
    return (line.vat.code, line.vat.percent, line.gross.amount)
