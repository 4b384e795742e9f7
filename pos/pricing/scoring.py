"""Scoring a combination of promotions for the best-deal search, in integers.

``key_of`` is what the search minimises: the basket's total in minor units, then more gift
offers, then fewer promotions that gave something, then the lowest promotion ids.  ``score``
gives the same key as ``key_of(evaluate(...))`` without building the priced basket (the
search scores many combinations and builds the basket of the one it keeps).
"""

from __future__ import annotations

from collections.abc import Sequence

from pos.pricing.lines import PricingLines
from pos.pricing.priced import PricedBasket
from pos.pricing.promotion import Cap, Promotion
from pos.pricing.stages import evaluate, in_order, stage_of

try:  # the evaluation's own working state: scoring a combination without building Money
    from pos.pricing.stages import _Work
except ImportError:  # pragma: no cover - stages changed: score through evaluate
    _Work = None  # type: ignore[assignment,misc]

Key = tuple[int, int, int, tuple[str, ...]]  # total in minor units, -offers, promotions, their ids


def key_of(priced: PricedBasket) -> Key:
    """What the search minimises: the total, then more gift offers, fewer promotions that gave
    something, the lowest ids."""
    given = {d.promotion_id for l in priced.lines for d in l.discounts if d.amount.amount > 0}
    given |= {o.promotion_id for o in priced.offers}
    return (priced.total.minor_units(), -len(priced.offers), len(given), tuple(sorted(given)))


def score(prepared: PricingLines, promotions: Sequence[Promotion], caps: Sequence[Cap]) -> Key:
    """``key_of(evaluate(...))`` without building the priced basket (integers only)."""
    if _Work is None:
        return key_of(evaluate(prepared, promotions, caps, prepared.currency))
    work = _Work(prepared)
    offers = 0
    given: set[str] = set()
    for promotion in in_order(promotions):
        if work.apply(promotion):
            offers += 1
            given.add(promotion.promotion_id)
    work.cap(caps)
    given |= {entry[0].promotion_id for entries in work.given for entry in entries if entry[1] > 0}
    return (sum(work.net), -offers, len(given), tuple(sorted(given)))


def lowest_nets(prepared: PricingLines, promotions: list[Promotion]) -> tuple[dict[int, int], dict[int, int]]:
    """Each line's net (by basket index) with every promotion of stages 1-5 on, before the
    thresholds and after them; no caps (spends are counted before the caps)."""
    if _Work is not None:
        work = _Work(prepared)
        for promotion in in_order(promotions):
            work.apply(promotion)
        before_nets = work.before_thresholds or tuple(work.net)
        after_nets = tuple(work.net)
    else:  # pragma: no cover - stages changed
        early = evaluate(prepared, [p for p in promotions if stage_of(p) <= 4], (), prepared.currency)
        late = evaluate(prepared, promotions, (), prepared.currency)
        before_nets = tuple(early.lines[i].net.minor_units() for i in prepared.slots)
        after_nets = tuple(late.lines[i].net.minor_units() for i in prepared.slots)
    return ({prepared.slots[p]: n for p, n in enumerate(before_nets)},
            {prepared.slots[p]: n for p, n in enumerate(after_nets)})
