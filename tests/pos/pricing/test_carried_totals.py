"""Totals carried from the reprice before (pos.pricing.carried_totals) are exactly the whole
evaluation's: baskets grown scan by scan, every allowed combination scored at each step
(so the next step carries from it) and compared with ``scoring.score`` of the whole basket."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from pos.basket import BasketLine
from pos.pricing import carried_totals, line_groups
from pos.pricing.combinations import in_conflict
from pos.pricing.eligibility import active_caps, active_promotions
from pos.pricing.harmless import harmless_spends
from pos.pricing.line_groups import GroupedScorer
from pos.pricing.lines import PricingLines
from pos.pricing.promotion import BuyGet, Combination, FixedPrice, PercentOff, Promotion, PromotionSet, Scope
from pos.pricing.scoring import score
from pos.pricing.search import _candidates
from tests.pos.pricing.shop import CURRENCY, eur, product
from tests.pos.pricing.test_against_the_oracle import NOW, SETTINGS, baskets, caps, promotions


def _scorer_checked(lines: tuple[BasketLine, ...], promotion_set: PromotionSet,
                    some: random.Random | None = None) -> GroupedScorer:
    """A scorer of ``lines``, every allowed combination of its candidates scored and checked
    (``some``: only some of them, in an order it draws)."""
    prepared = PricingLines(lines, CURRENCY)
    candidates = _candidates(prepared, active_promotions(promotion_set, NOW))
    cap_tuple = tuple(active_caps(promotion_set, NOW))
    harmless, _ = harmless_spends(prepared, candidates)
    scorer = GroupedScorer(prepared, [c.promotion for c in candidates], cap_tuple, harmless)
    masks = list(range(1 << len(candidates)))
    if some is not None:
        masks = some.sample(masks, some.randint(1, len(masks)))
    for mask in masks:
        picked = [c for i, c in enumerate(candidates) if mask >> i & 1]
        if any(in_conflict(a, b) for a in picked for b in picked):
            continue
        promotions_ = [c.promotion for c in picked]
        assert scorer.score(scorer.mask_of(promotions_)) == score(prepared, promotions_, cap_tuple), promotions_
    return scorer


@settings(SETTINGS, max_examples=300)
@given(baskets(), promotions(), caps)
def test_a_basket_scanned_line_by_line_scores_every_combination_as_the_whole_evaluation_does(lines, chosen, cap_list):
    promotion_set = PromotionSet(chosen, tuple(cap_list))
    for count in range(1, len(lines) + 1):
        _scorer_checked(lines[:count], promotion_set)
    _scorer_checked(lines[:-1], promotion_set)  # a line taken off again: nothing carried, still right


@settings(SETTINGS, max_examples=300)
@given(baskets(), promotions(), caps, st.randoms(use_true_random=False))
def test_a_combination_worked_out_from_the_nearest_one_the_reprice_before_scored_is_the_whole_evaluation(
        lines, chosen, cap_list, rng):
    # each scan scores some of the allowed combinations, in any order; every one the reprice
    # before did not score goes through the nearest one it did, brought up to date (the search
    # takes that way only when it is the shorter one: here always)
    promotion_set = PromotionSet(chosen, tuple(cap_list))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(line_groups, "_BRING", -len(chosen) - 2)
        for count in range(1, len(lines) + 1):
            _scorer_checked(lines[:count], promotion_set, rng)


def _line(number: int, code: str, price: str, quantity: int = 1, category: str = "food") -> BasketLine:
    return BasketLine(uuid.UUID(int=number), product(code, price, "House", category), Decimal(quantity))


def test_the_next_scan_carries_the_totals_and_sums_again_only_the_group_it_joins():
    three_for_two = Promotion("B", "3 for 2", BuyGet(2, 1), Scope(categories=frozenset({"food"})))
    promotion_set = PromotionSet((three_for_two, Promotion("P", "10 %", PercentOff(Decimal(10)), Scope()),
                                  Promotion("X", "clearance", PercentOff(Decimal(30)), Scope(products=frozenset({"c1"})),
                                            combination=Combination.EXCLUSIVE)))
    lines = (_line(1, "f1", "4.00", 2), _line(2, "c1", "9.00", category="care"), _line(3, "c2", "3.00", category="care"),
             _line(4, "f2", "2.50"), _line(5, "c3", "7.00", category="care"))
    _scorer_checked(lines[:4], promotion_set)
    for count in (4, 5):  # the same basket again, then one more line
        scorer = _scorer_checked(lines[:count], promotion_set)
        assert scorer._carried is not None, "the reprice before's totals were not carried"


def test_a_promotion_the_new_line_brings_is_carried_past_without_touching_the_other_groups():
    deal = Promotion("D", "deal price", FixedPrice(eur("1.50")), Scope(products=frozenset({"f9"})))
    promotion_set = PromotionSet((Promotion("B", "3 for 2", BuyGet(2, 1), Scope(categories=frozenset({"food"}))),
                                  Promotion("P", "10 %", PercentOff(Decimal(10)), Scope()), deal))
    lines = (_line(1, "f1", "4.00", 2), _line(2, "c1", "9.00", category="care"), _line(3, "f9", "2.00"))
    _scorer_checked(lines[:2], promotion_set)
    scorer = _scorer_checked(lines, promotion_set)  # "D" is a candidate only now
    assert scorer._carried is not None and scorer._carried.extra, "the new promotion stopped the carrying"


def test_a_line_whose_quantity_changed_is_summed_again_and_still_right():
    promotion_set = PromotionSet((Promotion("B", "3 for 2", BuyGet(2, 1), Scope()),
                                  Promotion("P", "10 %", PercentOff(Decimal(10)), Scope())))
    lines = (_line(1, "f1", "4.00", 2), _line(2, "f2", "3.00"))
    _scorer_checked(lines, promotion_set)
    more = (lines[0], replace(lines[1], quantity=Decimal(3)))
    carried = _scorer_checked(more, promotion_set)._carried
    # the old line is gone: nothing carried from that basket (an empty one, scored by an earlier test, may be)
    assert carried is None or carried.before.lines == ()


def test_counts_of_the_promotions_that_gave_something_fold_to_the_promotions_with_a_count():
    fields = carried_totals.Fields(40)
    counts = carried_totals.spread_bits(0b1011) * 3 + carried_totals.spread_bits(1 << 39)
    assert fields.nonzero(counts) == 0b1011 | 1 << 39
    assert fields.nonzero(counts - carried_totals.spread_bits(0b1000) * 3) == 0b0011 | 1 << 39


def test_two_combinations_are_summed_again_only_where_a_promotion_of_one_and_not_the_other_reaches():
    # lines 0-5; promotion 0 ties lines 0-1, promotion 1 ties 1-2, promotion 2 ties 4-5; both have 0 and 2
    ties = [0b000011, 0b000110, 0b110000]
    now, then = carried_totals.region_between(0b000110, ties, now=0b111, then=0b101)  # 1 is in "now" only
    assert sorted(now) == [0b000111]  # 0-1 and 1-2 joined: one group; line 3 and lines 4-5 not summed
    assert sorted(then) == [0b000011, 0b000100]  # without promotion 1: line 2 alone
