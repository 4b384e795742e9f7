"""What the pricing step answers: the basket's lines with their discounts, and the totals.

Rules (docs/promotions.md): every discount is a whole number of minor units on one line,
tied to the promotion that gave it; a line's net is its gross (price times quantity,
rounded) minus its discounts and is never negative; the basket's discount is the sum of
the lines' discounts and its total the sum of the nets, to the cent; VAT is computed on
the nets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos.basket import BasketLine
from pos.money import Money, money_sum
from pos.pricing.promotion import CustomerFacts
from pos.tax import TaxLine, tax_breakdown


@dataclass(frozen=True, slots=True)
class PricingContext:
    """Everything outside the basket a calculation may depend on, passed in (never read)."""

    now: datetime  # the store's local wall-clock time, naive
    store_id: str = ""
    channel: str = "store"
    customer: CustomerFacts | None = None
    unlocked: frozenset[str] = frozenset()  # promotion ids a promo code unlocked for this sale


@dataclass(frozen=True, slots=True)
class LineDiscount:
    promotion_id: str
    name: str
    amount: Money  # positive: what this promotion took off this line


@dataclass(frozen=True, slots=True)
class PricedLine:
    line: BasketLine
    discounts: tuple[LineDiscount, ...] = ()

    @property
    def gross(self) -> Money:
        """Price times quantity, rounded: what the line costs before promotions (0 if voided)."""
        return Money.zero(self.line.product.price.currency) if self.line.voided else self.line.total

    @property
    def discount(self) -> Money:
        return money_sum([d.amount for d in self.discounts], self.line.product.price.currency)

    @property
    def net(self) -> Money:
        return self.gross - self.discount


@dataclass(frozen=True, slots=True)
class AppliedPromotion:
    promotion_id: str
    name: str
    amount: Money  # the sum of this promotion's line discounts


@dataclass(frozen=True, slots=True)
class GiftOffer:
    """A gift the customer is entitled to but which is not in the basket yet: scan it."""

    promotion_id: str
    name: str
    product_code: str
    quantity: int


@dataclass(frozen=True, slots=True)
class PricedBasket:
    currency: str
    lines: tuple[PricedLine, ...]  # one per basket line, in the basket's order (voided ones too)
    offers: tuple[GiftOffer, ...] = ()
    exact: bool = True  # False: the search passed its bound and the fallback chose (docs/promotions.md)

    @property
    def gross(self) -> Money:
        return money_sum([l.gross for l in self.lines], self.currency)

    @property
    def discount(self) -> Money:
        return money_sum([l.discount for l in self.lines], self.currency)

    @property
    def total(self) -> Money:
        return money_sum([l.net for l in self.lines], self.currency)

    @property
    def taxes(self) -> tuple[TaxLine, ...]:
        return tax_breakdown(((l.line.product.vat, l.net) for l in self.lines if not l.line.voided), self.currency)

    def applied(self) -> tuple[AppliedPromotion, ...]:
        """Each promotion that gave something, with its total, in the order first given."""
        totals: dict[str, AppliedPromotion] = {}
        for line in self.lines:
            for d in line.discounts:
                seen = totals.get(d.promotion_id)
                totals[d.promotion_id] = AppliedPromotion(
                    d.promotion_id, d.name, d.amount if seen is None else seen.amount + d.amount)
        return tuple(totals.values())

    def line_for(self, line_id: object) -> PricedLine | None:
        return next((l for l in self.lines if l.line.line_id == line_id), None)


def unpriced(lines: tuple[BasketLine, ...] | list[BasketLine], currency: str) -> PricedBasket:
    """The basket with no promotion at all (a till without promotions, a test)."""
    return PricedBasket(currency, tuple(PricedLine(l) for l in lines))
