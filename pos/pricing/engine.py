"""The pricing step: ``price_basket(lines, promotions, context, currency)`` -> ``PricedBasket``.

The contract (docs/promotions.md): pure, deterministic, independent of the order of the
lines and of the promotions; the promotions valid for the context (``eligibility``), combined
as the combination rules allow, the best deal for the customer found by the search
(``pos.pricing.search``: exact within its bound, ``PricedBasket.exact`` False past it), the
caps always respected.
"""

from __future__ import annotations

from collections.abc import Sequence

from pos.basket import BasketLine
from pos.pricing.eligibility import active_caps, active_promotions
from pos.pricing.priced import PricedBasket, PricingContext, unpriced
from pos.pricing.promotion import PromotionSet
from pos.pricing.search import best_deal


def price_basket(lines: Sequence[BasketLine], promotions: PromotionSet, context: PricingContext,
                 currency: str) -> PricedBasket:
    active = active_promotions(promotions, context)
    if not active or not lines:
        return unpriced(list(lines), currency)
    return best_deal(lines, active, active_caps(promotions, context), currency).priced
