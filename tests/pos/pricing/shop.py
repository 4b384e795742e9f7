"""A small shop for the pricing tables: products, basket lines and promotions in one line each."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pos.basket import BasketLine
from pos.catalog import Product, VatRate
from pos.money import Money
from pos.pricing.priced import PricedBasket
from pos.pricing.promotion import Benefit, Cap, Combination, Promotion, Scope, Validity

CURRENCY = "EUR"
VAT_20 = VatRate("A", Decimal(20))
VAT_10 = VatRate("B", Decimal(10))


def eur(amount: str) -> Money:
    return Money.of(amount, CURRENCY)


def product(code: str, price: str, brand: str = "House", category: str = "grocery", vat: VatRate = VAT_20,
            weighed: bool = False) -> Product:
    return Product(code, code.title(), brand, category, eur(price), vat, sold_by_weight=weighed)


def line(code: str, price: str, quantity: str | int = 1, *, brand: str = "House", category: str = "grocery",
         vat: VatRate = VAT_20, weighed: bool = False, voided: bool = False, overridden: bool = False,
         line_id: uuid.UUID | None = None) -> BasketLine:
    return BasketLine(line_id or uuid.uuid4(), product(code, price, brand, category, vat, weighed), Decimal(quantity),
                      voided=voided, price_overridden=overridden)


def promo(promotion_id: str, benefit: Benefit, scope: Scope | None = None, *, priority: int = 0,
          validity: Validity | None = None, combination: Combination = Combination.STACKABLE) -> Promotion:
    return Promotion(promotion_id, f"Promotion {promotion_id}", benefit, scope or Scope(), validity or Validity(),
                     combination, priority)


def cap(cap_id: str, max_percent: str, scope: Scope | None = None) -> Cap:
    return Cap(cap_id, f"Cap {cap_id}", scope or Scope(), Decimal(max_percent))


def products(*codes: str) -> Scope:
    return Scope(products=frozenset(codes))


def discounts_of(priced: PricedBasket, basket_line: BasketLine) -> list[tuple[str, str]]:
    """The line's discounts as (promotion id, amount text), in the order applied."""
    found = priced.line_for(basket_line.line_id)
    assert found is not None
    return [(d.promotion_id, str(d.amount.amount)) for d in found.discounts]


def nets(priced: PricedBasket) -> list[str]:
    """Each line's net as text, in the basket's order."""
    return [str(l.net.amount) for l in priced.lines]
