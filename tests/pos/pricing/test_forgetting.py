"""The pricing step's module caches stay within their bounds, forgetting the oldest first,
and a till that has forgotten prices every basket as one that remembered everything."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos.pricing import (bitmasks, carried_totals, line_groups, lines, priced_groups, scoring, search, settled, stages,
                         unit_deals)
from pos.pricing.engine import price_basket
from pos.pricing.forgetting import make_room
from pos.pricing.priced import PricingContext
from pos.pricing.promotion import (BuyGet, BundlePrice, Cap, Combination, PercentOff, PromotionSet, Scope,
                                   SpendThreshold)
from tests.pos.pricing.shop import CURRENCY, eur, line, promo
from tests.pos.pricing.test_against_the_oracle import NOW

SMALL = {(line_groups, "REMEMBERED"): 8, (line_groups, "READY_KEPT"): 4, (priced_groups, "KEPT"): 4,
         (scoring, "LOWEST_KEPT"): 4, (unit_deals, "KEPT"): 4, (stages, "DISCOUNTS_KEPT"): 4,
         (stages, "RATIOS_KEPT"): 2, (unit_deals, "PERCENTS_KEPT"): 2, (bitmasks, "TABLES_KEPT"): 4,
         (carried_totals, "LAYOUTS_KEPT"): 2, (carried_totals, "NONZERO_KEPT"): 4, (lines, "FACTS_KEPT"): 8,
         (settled, "WITHOUT_SPEND_KEPT"): 2, (search, "CANDIDATES_KEPT"): 4}


def test_a_full_cache_forgets_its_oldest_sixteenth_first_and_one_below_its_bound_forgets_nothing():
    cache = dict.fromkeys(range(40))
    make_room(cache, 41)
    assert len(cache) == 40
    make_room(cache, 40)
    assert list(cache) == list(range(2, 40))  # 40 // 16
    make_room(cache, 8)
    assert list(cache) == list(range(3, 40))  # one at least


def _sales() -> list[list]:
    """Three sales of grocery, care and luxury lines, some bought twice, one dearer than the rest."""
    made = []
    for sale in range(3):
        made.append([line(f"g{k}", f"{2 + k}.{sale}0", 1 + (k + sale) % 2, category="food" if k % 2 else "care",
                          brand="Lux" if k % 3 == 0 else "House") for k in range(9)])
    return made


def _promotions() -> PromotionSet:
    return PromotionSet((
        promo("B", BuyGet(2, 1), Scope(categories=frozenset({"food"}))),
        promo("D", BundlePrice(2, eur("5.00")), Scope(products=frozenset({"g1", "g2"}))),
        promo("P", PercentOff(Decimal(10)), Scope(brands=frozenset({"House"}))),
        promo("X", PercentOff(Decimal(30)), Scope(products=frozenset({"g4"})), combination=Combination.EXCLUSIVE),
        promo("T", SpendThreshold(eur("20.00"), percent=Decimal(5)))),
        (Cap("L", "Lux at most 10 %", Scope(brands=frozenset({"Lux"})), Decimal(10)),))


def _priced_scan_by_scan(sales: list[list], promotions: PromotionSet) -> list[tuple]:
    context = PricingContext(now=NOW.now)
    return [price_basket(lines[:n], promotions, context, CURRENCY) for lines in sales for n in range(1, len(lines) + 1)]


def test_a_till_that_forgets_almost_everything_prices_each_scan_as_one_that_remembers():
    sales, promotions = _sales(), _promotions()
    remembered = _priced_scan_by_scan(sales, promotions)
    with pytest.MonkeyPatch.context() as patch:
        for (module, name), bound in SMALL.items():
            patch.setattr(module, name, bound)
        caches = {"answers": (line_groups._ANSWERS, 8), "ready": (line_groups._READY, 4),
                  "priced": (priced_groups.PRICED, 4), "nets": (scoring._LOWEST, 4), "deals": (unit_deals._ANSWERS, 4),
                  "discounts": (stages._DISCOUNTS, 4), "ratios": (stages._RATIOS, 2),
                  "percents": (unit_deals._PERCENTS, 2), "tables": (bitmasks._TABLES, 4),
                  "layouts": (carried_totals._LAYOUTS, 2), "facts": (lines._FACTS, 8),
                  "without spend": (settled._WITHOUT_SPEND, 2)}
        # checked as a scorer or a reprice starts, so a search may add some past them
        loose = {"nonzero": (carried_totals._NONZERO, 4), "candidates": (search._LAST_CANDIDATES, 4)}
        for cache, _ in [*caches.values(), *loose.values()]:
            cache.clear()  # as a till starts
        forgetting = _priced_scan_by_scan(sales, _promotions())  # new promotions: nothing remembered is met
        over = {name: len(cache) for name, (cache, bound) in caches.items() if len(cache) > bound}
        over |= {name: len(cache) for name, (cache, bound) in loose.items() if len(cache) > bound + 64}
    assert over == {}, f"caches past their bounds: {over}"
    assert forgetting == remembered
