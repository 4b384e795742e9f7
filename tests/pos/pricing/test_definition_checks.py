"""The hub's checks across definitions: names the catalog lacks, an id used twice, and two
exclusive promotions of one priority group that can cover the same line at the same time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.catalog import Product, VatRate
from pos.money import Money
from pos.pricing.definition_checks import overlap
from pos.pricing.definitions import check_definitions, definition_from_dict
from pos.pricing.eligibility import is_valid
from pos.pricing.priced import PricingContext
from pos.pricing.promotion import Cap, Combination, PercentOff, Promotion, Scope, Validity

PRODUCTS, BRANDS, CATEGORIES = {"MILK", "BREAD", "GIFT-BAG"}, {"Lux", "Farm"}, {"Dairy", "Bakery"}


def define(promotion_id: str, *, kind: str = "percent_off", combination: str = "exclusive", priority: int = 0,
           scope: dict[str, Any] | None = None, validity: dict[str, Any] | None = None,
           **fields: Any) -> Promotion | Cap:
    own = {"percent": "10"} if kind == "percent_off" and not fields else fields
    d = {"format": "kassa.promotion.v1", "id": promotion_id, "name": promotion_id, "kind": kind, **own,
         "scope": scope or {}, "validity": validity or {}}
    if kind != "cap":
        d |= {"combination": combination, "priority": priority}
    return definition_from_dict(d, "UAH")


def check(*defs: Promotion | Cap, alongside: tuple[Promotion | Cap, ...] = ()) -> list[str]:
    return check_definitions(list(defs), product_exists=PRODUCTS.__contains__, brand_exists=BRANDS.__contains__,
                             category_exists=CATEGORIES.__contains__, alongside=alongside)


def test_names_the_catalog_does_not_have_are_each_named_with_their_field() -> None:
    problems = check(
        define("P1", combination="stackable", scope={"products": ["MILK", "MILKK"], "brands": ["Luxx"],
                                                      "exclude": {"categories": ["Diary"]}}),
        define("G1", kind="gift", product="NO-SUCH-GIFT", combination="stackable"),
        define("C1", kind="cap", max_percent="10", scope={"brands": ["Lux"]}))
    assert problems == [
        "Promotion P1: scope.products names product “MILKK”, which the catalog does not have.",
        "Promotion P1: scope.brands names brand “Luxx”, which no product of the catalog has.",
        "Promotion P1: scope.exclude.categories names category “Diary”, which no product of the catalog has.",
        "Promotion G1: product names product “NO-SUCH-GIFT”, which the catalog does not have."]


def test_an_id_given_twice_is_refused_once_whatever_the_kinds() -> None:
    twice = check(define("P1", combination="stackable"), define("P1", kind="cap", max_percent="5"))
    assert twice == ["Promotion P1: more than one definition has this id."]


def window(starts: str | None = None, ends: str | None = None, **more: Any) -> dict[str, Any]:
    return {"starts": starts, "ends": ends, **more}


@pytest.mark.parametrize(("first", "second", "overlapping"), [
    # the whole assortment meets anything it does not exclude
    (dict(), dict(scope={"brands": ["Lux"]}), True),
    (dict(scope={"exclude": {"brands": ["Lux"]}}), dict(scope={"brands": ["Lux"]}), False),
    # a line is one product, of one brand, in one category
    (dict(scope={"categories": ["Dairy"]}), dict(scope={"categories": ["Bakery"]}), False),
    (dict(scope={"products": ["MILK"]}), dict(scope={"products": ["BREAD"]}), False),
    (dict(scope={"categories": ["Dairy"]}), dict(scope={"brands": ["Farm"]}), True),  # a Farm product may be dairy
    (dict(scope={"products": ["MILK"]}), dict(scope={"categories": ["Dairy"], "exclude": {"products": ["MILK"]}}),
     False),
    # a gift's product is covered too
    (dict(kind="gift", product="GIFT-BAG", scope={"products": ["MILK"]}), dict(scope={"products": ["GIFT-BAG"]}),
     True),
    # another priority group, or not exclusive: no conflict
    (dict(), dict(priority=1), False),
    (dict(), dict(combination="best_of"), False),
    # times: date windows, weekdays, hours (across midnight too), stores, tiers
    (dict(validity=window("2026-12-01T00:00", "2026-12-08T00:00")), dict(validity=window("2026-12-08T00:00")), False),
    (dict(validity=window("2026-12-01T00:00", "2026-12-09T00:00")), dict(validity=window("2026-12-08T00:00")), True),
    (dict(validity={"weekdays": [1, 2, 3]}), dict(validity={"weekdays": [6, 7]}), False),
    (dict(validity={"weekdays": [1, 2, 3]}), dict(validity={"weekdays": [3, 4]}), True),
    # Black Friday (27 November 2026 is a Friday) is no weekend
    (dict(validity=window("2026-11-27T00:00", "2026-11-28T00:00")), dict(validity={"weekdays": [6, 7]}), False),
    (dict(validity=window("2026-11-27T00:00", "2026-11-29T00:00")), dict(validity={"weekdays": [6, 7]}), True),
    (dict(validity=window("2026-11-27T20:00", "2026-11-28T02:00")), dict(validity={"hours": ["09:00", "18:00"]}),
     False),
    (dict(validity=window("2026-11-27T20:00", "2026-11-28T10:00")), dict(validity={"hours": ["09:00", "18:00"]}),
     True),
    (dict(validity={"hours": ["08:00", "12:00"]}), dict(validity={"hours": ["12:00", "18:00"]}), False),
    (dict(validity={"hours": ["22:00", "06:00"]}), dict(validity={"hours": ["05:00", "07:00"]}), True),
    (dict(validity={"hours": ["22:00", "06:00"]}), dict(validity={"hours": ["06:00", "22:00"]}), False),
    (dict(validity={"stores": ["S1"]}), dict(validity={"stores": ["S2"]}), False),
    (dict(validity={"stores": ["S1"]}), dict(validity={"tiers": ["gold"]}), True),
    (dict(validity={"tiers": ["gold"], "birthday": True}), dict(validity={"tiers": ["silver"]}), False),
])
def test_two_exclusive_promotions_of_one_priority_group_are_refused_only_when_they_can_meet(
        first: dict[str, Any], second: dict[str, Any], overlapping: bool) -> None:
    problems = check(define("P-A", **first), define("P-B", **second))
    expected = ["Promotions P-A and P-B overlap: both are exclusive in priority group 0 and can cover the same "
                "line at the same time (overlapping exclusive groups)."]
    assert problems == (expected if overlapping else [])


def test_a_new_definition_is_checked_against_the_stored_ones_it_does_not_replace() -> None:
    stored = (define("P-OLD"), define("P-SAME", scope={"brands": ["Lux"]}))
    assert check(define("P-NEW", scope={"categories": ["Dairy"]}), alongside=stored)[0].startswith(
        "Promotions P-NEW and P-OLD overlap")
    assert check(define("P-OLD", scope={"brands": ["Farm"]}), alongside=stored) == []  # replaces P-OLD


def test_windows_at_the_end_of_time_are_judged_without_overflowing() -> None:
    late = {"starts": "9999-12-31T00:00", "ends": "9999-12-31T23:00"}
    assert check(define("P-A", validity=late), define("P-B", validity={"weekdays": [5]}))  # 31 Dec 9999: a Friday


# -- the windows' judgement against the engine's own eligibility, hour by hour ---------------------
START = datetime(2026, 11, 23)  # a Monday
hours_of = st.integers(0, 23).map(lambda h: time(h))
validities = st.builds(
    lambda window, weekdays, hours: Validity(starts=None if window[0] is None else START + timedelta(hours=window[0]),
                                             ends=None if window[1] is None else START + timedelta(hours=window[1]),
                                             weekdays=weekdays, hours=hours),
    window=st.tuples(st.none() | st.integers(0, 400), st.none() | st.integers(0, 400)).filter(
        lambda w: None in w or w[0] < w[1]),
    weekdays=st.frozensets(st.integers(1, 7), max_size=3),
    hours=st.none() | st.tuples(hours_of, hours_of).filter(lambda h: h[0] != h[1]))


@settings(max_examples=300, deadline=None)
@given(first=validities, second=validities)
def test_two_validities_meet_exactly_when_some_hour_is_valid_for_both(first: Validity, second: Validity) -> None:
    """Every bound here is a whole hour, so trying each hour of the span and a week and a day
    either side of it (for open windows) is the whole truth; the engine's is_valid is the judge."""
    a = Promotion("P-A", "A", PercentOff(Decimal(10)), validity=first, combination=Combination.EXCLUSIVE)
    b = Promotion("P-B", "B", PercentOff(Decimal(10)), validity=second, combination=Combination.EXCLUSIVE)
    some_hour = any(is_valid(first, PricingContext(now=START + timedelta(hours=h)))
                    and is_valid(second, PricingContext(now=START + timedelta(hours=h)))
                    for h in range(-24 * 8, 400 + 24 * 8))
    assert overlap(a, b) == some_hour == overlap(b, a)


# -- the scopes' judgement against every product a catalog could hold -----------------------------
CODES, NAMES = ["p1", "p2", "p3"], ["x", "y", "z"]
small = st.frozensets(st.sampled_from(NAMES), max_size=2)
codes = st.frozensets(st.sampled_from(CODES), max_size=2)
scopes = st.builds(Scope, codes, small, small, codes, small, small)
EVERY_PRODUCT = [Product(code, code, brand, category, Money.of("1", "UAH"), VatRate("A", Decimal(20)))
                 for code in CODES for brand in NAMES for category in NAMES]


@settings(max_examples=500, deadline=None)
@given(first=scopes, second=scopes)
def test_scopes_judged_apart_never_cover_one_product_together(first: Scope, second: Scope) -> None:
    """Whatever brand and category each product code has, two scopes judged apart share no
    product; and without exclusions they are judged apart exactly when none is shared."""
    a = Promotion("P-A", "A", PercentOff(Decimal(10)), first, combination=Combination.EXCLUSIVE)
    b = Promotion("P-B", "B", PercentOff(Decimal(10)), second, combination=Combination.EXCLUSIVE)
    shared = any(first.covers(p) and second.covers(p) for p in EVERY_PRODUCT)
    if not overlap(a, b):
        assert not shared
    if not (first.exclude_products or first.exclude_brands or first.exclude_categories
            or second.exclude_products or second.exclude_brands or second.exclude_categories):
        assert overlap(a, b) == shared
