"""The demo store's promotion set: every definition reads with no skipped one, the hub would
take it (names the demo catalog has, no overlapping exclusive groups), its windows hold
whatever the day, and the first basket a cashier scans in the demo gets discounts from
several promotions."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from pos.basket import Basket
from pos.demo_catalog import generate_catalog
from pos.demo_promotions import CUSTOMER_GROUPS, demo_promotions
from pos.money import Money
from pos.pricing.definitions import check_definitions, definition_from_dict, promotion_set_from_items
from pos.pricing.engine import price_basket
from pos.pricing.priced import PricingContext
from pos.pricing.promotion import Cap, CustomerFacts, Promotion

CATALOG = list(generate_catalog(5000))
TODAY = date(2026, 12, 2)  # a Wednesday


def test_the_whole_demo_set_reads_with_no_skipped_definition_and_covers_every_kind() -> None:
    definitions = demo_promotions(TODAY)

    held, skipped = promotion_set_from_items(definitions, "UAH")

    assert skipped == ()
    assert 25 <= len(held.promotions) + len(held.caps) == len(definitions) <= 35
    kinds = Counter(d["kind"] for d in definitions)
    assert set(kinds) == {"percent_off", "amount_off", "fixed_price", "buy_get", "bundle", "spend_threshold", "gift",
                          "cap"}
    by_id = {d["id"]: d for d in definitions}
    assert {by_id["P-COLGATE-HALF"]["percent"], by_id["P-VICHY-3FOR2"].get("percent", "100")} == {"50", "100"}
    birthdays = [d for d in definitions if d["validity"].get("birthday")]
    assert sorted(g for d in birthdays for g in d["validity"]["customer_groups"]) == sorted(CUSTOMER_GROUPS)
    assert {d.get("combination") for d in definitions} >= {"exclusive", "best_of", "stackable"}
    assert sum(bool(d["validity"].get("needs_code")) for d in definitions) >= 2


def test_the_hub_would_take_the_demo_set_over_the_demo_catalog() -> None:
    codes = {p.code for p in CATALOG}
    brands = {p.brand for p in CATALOG}
    categories = {p.category for p in CATALOG}
    read = [definition_from_dict(d, "UAH") for d in demo_promotions(TODAY)]

    assert check_definitions(read, product_exists=codes.__contains__, brand_exists=brands.__contains__,
                             category_exists=categories.__contains__) == []


@pytest.mark.parametrize("today", [date(2026, 1, 1), date(2027, 2, 28), date(2028, 2, 29), date(2031, 12, 31)])
def test_every_date_window_holds_the_day_it_was_made_for(today: date) -> None:
    held, _ = promotion_set_from_items(demo_promotions(today), "UAH")
    noon = datetime.combine(today, time(12, 0))

    for d in (*held.promotions, *held.caps):
        assert d.validity.starts is not None and d.validity.ends is not None
        assert d.validity.starts <= noon < d.validity.ends, d
    assert demo_promotions(today) == demo_promotions(today)  # deterministic


def _first_demo_basket() -> Basket:
    """What tools/screenshots.py scans: products 1, 7, 3, 10 and three of 14."""
    basket = Basket(currency="UAH", opened_at=datetime(2026, 12, 2, 10, 0))
    for index, quantity in ((0, 1), (6, 1), (2, 1), (9, 1), (13, 3)):
        product = CATALOG[index]
        basket.add(product, Decimal(quantity), product.barcode)
    return basket


def test_the_first_demo_basket_gets_discounts_from_several_promotions() -> None:
    held, _ = promotion_set_from_items(demo_promotions(TODAY), "UAH")
    basket = _first_demo_basket()
    at_ten = PricingContext(now=datetime.combine(TODAY, time(10, 0)), store_id="DEMO-KYIV-01")

    priced = price_basket(basket.lines, held, at_ten, "UAH")

    given = {d.promotion_id for line in priced.lines for d in line.discounts}
    assert {"P-COLGATE-HALF", "P-VICHY-3FOR2", "P-HS-25", "P-SKIN-15"} <= given
    assert "P-HAIR-10" not in given  # best of one group: Head & Shoulders takes its 25 %
    assert priced.discount > Money(Decimal("400"), "UAH")
    assert priced.total == priced.gross - priced.discount


def test_a_luxury_perfume_never_gets_more_than_ten_percent_off_and_a_birthday_adds_within_the_cap() -> None:
    held, _ = promotion_set_from_items(demo_promotions(TODAY), "UAH")
    perfume = next(p for p in CATALOG if p.brand == "Chanel")
    basket = Basket(currency="UAH", opened_at=datetime(2026, 12, 2, 10, 0))
    basket.add(perfume, Decimal(1), perfume.barcode)
    vip = CustomerFacts("C-1", tier="vip", group="vip", birthday=TODAY - timedelta(days=3))
    context = PricingContext(now=datetime.combine(TODAY, time(10, 0)), store_id="DEMO-KYIV-01", customer=vip)

    priced = price_basket(basket.lines, held, context, "UAH")

    line = priced.lines[0]
    assert Money(Decimal(0), "UAH") < line.discount <= Money((perfume.price.amount / 10).quantize(Decimal("0.01")),
                                                             "UAH")
    assert any(isinstance(c, Cap) for c in held.caps) and all(isinstance(p, Promotion) for p in held.promotions)
