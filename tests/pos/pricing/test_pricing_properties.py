"""Hypothesis: the order of scanning changes nothing, the parts add up, unit deals match an
oracle that lays every unit out one by one, and caps and zero are never passed."""

from __future__ import annotations

import uuid
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.pricing.allocation import half_up
from pos.pricing.promotion import (AmountOff, BundlePrice, BuyGet, FixedPrice, Gift, PercentOff, Scope,
                                   SpendThreshold)
from pos.pricing.lines import PricingLines
from pos.pricing.stages import evaluate, evaluation
from tests.pos.pricing.shop import CURRENCY, cap, eur, line, products, promo

D = Decimal
CODES = ("a", "b", "c", "d", "e")

prices = st.integers(1, 5000).map(lambda cents: str(D(cents) / 100))
BRANDS, CATEGORIES = ("Lux", "House"), ("food", "home")
counted = st.builds(lambda code, price, quantity, voided, overridden, brand, category: line(
    code, price, quantity, voided=voided, overridden=overridden, brand=brand, category=category),
    st.sampled_from(CODES), prices, st.integers(1, 7), st.sampled_from((False, False, False, True)),
    st.sampled_from((False, False, True)), st.sampled_from(BRANDS), st.sampled_from(CATEGORIES))
weighed = st.builds(lambda code, price, grams: line(code, price, D(grams) / 1000, weighed=True),
                    st.sampled_from(("w1", "w2")), prices, st.integers(5, 3000))
lines_of = st.lists(st.one_of(counted, counted, weighed), min_size=1, max_size=8)
names = st.frozensets(st.sampled_from(CODES + ("w1",)), max_size=2)
scopes = st.one_of(
    st.just(Scope()), st.just(Scope(exclude_reduced=True)),
    st.builds(Scope, products=names, brands=st.frozensets(st.sampled_from(BRANDS), max_size=1),
              categories=st.frozensets(st.sampled_from(CATEGORIES), max_size=1), exclude_products=names,
              exclude_brands=st.frozensets(st.sampled_from(BRANDS), max_size=1),
              exclude_categories=st.frozensets(st.sampled_from(CATEGORIES), max_size=1), exclude_reduced=st.booleans()))
benefits = st.one_of(
    st.integers(1, 100).map(lambda p: PercentOff(D(p))),
    prices.map(lambda p: AmountOff(eur(p))),
    prices.map(lambda p: FixedPrice(eur(p))),
    st.builds(lambda b, g, p: BuyGet(b, g, D(p)), st.integers(1, 3), st.integers(1, 2), st.integers(1, 100)),
    st.builds(lambda n, p: BundlePrice(n, eur(p)), st.integers(2, 4), prices),
    st.builds(lambda s, a: SpendThreshold(eur(s), amount_off=eur(a)), prices, prices),
    st.builds(lambda s, p: SpendThreshold(eur(s), percent=D(p)), prices, st.integers(1, 100)),
    st.builds(lambda code, q: Gift(code, q), st.sampled_from(CODES), st.integers(1, 3)),
)
promotion_lists = st.lists(st.builds(lambda i, b, s, prio: promo(f"p{i}", b, s, priority=prio),
                                     st.integers(0, 99), benefits, scopes, st.integers(0, 2)),
                           max_size=6, unique_by=lambda p: p.promotion_id)
caps_of = st.lists(st.builds(lambda i, pct, s: cap(f"c{i}", str(pct), s), st.integers(0, 9), st.integers(0, 60), scopes),
                   max_size=2)


@settings(max_examples=100, deadline=None)
@given(lines_of, promotion_lists, promotion_lists, caps_of)
def test_lines_made_ready_once_price_every_combination_as_fresh_ones_do(lines, first, second, caps):
    prepared = PricingLines(lines, CURRENCY)
    for chosen in (first, second, first + second, first):
        assert evaluate(prepared, chosen, caps, CURRENCY) == evaluate(list(lines), chosen, caps, CURRENCY)


@settings(max_examples=120, deadline=None)
@given(lines_of, scopes)
def test_a_scope_covers_through_the_indexes_exactly_the_lines_it_covers_one_by_one(lines, scope):
    prepared = PricingLines(lines, CURRENCY)
    expected = [l for l in prepared.lines if scope.covers(l.product)
                and not (scope.exclude_reduced and l.price_overridden)]
    assert [prepared.lines[p] for p in prepared.in_scope(scope)] == expected


def by_line(priced):
    return {l.line.line_id: (l.net, l.discounts) for l in priced.lines}


@settings(max_examples=120, deadline=None)
@given(lines_of, promotion_lists, caps_of, st.randoms(use_true_random=False))
def test_the_order_of_scanning_changes_no_line_and_no_total(lines, promotions, caps, random):
    shuffled = list(lines)
    random.shuffle(shuffled)
    one, other = evaluate(lines, promotions, caps, CURRENCY), evaluate(shuffled, promotions[::-1], caps, CURRENCY)
    assert by_line(one) == by_line(other)
    assert one.offers == other.offers


@settings(max_examples=120, deadline=None)
@given(lines_of, promotion_lists, caps_of)
def test_the_parts_add_up_no_net_is_negative_and_no_cap_is_passed(lines, promotions, caps):
    priced = evaluate(lines, promotions, caps, CURRENCY)
    assert priced.gross - priced.discount == priced.total
    assert sum((a.amount for a in priced.applied()), eur("0")) == priced.discount
    for priced_line in priced.lines:
        assert priced_line.net.amount >= 0
        assert all(d.amount.amount > 0 for d in priced_line.discounts)
        gross = priced_line.gross.minor_units()
        for c in caps:
            if c.scope.covers(priced_line.line.product) and not priced_line.line.voided:
                assert priced_line.discount.minor_units() <= gross * c.max_percent / 100


def units_oracle(lines, size):
    """Every counted unit laid out on its own, dearest first (ties: canonical order), in groups."""
    units = []
    for position, l in enumerate(sorted(lines, key=lambda l: (l.product.code, l.product.price.amount, l.quantity,
                                                              l.line_id))):
        units += [(l.product.price.amount, position)] * int(l.quantity)
    units.sort(key=lambda u: (-u[0], u[1]))
    complete = len(units) // size
    return [units[g * size:(g + 1) * size] for g in range(complete)]


same_code_counted = st.lists(st.builds(lambda code, price, quantity: line(code, price, quantity),
                                       st.sampled_from(CODES), prices, st.integers(1, 9)), min_size=1, max_size=8)


@settings(max_examples=120, deadline=None)
@given(same_code_counted, st.integers(0, 3), st.integers(1, 3), st.integers(1, 100))
def test_buy_get_gives_the_cheapest_units_of_every_complete_group_and_its_parts_add_up(lines, buy, get, percent):
    groups = units_oracle(lines, buy + get)
    expected = half_up(sum(Fraction(price * 100) for group in groups for price, _ in group[buy:]) * Fraction(percent, 100))
    priced = evaluate(lines, [promo("p", BuyGet(buy, get, D(percent)))], (), CURRENCY)
    assert priced.discount.minor_units() == expected


@settings(max_examples=120, deadline=None)
@given(same_code_counted, st.integers(2, 4), st.integers(1, 4000))
def test_a_bundle_saves_what_every_dearer_group_costs_above_its_price(lines, size, price_cents):
    saved = sum(max(Fraction(0), sum(Fraction(p * 100) for p, _ in group) - price_cents)
                for group in units_oracle(lines, size))
    priced = evaluate(lines, [promo("p", BundlePrice(size, eur(str(D(price_cents) / 100))))], (), CURRENCY)
    assert priced.discount.minor_units() == half_up(saved)


@settings(max_examples=120, deadline=None)
@given(lines_of, prices)
def test_a_threshold_amount_is_given_in_full_up_to_what_the_lines_come_to(lines, amount):
    priced = evaluate(lines, [promo("t", SpendThreshold(eur("0.01"), amount_off=eur(amount)))], (), CURRENCY)
    assert priced.discount == min(eur(amount), priced.gross)


def test_two_lines_of_the_same_product_with_the_same_quantity_share_by_line_id():
    first, second = uuid.UUID(int=1), uuid.UUID(int=2)
    lines = [line("a", "1.00", line_id=second), line("a", "1.00", line_id=first)]
    priced = evaluate(lines, [promo("t", SpendThreshold(eur("0.01"), amount_off=eur("0.01")))], (), CURRENCY)
    assert [l.discount.amount for l in priced.lines] == [D(0), D("0.01")]  # the lower line id is first


def test_a_gift_in_scope_of_another_promotion_is_free_after_it():
    # 10 % of the glass first (stage 4): 3.60 ; then the gift makes it free: 3.60 more
    glass = line("glass", "4.00")
    priced = evaluate([line("wine", "30.00"), glass],
                      [promo("g", Gift("glass"), products("wine")), promo("p", PercentOff(D(10)))], (), CURRENCY)
    assert priced.line_for(glass.line_id).net == eur("0.00")


@settings(max_examples=100, deadline=None)
@given(lines_of, promotion_lists, caps_of)
def test_the_integer_evaluation_agrees_with_the_priced_basket(lines, promotions, caps):
    prepared = PricingLines(lines, CURRENCY)
    work = evaluation(prepared, promotions, caps)
    priced = evaluate(prepared, promotions, caps, CURRENCY)
    assert work.total() == priced.total.minor_units()
    assert work.given_ids() == {a.promotion_id for a in priced.applied()} | {o.promotion_id for o in priced.offers}
