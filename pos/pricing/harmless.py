"""Spend thresholds and spend gifts that cannot make a promotion unsafe on this basket:
those met in no combination, and those met in every one (docs/promotions.md, "The best-deal
search"; ``pos.pricing.combinations`` says why a spend is dangerous)."""

from __future__ import annotations

from pos.pricing.combinations import Candidate, spreads
from pos.pricing.lines import PricingLines
from pos.pricing.promotion import Gift, SpendThreshold
from pos.pricing.scoring import lowest_nets


def harmless_spends(prepared: PricingLines, candidates: list[Candidate]) -> tuple[set[str], int]:
    """Spend thresholds and spend gifts that are met in no combination, or in every one.

    Never met: even with no discount at all the covered lines come below the spend.  Always
    met: with every promotion of the earlier stages on at once the spend is still reached.
    That is the lowest the covered lines can come to only where nothing can move a net the
    other way: lines a unit deal or a threshold's amount shares with lines outside are not
    counted, and no ``exclude_reduced`` promotion of stages 2-5, no other gift and (for a
    gift) no threshold not proved harmless may share a line with it.  One evaluation of
    stages 1-5 together serves every proof."""
    gross = {prepared.slots[p]: g for p, g in enumerate(prepared.gross)}
    harmless: set[str] = set()
    to_prove: list[tuple[Candidate, int]] = []
    for candidate in candidates:
        benefit = candidate.promotion.benefit
        spend = getattr(benefit, "spend", None) if isinstance(benefit, (SpendThreshold, Gift)) else None
        if spend is None or candidate.promotion.scope.exclude_reduced:
            continue
        minor = prepared.minor(spend.amount)
        if sum(gross[i] for i in candidate.covered) < minor:
            harmless.add(candidate.promotion_id)
        else:
            to_prove.append((candidate, minor))
    if not to_prove:
        return harmless, 0
    before, after = lowest_nets(prepared, [c.promotion for c in candidates if c.stage <= 5])
    for candidate, spend in sorted(to_prove, key=lambda cs: cs[0].stage):
        is_gift = isinstance(candidate.promotion.benefit, Gift)
        counted = _sealed_lines(candidate, candidates)
        blockers = [c for c in candidates if c is not candidate and (
            c.promotion.scope.exclude_reduced and 2 <= c.stage <= 5
            or is_gift and isinstance(c.promotion.benefit, Gift)
            or is_gift and c.stage == 5 and c.promotion_id not in harmless) and not c.covered.isdisjoint(candidate.covered)]
        if blockers:
            continue
        nets = after if is_gift else before
        lowest = sum(nets[i] for i in counted)
        if is_gift:
            code = candidate.promotion.benefit.product_code  # type: ignore[union-attr]
            lowest -= sum(gross[i] for i in counted if prepared.basket_lines[i].product.code == code)
        if lowest >= spend:
            harmless.add(candidate.promotion_id)
    return harmless, 1


def _sealed_lines(candidate: Candidate, candidates: list[Candidate]) -> set[int]:
    """The promotion's lines less those a spreading promotion of an earlier stage shares with
    lines outside them (repeated until no spreading promotion crosses the edge)."""
    lines = set(candidate.covered)
    crossing = [c for c in candidates if c is not candidate and c.stage < candidate.stage and spreads(c)]
    changed = True
    while changed:
        changed = False
        for other in crossing:
            if other.covered & lines and not other.covered <= lines:
                lines -= other.covered
                changed = True
    return lines
