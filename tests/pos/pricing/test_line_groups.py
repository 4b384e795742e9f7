"""Scoring group by group (pos.pricing.line_groups) gives exactly the whole evaluation's key,
for every combination of random promotions on random small baskets, remembered answers
included (each basket is scored twice, the second time from the module's memory)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hypothesis import given, settings

from pos.basket import BasketLine
from pos.pricing import line_groups
from pos.pricing.combinations import in_conflict
from pos.pricing.eligibility import active_caps, active_promotions
from pos.pricing.harmless import harmless_spends
from pos.pricing.line_groups import GroupedScorer
from pos.pricing.lines import PricingLines
from pos.pricing.promotion import BuyGet, PercentOff, Promotion, PromotionSet, Scope
from pos.pricing.scoring import lowest_nets, score
from pos.pricing.search import _candidates
from pos.pricing.stages import Evaluation, evaluate, in_order
from tests.pos.pricing.shop import CURRENCY, product
from tests.pos.pricing.test_against_the_oracle import NOW, SETTINGS, baskets, caps, promotions


@settings(SETTINGS, max_examples=400)
@given(baskets(), promotions(), caps)
def test_scoring_group_by_group_gives_the_whole_evaluations_key_for_every_allowed_combination(lines, chosen, cap_list):
    promotion_set = PromotionSet(chosen, tuple(cap_list))
    prepared = PricingLines(lines, CURRENCY)
    candidates = _candidates(prepared, active_promotions(promotion_set, NOW))
    cap_tuple = tuple(active_caps(promotion_set, NOW))
    harmless, _ = harmless_spends(prepared, candidates)
    for _ in range(2):
        scorer = GroupedScorer(prepared, [c.promotion for c in candidates], cap_tuple, harmless)
        for mask in range(1 << len(candidates)):
            picked = [c for i, c in enumerate(candidates) if mask >> i & 1]
            if any(in_conflict(a, b) for a in picked for b in picked):
                continue
            expected = score(prepared, [c.promotion for c in picked], cap_tuple)
            assert scorer.score(scorer.mask_of([c.promotion for c in picked])) == expected, [c.promotion for c in picked]


@settings(SETTINGS, max_examples=300)
@given(baskets(), promotions(), caps)
def test_pricing_group_by_group_gives_the_whole_evaluations_lines_and_offers(lines, chosen, cap_list):
    promotion_set = PromotionSet(chosen, tuple(cap_list))
    prepared = PricingLines(lines, CURRENCY)
    candidates = _candidates(prepared, active_promotions(promotion_set, NOW))
    cap_tuple = tuple(active_caps(promotion_set, NOW))
    harmless, _ = harmless_spends(prepared, candidates)
    scorer = GroupedScorer(prepared, [c.promotion for c in candidates], cap_tuple, harmless)
    for mask in range(1 << len(candidates)):
        picked = [c.promotion for i, c in enumerate(candidates) if mask >> i & 1]
        whole = evaluate(prepared, picked, cap_tuple, CURRENCY)
        by_position, offers = scorer.priced(scorer.mask_of(picked))
        assert tuple(by_position) == tuple(whole.lines[slot] for slot in prepared.slots)
        assert sorted(offers, key=lambda o: o.promotion_id) == sorted(whole.offers, key=lambda o: o.promotion_id)


def test_answers_stay_right_when_the_promotions_codes_are_all_forgotten(monkeypatch):
    """Past ``CODES`` promotions everything remembered is forgotten, codes given again from 1."""
    shop_lines = tuple(BasketLine(uuid.UUID(int=i + 1), product(f"p{i}", "4.00", "House", "food"), Decimal(2))
                       for i in range(3))
    monkeypatch.setattr(line_groups, "CODES", 3)
    prepared = PricingLines(shop_lines, CURRENCY)
    for round_ in range(4):
        made = [Promotion(f"R{round_}-{k}", "promotion", PercentOff(Decimal(10 + k)), Scope()) for k in range(2)]
        made.append(Promotion(f"R{round_}-b", "three for two", BuyGet(2, 1), Scope()))
        scorer = GroupedScorer(prepared, made, (), ())
        for mask in range(1 << len(made)):
            picked = [p for i, p in enumerate(scorer.promotions) if mask >> i & 1]
            assert scorer.score(mask) == score(prepared, picked, ())


@settings(SETTINGS, max_examples=300)
@given(baskets(), promotions(), caps)
def test_the_lowest_nets_group_by_group_equal_one_evaluation_of_the_whole_basket_with_every_promotion_on(
        lines, chosen, cap_list):
    prepared = PricingLines(lines, CURRENCY)
    on = [c.promotion for c in _candidates(prepared, active_promotions(PromotionSet(chosen, tuple(cap_list)), NOW))
          if c.stage <= 5]
    whole = Evaluation(PricingLines(lines, CURRENCY))
    for promotion in in_order(on):
        whole.apply(promotion)
    before = whole.before_thresholds or tuple(whole.net)
    for _ in range(2):  # the second time from the remembered groups
        assert lowest_nets(prepared, on) == ({prepared.slots[p]: n for p, n in enumerate(before)},
                                             {prepared.slots[p]: n for p, n in enumerate(whole.net)})
