"""The ``kassa.sale.v1``, ``v2`` and ``v3`` documents as the hub receives them: their shape
(pydantic models) and their arithmetic (lines, VAT and payments must add up, by the
domain's own rules).

The shape is that of ``pos.codec.sale_to_dict``; once it validates, the document becomes
a ``pos.sale.Sale`` through ``pos.codec.sale_from_dict`` and the sums are checked with
``pos.money`` and ``pos.tax``, so the hub and the till can never disagree on a cent.

A v2 sale's payments carry ``card`` (the card approval of a card payment: approval code,
masked reference, terminal reference; null on the others), read with
``pos.codec.sale_cards_from_dict`` (``CardApproval``'s own checks).  Nothing that looks like a
card number is accepted anywhere in a payment, in v1 or v2, in a known field or an unknown
one (``pos.payment_terminal.refuse_card_numbers``): such a sale is rejected ``card_data`` and
never stored.

A v3 sale is a v2 sale whose lines carry ``discounts`` (``promotion_id``, ``name``,
``amount``: what each promotion took off the line) and whose line ``total`` is the net, plus
the sale's ``customer_id`` and ``promo_codes``.  Each discount is more than zero in whole minor
units, a line's ``total`` is ``round(unit_price * quantity)`` minus its discounts and never
below zero, a voided line has none; the sale's total, VAT (on the nets) and payments are
checked as in v1.  A v1 or v2 sale with ``discounts`` is rejected ``schema``.

A v4 sale is a v3 sale with ``gift_cards_sold`` and ``gift_card_payments``, checked against its
lines and payments by central/gift_card_sale_checks.py; a v1, v2 or v3 sale with them, or with a
``gift_card`` payment, is rejected ``schema``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, ValidationError

from central.gift_card_sale_checks import GiftCardPaymentDocument, GiftCardSoldDocument, gift_card_problem
from central.wire_types import ReceiptNumber, SaleTime, bad_text_in

from pos.codec import SALE_SCHEMA_V3, SALE_SCHEMA_V4, SALE_SCHEMAS, sale_cards_from_dict, sale_from_dict
from pos.errors import PosError
from pos.money import CURRENCY_EXPONENTS, Money, money_sum, round_money
from pos.payment_terminal import CARD_NUMBER
from pos.sale import Sale, SaleLine
from pos.store_day.tenders import CARD, CardApproval
from pos.tax import tax_breakdown

Amount = Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$")]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(max_length=500)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class VatDocument(_Part):
    code: Annotated[str, StringConstraints(max_length=8)]  # "" only on a GIFT-CARD line (checked below)
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
    discounts: Annotated[list[DiscountDocument], Field(max_length=100)] = []  # kassa.sale.v3


class TaxDocument(_Part):
    vat: VatDocument
    gross: Amount
    net: Amount
    tax: Amount


class CardDocument(_Part):
    approval_code: Annotated[str, StringConstraints(min_length=1, max_length=12)]
    masked_reference: Annotated[str, StringConstraints(max_length=32)]
    terminal_reference: Annotated[str, StringConstraints(max_length=32)]


class DiscountDocument(_Part):
    promotion_id: Code
    name: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    amount: Amount


class PaymentDocument(_Part):
    payment_id: uuid.UUID
    method: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    amount: Amount
    tendered: Amount
    change: Amount
    card: CardDocument | None = None  # kassa.sale.v2: the approval of a card payment


class SaleDocument(_Part):
    """One completed sale, exactly as ``pos.codec.sale_to_dict`` writes it."""

    schema_: Literal["kassa.sale.v1", "kassa.sale.v2", "kassa.sale.v3", "kassa.sale.v4"] = Field(alias="schema")
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
    customer_id: Annotated[str, StringConstraints(max_length=64)] = ""  # kassa.sale.v3
    promo_codes: Annotated[list[Code], Field(max_length=20)] = []  # kassa.sale.v3
    gift_cards_sold: Annotated[list[GiftCardSoldDocument], Field(max_length=100)] = []  # kassa.sale.v4
    gift_card_payments: Annotated[list[GiftCardPaymentDocument], Field(max_length=50)] = []  # kassa.sale.v4


class SaleProblem(Exception):
    """Why a sale is rejected: ``reason`` is one of the protocol's reasons."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# What the domain's own code raises for a document it cannot read: a rejection, never a 500.
_UNREADABLE = (PosError, ValueError, ArithmeticError, TypeError, KeyError, AttributeError, IndexError)


def read_sale(document: Any) -> Sale:
    """The Sale in a document; SaleProblem("schema" | "totals" | "card_data") when it is not a good one."""
    return read_sale_and_cards(document)[0]


def read_sale_and_cards(document: Any) -> tuple[Sale, dict[uuid.UUID, CardApproval]]:
    """The Sale in a v1, v2, v3 or v4 document and its card approvals by payment id (none in v1)."""
    if not isinstance(document, dict) or document.get("schema") not in SALE_SCHEMAS:
        raise SaleProblem("schema", f"not a {' or '.join(SALE_SCHEMAS)} document")
    _refuse_discounts_before_v3(document)
    _refuse_card_numbers(document.get("payments"))
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
        cards = sale_cards_from_dict(document)
    except _UNREADABLE as error:
        raise SaleProblem("schema", f"the document cannot be read: {error}") from None
    if problem := gift_card_problem(sale):  # before the sums: a line's VAT code "" is a gift card's only
        raise SaleProblem("schema", problem)
    try:
        check_sums(sale)
    except _UNREADABLE as error:  # SaleProblem is not among them: it passes through
        raise SaleProblem("totals", f"the sums cannot be worked out: {error}") from None
    for number, payment in enumerate(sale.payments):
        if payment.payment_id in cards and payment.method != CARD:
            raise SaleProblem("schema", f"payments.{number}.card: a {payment.method} payment has no card approval")
    return sale, cards


_DEEPEST = 16  # a payment is 2 levels deep; deeper is no payment of any version
_PAYMENT_NUMBERS = ("payment_id", "amount", "tendered", "change")  # digits by design, checked by their own rules


def _refuse_card_numbers(payments: Any) -> None:
    """SaleProblem("card_data") when any text of a payment (its known fields but the ids and
    amounts, its card, any field the hub does not know) looks like a card number; the detail
    names the field, never the digits."""
    if not isinstance(payments, list):
        return  # the shape check says what is wrong

    def look(value: Any, where: str, depth: int = 0) -> None:
        if depth > _DEEPEST:
            raise SaleProblem("schema", f"{where}: nested more than {_DEEPEST} levels deep")
        if isinstance(value, str):
            if CARD_NUMBER.search(value):
                raise SaleProblem("card_data", f"{where} looks like a card number: the hub never stores card "
                                               "numbers, only the approval code and the last 4 digits")
        elif isinstance(value, dict):
            for key, inner in value.items():
                look(str(key), f"{where} (a field's name)", depth + 1)
                name = key if isinstance(key, str) and key.isascii() and key.isidentifier() else "?"
                look(inner, f"{where}.{name[:40]}", depth + 1)
        elif isinstance(value, list):
            for n, inner in enumerate(value):
                look(inner, f"{where}.{n}", depth + 1)

    for number, payment in enumerate(payments[:1000]):
        if isinstance(payment, dict):
            look({k: v for k, v in payment.items() if k not in _PAYMENT_NUMBERS}, f"payments.{number}")


def _refuse_discounts_before_v3(document: dict[str, Any]) -> None:
    """A v1 or v2 line's total is price times quantity: discounts there would be read as nothing."""
    if document["schema"] != SALE_SCHEMA_V4:
        for key in ("gift_cards_sold", "gift_card_payments"):
            if key in document:
                raise SaleProblem("schema", f"{key}: a {document['schema']} sale carries none ({SALE_SCHEMA_V4} does)")
    if document["schema"] in (SALE_SCHEMA_V3, SALE_SCHEMA_V4) or not isinstance(document.get("lines"), list):
        return
    for number, line in enumerate(document["lines"][:2000]):
        if isinstance(line, dict) and "discounts" in line:
            raise SaleProblem("schema", f"lines.{number}.discounts: a {document['schema']} sale carries no "
                                        f"discounts ({SALE_SCHEMA_V3} does)")
    for key in ("customer_id", "promo_codes"):
        if key in document:
            raise SaleProblem("schema", f"{key}: a {document['schema']} sale carries none ({SALE_SCHEMA_V3} does)")


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
        _check_discounts(number, line)
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


def _check_discounts(number: int, line: SaleLine) -> None:
    """A line's total is its gross (price times quantity, rounded) minus its discounts, each
    more than zero in whole minor units, never below zero; a voided line has none."""
    where = f"lines.{number - 1}"
    gross = round_money(line.unit_price.times(line.quantity))
    if not line.discounts:
        if line.total != gross:
            raise SaleProblem("totals", f"line {number}: {line.quantity} x {line.unit_price.amount} is not "
                                        f"{line.total.amount}")
        return
    if line.voided:
        raise SaleProblem("totals", f"{where}.discounts: a voided line has no discounts")
    for n, discount in enumerate(line.discounts):
        _whole(f"{where}.discounts.{n}.amount", discount.amount)
        if discount.amount.amount <= 0:
            raise SaleProblem("totals", f"{where}.discounts.{n}.amount: {discount.amount.amount} is not more than "
                                        "zero")
    net = gross - line.discount
    if net.amount < 0:
        raise SaleProblem("totals", f"{where}.total: the discounts {line.discount.amount} take the line's "
                                    f"{gross.amount} below zero")
    if line.total != net:
        raise SaleProblem("totals", f"{where}.total: {line.total.amount} is not {line.quantity} x "
                                    f"{line.unit_price.amount} = {gross.amount} less its discounts "
                                    f"{line.discount.amount} = {net.amount}")


def _tax_key(line: Any) -> tuple[str, Decimal, Decimal]:
    return (line.vat.code, line.vat.percent, line.gross.amount)
