"""The one-pass safe analysis (``combinations.unsafe_ids``) names exactly the promotions the
rules, applied one promotion at a time (``influence``, ``sensitive_lines``), call unsafe."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.pricing.combinations import _reaches, influence, is_dangerous, sensitive_lines, spreads, unsafe_ids
from pos.pricing.eligibility import active_promotions
from pos.pricing.harmless import harmless_spends
from pos.pricing.lines import PricingLines
from pos.pricing.promotion import PromotionSet
from pos.pricing.search import _candidates
from tests.pos.pricing.shop import CURRENCY
from tests.pos.pricing.test_against_the_oracle import NOW, SETTINGS, baskets, caps, promotions


def _by_the_rules(candidates, harmless, capped):
    spreaders = [c for c in candidates if spreads(c)]
    unsafe = set()
    for candidate in candidates:
        reached = influence(candidate, spreaders)
        later = _applied_after(candidate, spreaders)
        if any(other is not candidate and is_dangerous(other, harmless) and _reaches(other, candidate)
               and other.covered & reached for other in candidates):
            unsafe.add(candidate.promotion_id)
        elif any(s.covered & reached and sensitive_lines(s, candidates, capped) for s in later):
            unsafe.add(candidate.promotion_id)
    return unsafe


def _applied_after(candidate, spreaders):
    """The spreaders applied after ``candidate`` (stage, priority, id)."""
    key = lambda c: (c.stage, c.promotion.priority, c.promotion_id)  # noqa: E731
    return [s for s in spreaders if key(s) > key(candidate)]


@settings(SETTINGS, max_examples=400)
@given(baskets(), promotions(), caps, st.sets(st.integers(0, 5)))
def test_the_one_pass_safe_analysis_names_the_promotions_the_rules_call_unsafe(lines, chosen, cap_list, capped):
    prepared = PricingLines(lines, CURRENCY)
    candidates = _candidates(prepared, active_promotions(PromotionSet(chosen, tuple(cap_list)), NOW))
    harmless, _ = harmless_spends(prepared, candidates)
    assert unsafe_ids(candidates, harmless, capped) == _by_the_rules(candidates, harmless, capped)
