"""The loyalty rules' one reader, the earn table and the offline redemption limit."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.loyalty.earning import earn, points_in, points_value
from pos.loyalty.redeeming import (
    AbovePointsPerDay,
    AbovePointsPerSale,
    BelowMinimumPoints,
    NotEnoughPoints,
    PointsAboveRest,
    PointsAccount,
    check_redeem,
    parse_points,
    BadPoints,
    redeemable,
)
from pos.loyalty.rules import BadLoyaltyRules, LoyaltyRules, read_rules, rules_from_dict
from pos.money import Money

RULES: dict[str, Any] = {"format": "kassa.loyalty.v1", "earn": {"default": "1", "silver": "1.5", "gold": "2"},
                         "point_value": "0.01", "min_redeem": 100, "offline_cap_per_sale": 5000,
                         "offline_cap_per_day": 8000}


def rules(**changes: Any) -> LoyaltyRules:
    return rules_from_dict({**RULES, **changes})


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


@pytest.mark.parametrize(("total", "tier", "points"), [
    ("100.00", "", 100),         # no tier: the default rate
    ("100.00", "bronze", 100),   # a tier not named: the default rate
    ("99.99", "default", 99),    # cents dropped before the rate
    ("99.99", "silver", 148),    # floor(99 * 1.5) = 148.5 -> 148
    ("0.99", "gold", 0),         # less than one whole unit earns nothing
    ("250.50", "gold", 500),
    ("0.00", "gold", 0),
    ("-10.00", "gold", 0),       # a negative amount never takes points away here
])
def test_the_earn_table_by_tier_rounds_down_to_whole_points(total: str, tier: str, points: int) -> None:
    assert earn(uah(total), tier, rules()) == points


def test_without_a_default_tier_an_unnamed_tier_earns_nothing() -> None:
    assert earn(uah("500"), "new", rules(earn={"gold": "2"})) == 0


def test_a_point_is_worth_the_point_value_and_an_amount_counts_back_to_its_points() -> None:
    r = rules(point_value="0.05")
    assert points_value(250, r, "UAH") == uah("12.50")
    assert points_in(uah("12.50"), r) == 250


@pytest.mark.parametrize(("change", "field"), [
    ({"format": "kassa.loyalty.v9"}, "format"),
    ({"earn": {"gold": "-1"}}, "earn.gold"),
    ({"earn": {"gold": 1.5}}, "earn.gold"),
    ({"earn": {"gold": "1.555"}}, "earn.gold"),
    ({"earn": {}}, "earn"),
    ({"point_value": "0"}, "point_value"),
    ({"point_value": "0.005"}, "point_value"),
    ({"point_value": "ten"}, "point_value"),
    ({"min_redeem": -1}, "min_redeem"),
    ({"min_redeem": "100"}, "min_redeem"),
    ({"offline_cap_per_sale": True}, "offline_cap_per_sale"),
    ({"offline_cap_per_day": 10}, "offline_cap_per_day"),
    ({"points_per_euro": 1}, "points_per_euro"),
])
def test_bad_rules_are_refused_with_a_message_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(BadLoyaltyRules) as refused:
        rules(**change)
    assert str(refused.value).startswith(field), str(refused.value)


def test_a_missing_field_and_text_that_is_not_json_are_named() -> None:
    body = {k: v for k, v in RULES.items() if k != "point_value"}
    with pytest.raises(BadLoyaltyRules, match="^point_value: missing"):
        rules_from_dict(body)
    with pytest.raises(BadLoyaltyRules, match="not JSON"):
        read_rules("{earn")


def test_the_rules_read_back_from_their_own_json() -> None:
    r = rules()
    assert read_rules(json.dumps(r.to_dict())) == r


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12))
def test_any_json_is_either_rules_or_a_bad_rules_message(data: Any) -> None:
    try:
        rules_from_dict(data)
    except BadLoyaltyRules:
        pass


# -- redeeming --------------------------------------------------------------------------------
def account(balance: int, used_since: int = 0, used_today: int = 0) -> PointsAccount:
    return PointsAccount(balance, used_since, used_today)


@pytest.mark.parametrize(("points", "acct", "rest", "refusal"), [
    (50, account(1000), "100.00", BelowMinimumPoints),
    (900, account(1000, used_since=200), "100.00", NotEnoughPoints),
    (6000, account(9000), "100.00", AbovePointsPerSale),
    (3000, account(9000, used_today=6000), "100.00", AbovePointsPerDay),
    (2000, account(9000), "10.00", PointsAboveRest),
])
def test_each_rule_of_the_offline_limit_refuses_with_its_own_message(
        points: int, acct: PointsAccount, rest: str, refusal: type[Exception]) -> None:
    with pytest.raises(refusal):
        check_redeem(points, acct, rules(), uah(rest))


def test_points_within_every_rule_pay_their_value() -> None:
    assert check_redeem(800, account(1000, used_since=200), rules(), uah("100.00")) == uah("8.00")


def test_typed_points_are_whole_numbers_only() -> None:
    assert parse_points(" 1 200 ") == 1200
    for text in ("12.5", "-3", "", "١٢", "1e3"):
        with pytest.raises(BadPoints):
            parse_points(text)


@given(balance=st.integers(-1000, 20_000), used_since=st.integers(0, 20_000), used_today=st.integers(0, 20_000),
       cap_sale=st.integers(0, 6000), extra_day=st.integers(0, 6000), minimum=st.integers(0, 500),
       rest_minor=st.integers(0, 1_000_000), points=st.integers(1, 30_000))
def test_the_offline_limit_never_exceeds_the_balance_less_what_this_till_used_nor_a_cap(
        balance: int, used_since: int, used_today: int, cap_sale: int, extra_day: int, minimum: int,
        rest_minor: int, points: int) -> None:
    r = rules(min_redeem=minimum, offline_cap_per_sale=cap_sale, offline_cap_per_day=cap_sale + extra_day)
    acct, rest = account(balance, used_since, used_today), Money.from_minor(rest_minor, "UAH")
    most = redeemable(acct, r, rest)
    assert 0 <= most <= max(0, balance - used_since)
    assert most <= cap_sale and most + used_today <= cap_sale + extra_day or most == 0
    assert points_value(most, r, "UAH") <= rest
    try:
        value = check_redeem(points, acct, r, rest)
    except (BelowMinimumPoints, NotEnoughPoints, AbovePointsPerSale, AbovePointsPerDay, PointsAboveRest):
        assert points > most or points < max(1, minimum)
    else:
        assert points <= most and value == points_value(points, r, "UAH")
        assert points <= balance - used_since and points <= cap_sale and points + used_today <= cap_sale + extra_day
