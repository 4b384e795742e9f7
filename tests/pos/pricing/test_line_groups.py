"""Scoring group by group (pos.pricing.line_groups) gives exactly the whole evaluation's key,
for every combination of random promotions on random small baskets, remembered answers
included (each basket is scored twice, the second time from the module's memory)."""

from __future__ import annotations

from hypothesis import given, settings

from pos.pricing.combinations import in_conflict
from pos.pricing.eligibility import active_caps, active_promotions
from pos.pricing.harmless import harmless_spends
from pos.pricing.line_groups import GroupedScorer
from pos.pricing.lines import PricingLines
from pos.pricing.promotion import PromotionSet
from pos.pricing.scoring import score
from pos.pricing.search import _candidates
from tests.pos.pricing.shop import CURRENCY
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
