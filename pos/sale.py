"""A completed sale: what the journal records, append-only, and what the hub receives.

``sale_id`` (a UUID made when the basket opened) is the sale's global identity and the
idempotency key of every sync message; ``receipt_number`` is gapless per till and is
assigned by the journal in the same transaction that records the sale.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos.basket import Basket
from pos.gift_cards.records import GiftCardPayment, GiftCardSold
from pos.catalog import VatRate
from pos.money import Money, money_sum
from pos.pricing.priced import LineDiscount, PricedBasket, unpriced
from pos.tax import TaxLine
from pos.tender import Payment


@dataclass(frozen=True, slots=True)
class Cashier:
    cashier_id: str
    name: str


@dataclass(frozen=True, slots=True)
class SaleLine:
    line_id: uuid.UUID
    product_code: str
    barcode: str
    name: str
    quantity: Decimal
    unit_price: Money
    total: Money
    vat: VatRate
    sold_by_weight: bool
    voided: bool
    discounts: tuple[LineDiscount, ...] = ()  # each promotion's part; total = gross - their sum

    @property
    def discount(self) -> Money:
        return money_sum([d.amount for d in self.discounts], self.unit_price.currency)

    @property
    def gross(self) -> Money:
        """The line before promotions (``total`` + ``discount``)."""
        return self.total + self.discount


@dataclass(frozen=True, slots=True)
class Sale:
    sale_id: uuid.UUID
    store_id: str
    till_id: str
    receipt_number: int  # 0 until the journal assigns the next number
    cashier: Cashier
    opened_at: datetime
    completed_at: datetime
    currency: str
    lines: tuple[SaleLine, ...]
    taxes: tuple[TaxLine, ...]
    total: Money  # sum of the line totals (after their discounts)
    rounding: Money  # cash rounding adjustment: due = total + rounding
    payments: tuple[Payment, ...]
    customer_id: str = ""  # the identified customer (loyalty), "" for none
    promo_codes: tuple[str, ...] = ()  # the promo codes used, as typed (normalised), for their use count
    points_earned: int = 0  # loyalty points this sale earns the customer
    points_redeemed: int = 0  # loyalty points spent on it (paid as the "points" tender)
    gift_cards_sold: tuple[GiftCardSold, ...] = ()  # the gift cards its lines sold (kassa.sale.v4)
    gift_card_payments: tuple[GiftCardPayment, ...] = ()  # its "gift_card" payments' cards (kassa.sale.v4)

    @property
    def discount(self) -> Money:
        """Everything promotions took off, the sum of the lines' discounts."""
        return money_sum([l.discount for l in self.lines if not l.voided], self.currency)

    @property
    def due(self) -> Money:
        return self.total + self.rounding

    @property
    def change(self) -> Money:
        change = Money.zero(self.currency)
        for payment in self.payments:
            change = change + payment.change
        return change


def sale_from_basket(
    basket: Basket,
    *,
    store_id: str,
    till_id: str,
    cashier: Cashier,
    payment: Payment,
    completed_at: datetime,
    priced: PricedBasket | None = None,
    customer_id: str = "",
    promo_codes: tuple[str, ...] = (),
    gift_cards_sold: tuple[GiftCardSold, ...] = (),
) -> Sale:
    """The sale as priced (``priced``: the pricing step's answer for this basket; None: no
    promotions).  Each line records its gross, its discounts and its net as ``total``.
    ``gift_cards_sold``: the cards of its gift card lines (a voided line's card is left off)."""
    if priced is None:
        priced = unpriced(basket.lines, basket.currency)
    if [p.line for p in priced.lines] != list(basket.lines):
        raise ValueError("the priced basket is not this basket")
    total = priced.total
    sold = {line.line_id for line in basket.active_lines()}
    lines = tuple(
        SaleLine(
            line_id=line.line_id,
            product_code=line.product.code,
            barcode=line.scanned_code or line.product.barcode,
            name=line.product.name,
            quantity=line.quantity,
            unit_price=line.product.price,
            total=p.net if not line.voided else line.total,
            vat=line.product.vat,
            sold_by_weight=line.product.sold_by_weight,
            voided=line.voided,
            discounts=p.discounts if not line.voided else (),
        )
        for p in priced.lines
        for line in (p.line,)
    )
    return Sale(
        sale_id=basket.basket_id,
        store_id=store_id,
        till_id=till_id,
        receipt_number=0,
        cashier=cashier,
        opened_at=basket.opened_at,
        completed_at=completed_at,
        currency=basket.currency,
        lines=lines,
        taxes=priced.taxes,
        total=total,
        rounding=payment.amount - total,
        payments=(payment,),
        customer_id=customer_id,
        promo_codes=promo_codes,
        gift_cards_sold=tuple(g for g in gift_cards_sold if g.line_id in sold),
    )
