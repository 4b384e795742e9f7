"""What a reprice takes over from the scan before, or from the whole basket, is what working
it all out again gives: the lines each scope covers (``PricingLines(..., follow=True)``, and
a group's lines made ready from the basket's, ``PricingLines.part``) and the conflicts
between candidates (``combinations.conflict_masks``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.pricing.combinations import conflict_masks, in_conflict
from pos.pricing.eligibility import active_promotions
from pos.pricing.lines import PricingLines
from pos.pricing.promotion import PromotionSet
from pos.pricing.search import _candidates
from tests.pos.pricing.shop import CURRENCY
from tests.pos.pricing.test_against_the_oracle import NOW, SETTINGS, baskets, caps, promotions, scopes


@settings(SETTINGS, max_examples=300)
@given(baskets(), st.lists(scopes, min_size=1, max_size=6))
def test_a_basket_scanned_line_by_line_covers_with_each_scope_the_lines_a_fresh_one_does(lines, scope_list):
    for count in range(1, len(lines) + 1):
        followed = PricingLines(lines[:count], CURRENCY, follow=True)
        fresh = PricingLines(lines[:count], CURRENCY)
        for scope in scope_list:
            for honour_reduced in (True, False):
                assert followed.in_scope(scope, honour_reduced) == fresh.in_scope(scope, honour_reduced), scope


@settings(SETTINGS, max_examples=300)
@given(baskets(), st.lists(scopes, min_size=1, max_size=6), st.data())
def test_a_group_made_ready_from_the_basket_is_the_group_made_ready_alone(lines, scope_list, data):
    whole = PricingLines(lines, CURRENCY)
    positions = tuple(sorted(data.draw(st.sets(st.integers(0, max(0, len(whole.lines) - 1)), max_size=len(whole.lines)))
                             if whole.lines else ()))
    part = PricingLines.part(whole, positions)
    alone = PricingLines(part.lines, CURRENCY)
    assert (part.lines, part.gross, part.units, part.quantities) == (alone.lines, alone.gross, alone.units,
                                                                     alone.quantities)
    for scope in scope_list:
        for honour_reduced in (True, False):
            assert part.in_scope(scope, honour_reduced) == alone.in_scope(scope, honour_reduced), scope


def test_a_group_whose_basket_is_gone_finds_its_scopes_itself():
    from pos.pricing.promotion import Scope
    from tests.pos.pricing.test_carried_totals import _line
    whole = PricingLines((_line(1, "f1", "4.00"), _line(2, "c1", "9.00", category="care")), CURRENCY)
    part = PricingLines.part(whole, (1,))
    del whole
    assert part._within is not None and part._within[0]() is None  # the basket is gone
    assert part.in_scope(Scope(categories=frozenset({"food"}))) == (0,)  # "f1" sorts after "c1"


def test_a_basket_follows_only_the_one_it_is_a_scan_ahead_of():
    from tests.pos.pricing.test_carried_totals import _line
    lines = (_line(1, "f1", "4.00"), _line(2, "c1", "9.00"), _line(3, "a1", "3.00"))
    first = PricingLines(lines[:2], CURRENCY, follow=True)
    assert PricingLines(lines, CURRENCY, follow=True)._before == (first, 0)  # "a1" goes first in the canonical order
    assert PricingLines(lines[1:], CURRENCY, follow=True)._before is None  # a line gone, not one more


@settings(SETTINGS, max_examples=300)
@given(baskets(), promotions(), caps)
def test_the_conflict_masks_name_exactly_the_pairs_in_conflict(lines, chosen, cap_list):
    candidates = _candidates(PricingLines(lines, CURRENCY), active_promotions(PromotionSet(chosen, tuple(cap_list)), NOW))
    masks = conflict_masks(candidates)
    for i, a in enumerate(candidates):
        assert masks[i] == sum(1 << j for j, b in enumerate(candidates) if in_conflict(a, b)), a.promotion


@settings(SETTINGS, max_examples=200)
@given(baskets(), promotions(), caps, st.booleans())
def test_a_basket_scanned_line_by_line_has_the_candidates_a_fresh_one_has(lines, chosen, cap_list, voided_first):
    if voided_first and lines:  # a voided line ahead: the basket's indices are not the live lines' positions
        from dataclasses import replace
        lines = [replace(lines[0], voided=True)] + list(lines[1:])
    active = active_promotions(PromotionSet(chosen, tuple(cap_list)), NOW)
    counts = range(1, len(lines) + 1)  # scan by scan first: a fresh basket between would be the one followed
    followed = [_candidates(PricingLines(lines[:count], CURRENCY, follow=True), active) for count in counts]
    for count, candidates in zip(counts, followed):
        fresh = _candidates(PricingLines(lines[:count], CURRENCY), active)
        assert [(c.promotion, c.covered, c.mask) for c in candidates] == [
            (c.promotion, c.covered, c.mask) for c in fresh]


def test_a_basket_with_a_line_added_at_its_end_knows_it_and_one_reordered_does_not():
    from tests.pos.pricing.test_carried_totals import _line
    lines = (_line(1, "f1", "4.00"), _line(2, "c1", "9.00"), _line(3, "a1", "3.00"))
    first = PricingLines(lines[:2], CURRENCY, follow=True)
    assert PricingLines(lines, CURRENCY, follow=True).appended() == (first, 0, 2)  # "a1": position 0, index 2
    PricingLines(lines[:2], CURRENCY, follow=True)
    assert PricingLines((lines[2], lines[0], lines[1]), CURRENCY, follow=True).appended() is None  # added at the start


@settings(SETTINGS, max_examples=200)
@given(baskets(), promotions(), promotions(), st.lists(st.booleans(), min_size=8, max_size=8))
def test_a_basket_scanned_line_by_line_has_the_lowest_nets_a_fresh_one_has(lines, chosen, others, switches):
    """Also when the promotions change between two scans (a pull in the middle of a sale)."""
    from pos.pricing.scoring import lowest_nets
    sets = [[p for p in active_promotions(PromotionSet(found, ()), NOW) if type(p.benefit).__name__ != "Gift"]
            for found in (chosen, others)]  # stages 1-5, as the harmless proof asks
    counts = range(1, len(lines) + 1)
    promotions_at = [sets[switches[count % len(switches)]] for count in counts]
    followed = [lowest_nets(PricingLines(lines[:count], CURRENCY, follow=True), early)
                for count, early in zip(counts, promotions_at)]
    for count, early, nets in zip(counts, promotions_at, followed):
        assert nets == lowest_nets(PricingLines(lines[:count], CURRENCY), early)
