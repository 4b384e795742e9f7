"""The brute-force oracle of the best deal, written from docs/promotions.md alone.

"A combination is a set of valid promotions that respects those rules.  Of all the allowed
combinations the engine gives the one with the lowest basket total": so try every subset of
the active promotions, keep those the rules allow, evaluate each, take the lowest total.
Exponential on purpose: only for small baskets (a few promotions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from pos.basket import BasketLine
from pos.money import Money
from pos.pricing.eligibility import active_caps, active_promotions
from pos.pricing.priced import PricingContext
from pos.pricing.promotion import Combination, Promotion, PromotionSet
from pos.pricing.stages import covered_lines, evaluate


def lines_covered(promotion: Promotion, lines: Sequence[BasketLine]) -> set[object]:
    return {l.line_id for l in covered_lines(promotion, lines)}


def rules_allow(chosen: Sequence[Promotion], lines: Sequence[BasketLine]) -> bool:
    """Exclusive: no other chosen promotion covers any line it covers.  Best-of: two of one
    priority group never both cover one line.  Stackable: no rule of its own."""
    covered = {p.promotion_id: lines_covered(p, lines) for p in chosen}
    for one in chosen:
        for other in chosen:
            if one is other or not covered[one.promotion_id] & covered[other.promotion_id]:
                continue
            if one.combination is Combination.EXCLUSIVE:
                return False
            if (one.combination is Combination.BEST_OF and other.combination is Combination.BEST_OF
                    and one.priority == other.priority):
                return False
    return True


@dataclass(frozen=True)
class Verdict:
    total: Money
    best: tuple[frozenset[str], ...]  # every allowed combination that reaches the total
    tried: int  # how many allowed combinations there were


def best_total(lines: Sequence[BasketLine], promotion_set: PromotionSet, context: PricingContext,
               currency: str) -> Verdict:
    active = list(active_promotions(promotion_set, context))
    caps = active_caps(promotion_set, context)
    totals: list[tuple[Money, frozenset[str]]] = []
    for size in range(len(active) + 1):
        for chosen in combinations(active, size):
            if rules_allow(chosen, lines):
                priced = evaluate(lines, chosen, caps, currency)
                totals.append((priced.total, frozenset(p.promotion_id for p in chosen)))
    lowest = min(total for total, _ in totals)
    return Verdict(lowest, tuple(ids for total, ids in totals if total == lowest), len(totals))
