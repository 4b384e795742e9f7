"""The receipt as data: built here from a recorded sale, rendered by hardware/ (ESC/POS, PNG).

Every receipt carries its receipt code (``pos.receipt_code``: the store, till and sale, with a
check), printed as a QR code so that a return finds the sale again by scanning it.  A store or
till id that cannot go in the code leaves the receipt without one (logged): a receipt is never
refused for it.

A gift card line carries its card masked ("**** 9015") and, for an electronic card, the phone it
is bound to masked ("+380 ** *** ** 67"); a gift card payment carries its card masked: a receipt
never shows a whole card number.

A gift card is money, not goods: it carries no VAT (a multi-purpose voucher is taxed when it is
spent).  Its line shows no VAT code and the receipt's VAT summary leaves its amount out: a rate
that only gift card lines used ("VAT 0%") has no row at all.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos.gift_cards.numbers import masked_phone, short_masked
from pos.gift_cards.records import GIFT_CARD, GIFT_CARD_CODE
from pos.money import Money, money_sum, round_money
from pos.receipt_code import receipt_code_text
from pos.sale import Sale, SaleLine
from pos.tax import TaxLine, vat_included

log = logging.getLogger(__name__)


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
class ReceiptDiscount:
    """What one promotion took off one line.  ``name`` "" is a discount the sale recorded
    without its promotion's name: the receipt says "Discount"."""

    name: str
    amount: Money  # positive


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    name: str
    quantity: Decimal
    unit_price: Money
    total: Money  # what the customer pays for the line: its net after the discounts
    vat_code: str
    sold_by_weight: bool
    discounts: tuple[ReceiptDiscount, ...] = ()
    gift_card: str = ""  # a gift card line: its card masked ("**** 9015"); "" for goods
    gift_card_phone: str = ""  # an electronic card's phone masked ("+380 ** *** ** 67")

    @property
    def discount(self) -> Money:
        return money_sum([d.amount for d in self.discounts], self.total.currency)

    @property
    def gross(self) -> Money:
        """The line before promotions: its total plus its discounts."""
        return self.total + self.discount


@dataclass(frozen=True, slots=True)
class ReceiptPayment:
    method: str
    tendered: Money
    change: Money
    gift_card: str = ""  # a "gift_card" payment's card masked ("**** 9015")


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
    code: str = ""  # what the QR code holds (pos.receipt_code); "" prints none

    @property
    def discount(self) -> Money:
        """Everything promotions took off the sale (0 without any)."""
        return money_sum([line.discount for line in self.lines], self.total.currency)

    @property
    def gross(self) -> Money:
        """The lines before promotions: ``total`` + ``discount``."""
        return self.total + self.discount


def receipt_code_of(store_id: str, till_id: str, sale_id: uuid.UUID) -> str:
    """The receipt code of a sale, or "" (logged) when the store or till id cannot go in one."""
    try:
        return receipt_code_text(store_id, till_id, sale_id)
    except ValueError as error:
        log.warning("receipt of sale %s printed without its code: %s", sale_id, error)
        return ""


def build_receipt(sale: Sale, store: StoreInfo, *, is_copy: bool = False) -> Receipt:
    """Voided lines are left off the customer's receipt; the journal keeps them."""
    return Receipt(
        store=store,
        sale_id=sale.sale_id,
        receipt_number=sale.receipt_number,
        completed_at=sale.completed_at,
        cashier_name=sale.cashier.name,
        lines=tuple(
            ReceiptLine(l.name, l.quantity, l.unit_price, l.total, l.vat.code, l.sold_by_weight, _discounts(l),
                        *_card_of_line(sale, l))
            for l in sale.lines
            if not l.voided
        ),
        taxes=_taxes_of_goods(sale),
        total=sale.total,
        rounding=sale.rounding,
        due=sale.due,
        payments=tuple(ReceiptPayment(p.method, p.tendered, p.change, _card_of_payment(sale, p.payment_id, p.method))
                       for p in sale.payments),
        is_copy=is_copy,
        code=receipt_code_of(sale.store_id or store.store_id, sale.till_id or store.till_id, sale.sale_id),
    )


def _taxes_of_goods(sale: Sale) -> tuple[TaxLine, ...]:
    """The sale's VAT summary without its gift card lines (no VAT: their amount is taken off
    the gross and the net of their rate, and a rate left with nothing is left out)."""
    cards = {card.line_id for card in sale.gift_cards_sold}
    sold = [l for l in sale.lines if not l.voided and (l.line_id in cards or l.product_code == GIFT_CARD_CODE)]
    taxes = []
    for tax in sale.taxes:
        amount = money_sum([l.total for l in sold if l.vat == tax.vat], tax.gross.currency)
        if amount.is_zero():
            taxes.append(tax)
        elif tax.gross != amount:
            gross = tax.gross - amount
            vat = vat_included(gross, tax.vat)
            taxes.append(TaxLine(tax.vat, gross, gross - vat, vat))
    return tuple(taxes)


def _card_of_line(sale: Sale, line: SaleLine) -> tuple[str, str]:
    """The masked card and phone of a gift card line ("", "" for goods)."""
    card = next((g for g in sale.gift_cards_sold if g.line_id == line.line_id), None)
    return ("", "") if card is None else (short_masked(card.card_number), masked_phone(card.phone))


def _card_of_payment(sale: Sale, payment_id: uuid.UUID, method: str) -> str:
    card = next((g for g in sale.gift_card_payments if g.payment_id == payment_id), None)
    return short_masked(card.card_number) if card is not None and method == GIFT_CARD else ""


def _discounts(line: SaleLine) -> tuple[ReceiptDiscount, ...]:
    """The line's discounts as recorded; a line whose total is below its price times its
    quantity by more than the recorded discounts (a sale read back without their names) gets
    the rest as one unnamed discount, so the receipt's arithmetic always holds."""
    given = tuple(ReceiptDiscount(d.name, d.amount) for d in line.discounts if not d.amount.is_zero())
    unexplained = round_money(line.unit_price.times(line.quantity)) - line.gross
    if unexplained.amount > 0:
        given += (ReceiptDiscount("", unexplained),)
    return given
