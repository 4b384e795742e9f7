"""Which lines a promotion looks at: products, brands, categories, exclusions, exclude_reduced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos.pricing.promotion import AmountOff, BuyGet, FixedPrice, Gift, PercentOff, Scope, SpendThreshold
from pos.pricing.stages import covered_lines, evaluate
from tests.pos.pricing.shop import CURRENCY, eur, line, nets, products, promo

D = Decimal
TEN = PercentOff(D(10))


def basket():
    return [line("lipstick", "20.00", brand="Lux", category="beauty"),
            line("soap", "2.00", brand="House", category="beauty"),
            line("bread", "1.00", brand="House", category="bakery")]


ROWS = [
    # name, scope, nets of lipstick / soap / bread after 10 % off the covered lines
    ("the whole assortment", Scope(), ["18.00", "1.80", "0.90"]),
    ("one product", products("soap"), ["20.00", "1.80", "1.00"]),
    ("a brand", Scope(brands=frozenset({"Lux"})), ["18.00", "2.00", "1.00"]),
    ("a category", Scope(categories=frozenset({"beauty"})), ["18.00", "1.80", "1.00"]),
    ("any of a product or a category", Scope(products=frozenset({"bread"}), categories=frozenset({"beauty"})),
     ["18.00", "1.80", "0.90"]),
    ("everything but a brand", Scope(exclude_brands=frozenset({"Lux"})), ["20.00", "1.80", "0.90"]),
    ("everything but a category", Scope(exclude_categories=frozenset({"bakery"})), ["18.00", "1.80", "1.00"]),
    ("a category but one product", Scope(categories=frozenset({"beauty"}), exclude_products=frozenset({"soap"})),
     ["18.00", "2.00", "1.00"]),
    ("an exclusion wins over an inclusion", Scope(products=frozenset({"soap"}), exclude_brands=frozenset({"House"})),
     ["20.00", "2.00", "1.00"]),
]


@pytest.mark.parametrize(("scope", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_a_scope_discounts_exactly_its_lines(scope, expected):
    assert nets(evaluate(basket(), [promo("p", TEN, scope)], (), CURRENCY)) == expected


def test_exclude_reduced_leaves_out_a_line_whose_price_the_cashier_overrode():
    lines = [line("coat", "50.00", overridden=True), line("hat", "10.00")]
    priced = evaluate(lines, [promo("p", TEN, Scope(exclude_reduced=True))], (), CURRENCY)
    assert nets(priced) == ["50.00", "9.00"]  # 10 % of 10.00 only


def test_an_overridden_price_still_gets_promotions_that_do_not_exclude_reduced():
    priced = evaluate([line("coat", "50.00", overridden=True)], [promo("p", TEN)], (), CURRENCY)
    assert nets(priced) == ["45.00"]


def test_exclude_reduced_leaves_out_a_line_an_earlier_stage_discounted():
    # stage 1 puts the milk at 1.50 (from 2.00); the stage-4 10 % skips it and takes 0.50 off the 5.00 cheese
    lines = [line("milk", "2.00"), line("cheese", "5.00")]
    chosen = [promo("deal", FixedPrice(eur("1.50")), products("milk")), promo("p", TEN, Scope(exclude_reduced=True))]
    assert nets(evaluate(lines, chosen, (), CURRENCY)) == ["1.50", "4.50"]


def test_exclude_reduced_does_not_count_a_fixed_price_that_gave_nothing():
    # the deal price 2.50 is not lower than 2.00: the milk is not reduced, so the 10 % applies (2.00 -> 1.80)
    chosen = [promo("deal", FixedPrice(eur("2.50"))), promo("p", TEN, Scope(exclude_reduced=True))]
    assert nets(evaluate([line("milk", "2.00")], chosen, (), CURRENCY)) == ["1.80"]


def test_exclude_reduced_keeps_a_line_discounted_earlier_in_the_same_stage():
    # both percents are stage 4: "an earlier stage" only; 10.00 -> 9.00 -> 8.10
    chosen = [promo("a", TEN), promo("b", TEN, Scope(exclude_reduced=True))]
    assert nets(evaluate([line("tea", "10.00")], chosen, (), CURRENCY)) == ["8.10"]


def test_a_threshold_with_exclude_reduced_counts_only_the_lines_at_full_price():
    # 30.00 coat at 20 % off (stage 4) leaves the threshold 25.00 of hats: below 40.00, nothing more
    lines = [line("coat", "30.00"), line("hat", "25.00")]
    chosen = [promo("p", PercentOff(D(20)), products("coat")),
              promo("t", SpendThreshold(eur("40.00"), amount_off=eur("5.00")), Scope(exclude_reduced=True))]
    assert nets(evaluate(lines, chosen, (), CURRENCY)) == ["24.00", "25.00"]


def test_covered_lines_follow_the_scope_its_exclusions_and_overridden_prices():
    lines = [line("soap", "2.00"), line("coat", "50.00", overridden=True), line("gone", "1.00", voided=True),
             line("apples", "3.00", "0.5", weighed=True)]
    everything = promo("p", TEN, Scope(exclude_reduced=True))
    assert [l.product.code for l in covered_lines(everything, lines)] == ["apples", "soap"]  # canonical order
    assert [l.product.code for l in covered_lines(promo("q", TEN), lines)] == ["apples", "coat", "soap"]


def test_covered_lines_of_a_unit_deal_leave_out_weighed_goods_and_of_a_gift_add_the_gift():
    lines = [line("soap", "2.00"), line("apples", "3.00", "0.5", weighed=True), line("glass", "4.00")]
    assert [l.product.code for l in covered_lines(promo("p", BuyGet(2, 1)), lines)] == ["glass", "soap"]
    gift = promo("g", Gift("glass", 1), products("soap"))
    assert [l.product.code for l in covered_lines(gift, lines)] == ["glass", "soap"]


def test_weighed_lines_take_no_part_in_unit_deals():
    # two weighed lines of 1 kg and one counted unit: no group of 3 units, nothing free
    lines = [line("apples", "3.00", "1", weighed=True), line("pears", "3.00", "1", weighed=True),
             line("soap", "2.00")]
    assert nets(evaluate(lines, [promo("p", BuyGet(2, 1))], (), CURRENCY)) == ["3.00", "3.00", "2.00"]


def test_amount_off_on_one_brand_leaves_the_others_alone():
    chosen = [promo("p", AmountOff(eur("5.00")), Scope(brands=frozenset({"Lux"})))]
    assert nets(evaluate(basket(), chosen, (), CURRENCY)) == ["15.00", "2.00", "1.00"]
