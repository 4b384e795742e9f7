"""The pricing step: ``price_basket(lines, promotions, context)`` -> ``PricedBasket``.

STUB until the engine lands: gives no discount.  The contract (docs/promotions.md):
pure, deterministic, independent of the order of the lines, never worse for the customer
than any allowed combination within the documented bound, caps always respected.
"""

from __future__ import annotations

from collections.abc import Sequence

from pos.basket import BasketLine
from pos.pricing.priced import PricedBasket, PricingContext, unpriced
from pos.pricing.promotion import PromotionSet


def price_basket(lines: Sequence[BasketLine], promotions: PromotionSet, context: PricingContext,
                 currency: str) -> PricedBasket:
    return unpriced(list(lines), currency)
