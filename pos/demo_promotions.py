"""The demo store's promotions: about thirty definitions in ``kassa.promotion.v1`` over the
demo catalog's real products, brands and categories (``pos.demo_catalog``), the kind of set
a drugstore and perfumery chain's marketing runs at once.

Every kind is here (percent, amount, fixed price, 3 for 2, second at half price, mix and
match bundles, basket thresholds by amount and by percent, gifts with purchase), every scope
(the whole assortment, brands, categories, single products, exclusions), a happy hour, weekday
offers, a cap of 10 % on luxury perfume brands, a birthday offer per customer group (staff,
regular, vip), a VIP tier offer, offers that need a promo code, exclusive and best-of ones.

``demo_promotions(today)`` is deterministic for a given day and its date windows always hold
``today``: the demo shows discounts whatever the date.  Given the catalog's ``products`` (a
demo store of a few hundred items lacks some brands), names it lacks are left out, and so is a
promotion left with none, so that the hub, which refuses unknown names, takes the set.  The first products a cashier scans
in the demo (codes 100001-100014, those of ``tools/screenshots.py``) are covered by several of
them: Colgate's second at half price, Vichy's 3 for 2, Head & Shoulders, skin care, the basket
threshold.  Amounts are in hryvnias (the demo store's UAH).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from pos.catalog import Product

FORMAT = "kassa.promotion.v1"
LUXURY = ["Chanel", "Dior", "Giorgio Armani", "Lancôme", "Carolina Herrera"]
CUSTOMER_GROUPS = ("staff", "regular", "vip")
VIP_TIER = "vip"
GIFT_CREAM = "100011"  # Nivea hand cream 75 ml
JACOBS_COFFEE = "100013"


def _at(day: date) -> str:
    return datetime.combine(day, time(0, 0)).isoformat(timespec="minutes")


def _promotion(promotion_id: str, name: str, kind: str, today: date, *, days: tuple[int, int] = (-14, 45),
               scope: dict[str, Any] | None = None, validity: dict[str, Any] | None = None,
               combination: str = "stackable", priority: int = 0, **benefit: Any) -> dict[str, Any]:
    """One definition valid from ``today + days[0]`` to ``today + days[1]`` (end excluded)."""
    starts, ends = (today + timedelta(days=d) for d in days)
    definition: dict[str, Any] = {"format": FORMAT, "id": promotion_id, "name": name, "kind": kind, **benefit,
                                  "scope": scope or {},
                                  "validity": {"starts": _at(starts), "ends": _at(ends), **(validity or {})}}
    if kind != "cap":
        definition.update(combination=combination, priority=priority)
    return definition


def demo_promotions(today: date, products: Iterable[Product] | None = None) -> list[dict[str, Any]]:
    """The demo store's promotion set, its windows around ``today``; with ``products``, only
    the names they have (see the module's docstring)."""
    def p(promotion_id: str, name: str, kind: str, **rest: Any) -> dict[str, Any]:
        return _promotion(promotion_id, name, kind, today, **rest)

    items = [
        # -- brands and categories, stacking ------------------------------------------------------
        p("P-COLGATE-HALF", "Colgate: second at half price", "buy_get", buy=1, get=1, percent="50",
          scope={"brands": ["Colgate"]}),
        p("P-VICHY-3FOR2", "Vichy 3 for 2", "buy_get", buy=2, get=1, scope={"brands": ["Vichy"]}),
        p("P-SKIN-15", "Skin care -15 %", "percent_off", percent="15",
          scope={"categories": ["Skin care"], "exclude": {"brands": ["La Roche-Posay"]}}),
        p("P-CHOCOLATE-10", "Roshen and Milka: 10.00 off", "amount_off", amount="10.00",
          scope={"brands": ["Roshen", "Milka"]}),
        p("P-JACOBS-249", "Jacobs ground coffee for 249.00", "fixed_price", price="249.00",
          scope={"products": [JACOBS_COFFEE]}, days=(-1, 7)),
        p("P-FRUIT-5KG", "Fruit and deli: 5.00 off a kilogram", "amount_off", amount="5.00",
          scope={"categories": ["Fruit, vegetables and deli"]}),
        # -- mix and match ------------------------------------------------------------------------
        p("P-WATER-3FOR2", "Mineral water: any 3 for 2", "buy_get", buy=2, get=1,
          scope={"brands": ["Моршинська", "Borjomi", "Sirab"]}),
        p("P-SHOWER-3-FOR-199", "Palmolive, Fa, Safeguard: any 3 for 199.00", "bundle", size=3, price="199.00",
          scope={"brands": ["Palmolive", "Fa", "Safeguard"]}),
        p("P-TEA-2-FOR-99", "Azerçay tea: any 2 for 99.00", "bundle", size=2, price="99.00",
          scope={"brands": ["Azerçay"]}),
        # -- best of one priority group: Head & Shoulders gets 25 %, other hair care 10 % -----------
        p("P-HAIR-10", "Hair care -10 %", "percent_off", percent="10",
          scope={"categories": ["Hair care"], "exclude": {"brands": ["Чиста Лінія"]}},
          combination="best_of", priority=2),
        p("P-HS-25", "Head & Shoulders -25 %", "percent_off", percent="25",
          scope={"brands": ["Head & Shoulders"]}, combination="best_of", priority=2),
        # -- exclusive: nothing else on these lines --------------------------------------------------
        p("P-GARNIER-CLEARANCE", "Garnier Fructis clearance -30 %", "percent_off", percent="30",
          scope={"brands": ["Garnier Fructis"]}, combination="exclusive", priority=1, days=(-3, 10)),
        p("P-SOLGAR-20", "Solgar vitamins -20 %", "percent_off", percent="20",
          scope={"brands": ["Solgar"]}, combination="exclusive", priority=1),
        # -- perfume and the luxury cap ----------------------------------------------------------------
        p("P-PERFUME-20", "Perfume -20 %", "percent_off", percent="20", scope={"categories": ["Perfume"]}),
        p("CAP-LUXURY-10", "Luxury brands: at most 10 % off", "cap", max_percent="10", scope={"brands": LUXURY}),
        p("P-PERFUME-GIFT", "A hand cream with any perfume", "gift", product=GIFT_CREAM,
          scope={"categories": ["Perfume"]}),
        # -- the basket --------------------------------------------------------------------------------
        p("P-BASKET-1000", "Spend 1000.00, get 100.00 off", "spend_threshold", spend="1000.00", amount_off="100.00",
          combination="best_of", priority=10),
        p("P-BASKET-3000", "Spend 3000.00, get 7 % off", "spend_threshold", spend="3000.00", percent="7",
          combination="best_of", priority=10),
        p("P-SKIN-GIFT", "Skin care over 500.00: a hand cream free", "gift", product=GIFT_CREAM, spend="500.00",
          scope={"categories": ["Skin care"]}),
        # -- when: a happy hour and weekdays -------------------------------------------------------------
        p("P-HAPPY-HOUR", "Happy hour: grocery -20 % from 17:00 to 19:00", "percent_off", percent="20",
          scope={"categories": ["Grocery"]}, validity={"hours": ["17:00", "19:00"]}),
        p("P-WEEKEND-BODY", "Weekend: body and bath -10 %", "percent_off", percent="10",
          scope={"categories": ["Body and bath"]}, validity={"weekdays": [6, 7]}),
        p("P-MIDWEEK-DRUGSTORE", "Tuesday to Thursday: drugstore -5 %", "percent_off", percent="5",
          scope={"categories": ["Drugstore"]}, validity={"weekdays": [2, 3, 4]}),
        # -- who: birthdays per customer group, the VIP tier, a segment, this store -----------------------
        *(p(f"P-BIRTHDAY-{group.upper()}", f"Happy birthday ({group}): -{percent} %", "percent_off",
            percent=percent, validity={"birthday": True, "customer_groups": [group]},
            scope={"exclude": {"categories": ["Perfume"]}}, priority=5)
          for group, percent in zip(CUSTOMER_GROUPS, ("20", "10", "15"))),
        p("P-VIP-5", "VIP: -5 % on everything", "percent_off", percent="5", validity={"tiers": [VIP_TIER]},
          scope={"exclude_reduced": True}, priority=6),
        p("P-FAMILIES-VITAMINS", "Families: children's vitamins -12 %", "percent_off", percent="12",
          scope={"categories": ["Drugstore"]}, validity={"segments": ["families"]}),
        p("P-KYIV-TEA", "Kyiv store: tea and coffee -8 %", "percent_off", percent="8",
          scope={"brands": ["Azerçay", "Jacobs", "Lavazza"]}, validity={"stores": ["DEMO-KYIV-01"]}),
        # -- promo codes (the codes themselves come with the promo code feature) ---------------------------
        p("P-CODE-WELCOME", "Welcome code: skin care -20 %", "percent_off", percent="20",
          scope={"categories": ["Skin care"]}, validity={"needs_code": True}, combination="exclusive", priority=3),
        p("P-CODE-PERFUME-500", "Perfume code: 500.00 off 3000.00", "spend_threshold", spend="3000.00",
          amount_off="500.00", scope={"categories": ["Perfume"]}, validity={"needs_code": True}),
        p("P-CODE-HAIR-2FOR1", "Hair code: second hair product free", "buy_get", buy=1, get=1,
          scope={"categories": ["Hair care"]}, validity={"needs_code": True}, days=(-1, 3)),
    ]
    return items if products is None else _within(items, list(products))


def _within(items: list[dict[str, Any]], products: list[Product]) -> list[dict[str, Any]]:
    known = {"products": {p.code for p in products}, "brands": {p.brand for p in products},
             "categories": {p.category for p in products}}
    kept = []
    for item in items:
        scope = item["scope"]
        named = any(scope.get(key) for key in known)
        for part in (scope, scope.get("exclude", {})):
            for key, names in known.items():
                if key in part:
                    part[key] = [name for name in part[key] if name in names]
        if (named and not any(scope.get(key) for key in known)) or item.get("product", "") not in {"", *known["products"]}:
            continue
        kept.append(item)
    return kept
