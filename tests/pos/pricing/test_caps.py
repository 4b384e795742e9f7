"""Caps: at most ``max_percent`` of a covered line's gross off it, whatever else applies."""

from __future__ import annotations

from decimal import Decimal

from pos.pricing.promotion import AmountOff, BuyGet, PercentOff, Scope, SpendThreshold
from pos.pricing.stages import evaluate
from tests.pos.pricing.shop import CURRENCY, cap, discounts_of, eur, line, nets, promo

D = Decimal
LUX = Scope(brands=frozenset({"Lux"}))


def test_a_cap_cuts_stacked_discounts_taking_back_the_last_applied_first():
    # 100.00 Lux bag: 5.00 off (stage 3), then 20 % of 95.00 = 19.00 (stage 4): 24.00 in all
    # cap 10 %: at most 10.00 ; 14.00 too much: the 20 % (last) gives back all but 5.00
    bag = line("bag", "100.00", brand="Lux")
    chosen = [promo("twenty", PercentOff(D(20))), promo("five", AmountOff(eur("5.00")))]
    priced = evaluate([bag], chosen, [cap("lux", "10", LUX)], CURRENCY)
    assert discounts_of(priced, bag) == [("five", "5.00"), ("twenty", "5.00")]
    assert priced.total == eur("90.00")


def test_a_cap_can_take_a_whole_discount_away_and_the_line_then_shows_it_no_more():
    # 5 % cap on 100.00 = 5.00 ; 8.00 off then 10 % of 92.00 = 9.20: 17.20 ; back 12.20:
    # all 9.20 of the percent, then 3.00 of the 8.00
    bag = line("bag", "100.00", brand="Lux")
    chosen = [promo("eight", AmountOff(eur("8.00"))), promo("ten", PercentOff(D(10)))]
    priced = evaluate([bag], chosen, [cap("lux", "5", LUX)], CURRENCY)
    assert discounts_of(priced, bag) == [("eight", "5.00")]
    assert [a.promotion_id for a in priced.applied()] == ["eight"]


def test_a_cap_leaves_lines_it_does_not_cover_alone():
    bag, soap = line("bag", "100.00", brand="Lux"), line("soap", "10.00")
    priced = evaluate([bag, soap], [promo("half", PercentOff(D(50)))], [cap("lux", "10", LUX)], CURRENCY)
    assert nets(priced) == ["90.00", "5.00"]


def test_a_discount_within_the_cap_is_untouched():
    bag = line("bag", "100.00", brand="Lux")
    priced = evaluate([bag], [promo("eight", AmountOff(eur("8.00")))], [cap("lux", "10", LUX)], CURRENCY)
    assert nets(priced) == ["92.00"]


def test_the_cap_limit_is_rounded_down_to_the_cent():
    # 10 % of 9.99 = 0.999 -> at most 0.99 off ; 50 % would be 5.00 (4.995 half up)
    bag = line("bag", "9.99", brand="Lux")
    priced = evaluate([bag], [promo("half", PercentOff(D(50)))], [cap("lux", "10", LUX)], CURRENCY)
    assert nets(priced) == ["9.00"]


def test_the_tightest_of_two_caps_wins():
    bag = line("bag", "100.00", brand="Lux", category="bags")
    caps = [cap("lux", "10", LUX), cap("bags", "15", Scope(categories=frozenset({"bags"})))]
    assert nets(evaluate([bag], [promo("half", PercentOff(D(50)))], caps, CURRENCY)) == ["90.00"]


def test_a_zero_cap_takes_every_discount_back():
    bag = line("bag", "100.00", brand="Lux")
    priced = evaluate([bag], [promo("half", PercentOff(D(50)))], [cap("lux", "0", LUX)], CURRENCY)
    assert nets(priced) == ["100.00"] and priced.lines[0].discounts == ()


def test_a_cap_cuts_a_spread_discount_on_its_line_only():
    # threshold 20.00 off 100.00 + 100.00 -> 10.00 each ; Lux bag capped at 5 % = 5.00
    bag, coat = line("bag", "100.00", brand="Lux"), line("coat", "100.00")
    chosen = [promo("t", SpendThreshold(eur("150.00"), amount_off=eur("20.00")))]
    priced = evaluate([bag, coat], chosen, [cap("lux", "5", LUX)], CURRENCY)
    assert nets(priced) == ["95.00", "90.00"]


def test_a_cap_limits_a_free_unit_too():
    # 3 Lux lipsticks at 30.00 in a 3 for 2: 30.00 off 90.00 ; cap 10 % of 90.00 = 9.00
    lipsticks = line("lipstick", "30.00", 3, brand="Lux")
    priced = evaluate([lipsticks], [promo("p", BuyGet(2, 1))], [cap("lux", "10", LUX)], CURRENCY)
    assert nets(priced) == ["81.00"]


def test_a_cap_covers_a_line_whose_price_was_overridden():
    # the cap is about the line, not about what reduced it
    bag = line("bag", "100.00", brand="Lux", overridden=True)
    priced = evaluate([bag], [promo("half", PercentOff(D(50)))],
                      [cap("lux", "10", Scope(brands=frozenset({"Lux"}), exclude_reduced=True))], CURRENCY)
    assert nets(priced) == ["90.00"]
