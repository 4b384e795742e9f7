"""Rounding every discount to whole minor units, and spreading one over lines by largest remainder."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.money import CurrencyMismatch, Money
from pos.pricing.allocation import half_up, spread, spread_money
from pos.pricing.promotion import BuyGet, PercentOff, SpendThreshold
from pos.pricing.stages import evaluate
from tests.pos.pricing.shop import CURRENCY, discounts_of, eur, line, nets, promo

D = Decimal

SPREADS = [
    # name, amount (minor units), weights, parts
    ("4.00 over three equal lines", 400, [1000, 1000, 1000], [134, 133, 133]),
    ("proportional with no remainder", 500, [3000, 2000], [300, 200]),
    # 1.00 over 1:1:1:1:1:1 -> 16 each (96), 4 more to the first four (equal remainders, the earlier first)
    ("ties go to the earlier line", 100, [1] * 6, [17, 17, 17, 17, 16, 16]),
    # 0.10 over 0.01 / 9.99: 0.0001 / 0.0999 -> floors 0 / 9, remainders .1 .99 -> the second
    ("the largest remainder wins, not the first line", 10, [1, 999], [0, 10]),
    # 0.05 over 1/3, 2/3 -> 1.66.. / 3.33.. -> 1 / 3, remainders .67 .33 -> the first: 2 / 3
    ("exact fractions as weights", 5, [Fraction(1, 3), Fraction(2, 3)], [2, 3]),
    ("a zero weight gets nothing", 7, [0, 5, 0], [0, 7, 0]),
    ("no weight at all: equal parts", 5, [0, 0], [3, 2]),
    ("nothing to spread", 0, [3, 4], [0, 0]),
]


@pytest.mark.parametrize(("amount", "weights", "parts"), [r[1:] for r in SPREADS], ids=[r[0] for r in SPREADS])
def test_largest_remainder_spreading(amount, weights, parts):
    assert spread(amount, weights) == parts


def test_spreading_money_keeps_the_currency_and_refuses_a_mixture():
    assert spread_money(eur("4.00"), [eur("1.00")] * 3) == [eur("1.34"), eur("1.33"), eur("1.33")]
    with pytest.raises(CurrencyMismatch):
        spread_money(eur("4.00"), [eur("1.00"), Money.of("1.00", "UAH")])


@pytest.mark.parametrize(("value", "rounded"), [
    (Fraction(1, 2), 1), (Fraction(149, 100), 1), (Fraction(3, 2), 2), (Fraction(5, 2), 3),
    (D("0.5"), 1), (D("2.4999"), 2), (7, 7), (Fraction(-1, 2), -1)])
def test_half_up_rounds_halves_away_from_zero(value, rounded):
    assert half_up(value) == rounded


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), min_size=1, max_size=30))
def test_the_parts_always_add_up_and_each_is_within_a_cent_of_its_share(amount, weights):
    parts = spread(amount, weights)
    assert sum(parts) == amount
    whole = sum(weights) or len(weights)
    for part, weight in zip(parts, weights):
        share = Fraction(amount * (weight if sum(weights) else 1), whole)
        assert share - 1 < part < share + 1


def test_a_percent_of_a_line_rounds_half_up_on_the_line_not_per_unit():
    # 3 * 0.15 = 0.45 ; 10 % = 0.045 -> 0.05 (per unit it would be 3 * 0.015 -> 3 * 0.02 = 0.06)
    assert nets(evaluate([line("gum", "0.15", 3)], [promo("p", PercentOff(D(10)))], (), CURRENCY)) == ["0.40"]


def test_a_100_percent_discount_after_an_earlier_one_leaves_zero_not_a_cent():
    # 9.99 - 33.33 % (3.329667 -> 3.33) = 6.66 ; then 100 % of 6.66 = 6.66 -> 0.00
    chosen = [promo("a", PercentOff(D("33.33"))), promo("b", PercentOff(D(100)), priority=1)]
    assert nets(evaluate([line("pen", "9.99")], chosen, (), CURRENCY)) == ["0.00"]


def test_a_threshold_amount_spreads_to_the_cent_over_the_lines_in_the_canonical_order():
    # 10.00 over 3.00 / 3.00 / 3.00 (scanned c, a, b): 3.333.. each -> 3.34 to "a" (first canonical)
    c, a, b = line("c", "3.00"), line("a", "3.00"), line("b", "3.00")
    priced = evaluate([c, a, b], [promo("t", SpendThreshold(eur("1.00"), amount_off=eur("1.00")))], (), CURRENCY)
    assert [discounts_of(priced, x) for x in (a, b, c)] == [[("t", "0.34")], [("t", "0.33")], [("t", "0.33")]]


def test_a_second_at_half_price_on_odd_cents_rounds_the_promotion_once():
    # 2 * 0.99 = 1.98 ; half of 0.99 = 0.495 -> 0.50 ; 1.48
    assert nets(evaluate([line("gum", "0.99", 2)], [promo("p", BuyGet(1, 1, D(50)))], (), CURRENCY)) == ["1.48"]


def test_a_group_discount_is_spread_over_the_lines_of_the_group_by_their_nets():
    # 3 for 2 over 6.00 / 3.00 / 1.00 (units): 1.00 free, spread 6:3:1 -> 0.60 / 0.30 / 0.10
    big, mid, small = line("big", "6.00"), line("mid", "3.00"), line("small", "1.00")
    priced = evaluate([big, mid, small], [promo("p", BuyGet(2, 1))], (), CURRENCY)
    assert [discounts_of(priced, x) for x in (big, mid, small)] == [[("p", "0.60")], [("p", "0.30")], [("p", "0.10")]]


def test_units_left_over_from_the_groups_take_no_share():
    # 4 units: 5.00, 4.00, 3.00 in the group (3.00 free), the 1.00 left over gets no part of it
    # 3.00 over 5:4:3 (12) -> 1.25 / 1.00 / 0.75
    lines = [line("a", "5.00"), line("b", "4.00"), line("c", "3.00"), line("d", "1.00")]
    priced = evaluate(lines, [promo("p", BuyGet(2, 1))], (), CURRENCY)
    assert nets(priced) == ["3.75", "3.00", "2.25", "1.00"]
