"""Which promotions may be chosen together, and which can never make the basket dearer.

Combination rules (docs/promotions.md, "Combining promotions"): an ``exclusive`` promotion
shares no line with any other chosen promotion; two ``best_of`` promotions of one priority
group never both cover a line; ``stackable`` ones compound with everything else chosen.  The
rules are pairwise, so any part of an allowed combination is allowed too.

A promotion is **safe** when adding it to any allowed combination (that stays allowed) never
raises the basket's total.  Every benefit on its own only lowers nets and every later stage
is monotone in the nets it is given (a percent, an amount cut at zero, a fixed price "when
lower", unit deals over the units sorted by value, caps as ``min(discounts, cap)``), with
these exceptions, the **dangerous** promotions, whose result jumps when an earlier stage
lowers a net:

- a spend threshold (stage 5): an earlier discount may take the spend below its threshold;
- a gift with a spend (stage 6): the same, on the spend after stages 1-5 and earlier gifts;
- any promotion with ``exclude_reduced``: an earlier discount takes the line out of it.

A promotion may also change nets beyond its own lines: a **spreading** promotion (unit
deals, a threshold's amount) shares its discount over its lines by their nets, so lowering
one line moves discount between the others.  A promotion's **influence** is its lines and,
repeatedly, the lines of every spreading promotion applied after it (stage, then priority,
then id: the order they apply in) that meets them.
So a promotion is unsafe when a dangerous promotion after it meets its influence, or when a
spreading promotion after it meets its influence and covers a **sensitive** line: a capped
line (a cap takes back what is moved onto it) or a line a promotion applied after the
spreading one covers (an amount is cut at the net, a percent is rounded per line and may
cover only some of the lines, a later unit deal or gift prices units by net: the oracle found
a deal price that moved a bundle's discount onto a line with a later 10 %, 9.60 instead of
9.57).  Only the sum of a spreading promotion's lines is monotone, not each line.  A threshold or spend gift met in every combination, or in
none, is harmless: ``pos.pricing.search`` proves that on the basket.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from pos.pricing.bitmasks import mask_of, mask_of_masks
from pos.pricing.promotion import (AmountOff, BundlePrice, BuyGet, Combination, FixedPrice, Gift, PercentOff,
                                   Promotion, SpendThreshold)

STAGES: dict[type, int] = {FixedPrice: 1, BuyGet: 2, BundlePrice: 2, AmountOff: 3, PercentOff: 4,
                           SpendThreshold: 5, Gift: 6}
PER_LINE = (FixedPrice, AmountOff, PercentOff)  # each line's discount depends on that line alone


def stage_of(promotion: Promotion) -> int:
    return STAGES[type(promotion.benefit)]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An active promotion with the basket lines (indices in the basket) it can discount."""

    promotion: Promotion
    covered: frozenset[int]
    mask: int = field(default=-1, compare=False)  # ``covered`` as bits (worked out when not given)
    stage: int = field(default=0, compare=False)  # ``stage_of(promotion)``, worked out once

    def __post_init__(self) -> None:
        if self.mask < 0:
            object.__setattr__(self, "mask", mask_of(self.covered))
        object.__setattr__(self, "stage", stage_of(self.promotion))

    @property
    def promotion_id(self) -> str:
        return self.promotion.promotion_id

    @property
    def per_line(self) -> bool:
        """Its discount on a line depends only on that line's net (percent, amount, fixed price)."""
        return isinstance(self.promotion.benefit, PER_LINE)


def in_conflict(a: Candidate, b: Candidate) -> bool:
    """The two may not both be chosen (they share a line and one is exclusive, or both are
    best-of in the same priority group)."""
    first, second = a.promotion.combination, b.promotion.combination
    if Combination.EXCLUSIVE in (first, second):
        return a is not b and not a.covered.isdisjoint(b.covered)
    return (first is Combination.BEST_OF and second is Combination.BEST_OF and a is not b
            and a.promotion.priority == b.promotion.priority and not a.covered.isdisjoint(b.covered))


_LAST_MASKS: list[tuple[tuple[Candidate, ...], list[int]]] = []
_KEPT_MASKS = 4  # the answers remembered (a search asks for the basket's, a component's, its order's)


def conflict_masks(candidates: Sequence[Candidate]) -> list[int]:
    """For each candidate, the others (bits by index) it is in conflict with (``in_conflict``);
    only exclusive and best-of promotions can conflict, so only they are compared.  The last
    few answers are remembered (a search asks several times for the same candidates)."""
    items = tuple(candidates)
    for kept, answer in reversed(_LAST_MASKS[:]):  # a copy: another thread may add to it
        if len(kept) == len(items) and all(map(operator.is_, kept, items)):
            return answer
    masks = [0] * len(items)
    exclusive = [i for i, c in enumerate(items) if c.promotion.combination is Combination.EXCLUSIVE]
    best_of: dict[int, list[int]] = {}
    for i, c in enumerate(items):
        if c.promotion.combination is Combination.BEST_OF:
            best_of.setdefault(c.promotion.priority, []).append(i)
    lines = [c.mask for c in items]
    for group in [exclusive] + list(best_of.values()):  # an exclusive one with any other, best-of within a priority
        others = range(len(items)) if group is exclusive else group
        for i in group:
            mine = lines[i]
            for j in others:
                if i != j and lines[j] & mine:
                    masks[i] |= 1 << j
                    masks[j] |= 1 << i
    _LAST_MASKS.append((items, masks))
    del _LAST_MASKS[:-_KEPT_MASKS]
    return masks


def allowed(chosen: Iterable[Candidate]) -> bool:
    """The combination respects every rule (pairwise)."""
    items = list(chosen)
    return not any(in_conflict(a, b) for i, a in enumerate(items) for b in items[i + 1:])


def is_dangerous(candidate: Candidate, harmless: Collection[str] = ()) -> bool:
    """Its result may jump when an earlier stage lowers a net (see the module's doc)."""
    promotion = candidate.promotion
    if promotion.scope.exclude_reduced:
        return True
    if promotion.promotion_id in harmless:
        return False
    benefit = promotion.benefit
    return isinstance(benefit, SpendThreshold) or (isinstance(benefit, Gift) and benefit.spend is not None)


def spreads(candidate: Candidate) -> bool:
    """Its discount is shared out over several lines, so lowering one line's net may move
    discount onto another (unit deals, a threshold's amount)."""
    benefit = candidate.promotion.benefit
    return isinstance(benefit, (BuyGet, BundlePrice)) or (
        isinstance(benefit, SpendThreshold) and benefit.amount_off is not None)


def _reaches(dangerous: Candidate, candidate: Candidate) -> bool:
    """``dangerous`` applies after ``candidate`` could have changed a net it depends on."""
    if dangerous.stage > candidate.stage:
        return True
    benefit = dangerous.promotion.benefit
    spend_gift = isinstance(benefit, Gift) and benefit.spend is not None
    return spend_gift and dangerous.stage == candidate.stage  # its spend is after the gifts before it


def influence(candidate: Candidate, spreaders: Sequence[Candidate]) -> frozenset[int]:
    """The lines whose net ``candidate`` may change: its own, and those of every spreading
    promotion applied after it (stage, priority, id) that meets them (repeated until nothing
    is added).  A promotion applied before it works on nets it has not changed yet."""
    reached = set(candidate.covered)
    after = _order_key(candidate)
    later = [other for other in spreaders if _order_key(other) > after]
    grown = True
    while grown:
        grown = False
        for other in later:
            if other.covered & reached and not other.covered <= reached:
                reached |= other.covered
                grown = True
    return frozenset(reached)


def _order_key(candidate: Candidate) -> tuple[int, int, str]:
    return candidate.stage, candidate.promotion.priority, candidate.promotion_id


def sensitive_lines(spreader: Candidate, candidates: Collection[Candidate], capped: Collection[int] = ()
                    ) -> frozenset[int]:
    """The lines of ``spreader`` where it matters which line its discount lands on: a capped
    line (the cap takes back what is moved onto it) and a line any promotion applied after it
    covers (an amount is cut at the net, a percent is rounded per line and may not cover every
    line, a later unit deal or a gift prices units by net).  Elsewhere only the sum counts."""
    after = _order_key(spreader)
    lines = set(capped) & spreader.covered
    for other in candidates:
        if other is not spreader and _order_key(other) > after:
            lines |= other.covered & spreader.covered
    return frozenset(lines)


def unsafe_ids(candidates: Collection[Candidate], harmless: Collection[str] = (),
               capped: Collection[int] = ()) -> set[str]:
    """The promotions whose addition might raise the total: a dangerous promotion after them
    depends on a line they may change, or a spreading promotion after them shares discount
    with a sensitive line (``sensitive_lines``: a capped line, or one a later promotion
    covers: what is moved onto it may be taken back, cut or discounted differently).

    The same rules as ``influence`` and ``sensitive_lines``, on lines as bit masks and the
    candidates in the order they apply (one pass; a reprice asks this every time)."""
    ordered = sorted(candidates, key=_order_key)
    masks = [c.mask for c in ordered]
    later_lines = [0] * (len(ordered) + 1)  # lines covered by the candidates after each one
    for k in range(len(ordered) - 1, -1, -1):
        later_lines[k] = later_lines[k + 1] | masks[k]
    capped_mask = mask_of(set(capped))
    # the spreaders in order: (position, lines, whether a line of theirs is sensitive)
    spreaders = [(k, masks[k], bool(masks[k] & (capped_mask | later_lines[k + 1])))
                 for k, c in enumerate(ordered) if spreads(c)]
    dangerous = [(c, masks[k]) for k, c in enumerate(ordered) if is_dangerous(c, harmless)]
    dangerous_lines = mask_of_masks(lines for _, lines in dangerous)
    starts = [j for j, _, _ in spreaders]
    # from each spreader on: the lines of the sensitive ones among them
    sensitive_from = [0] * (len(spreaders) + 1)
    for i in range(len(spreaders) - 1, -1, -1):
        sensitive_from[i] = sensitive_from[i + 1] | (spreaders[i][1] if spreaders[i][2] else 0)
    unsafe: set[str] = set()
    for k, candidate in enumerate(ordered):
        reached = masks[k]
        first = bisect.bisect_right(starts, k)  # the spreaders after it
        grown = True
        while grown:
            grown = False
            for _, lines, _ in spreaders[first:]:
                if lines & reached and lines & ~reached:
                    reached |= lines
                    grown = True
        if dangerous_lines & reached and any(other is not candidate and _reaches(other, candidate) and lines & reached
                                             for other, lines in dangerous):
            unsafe.add(candidate.promotion_id)
        elif sensitive_from[first] & reached:
            unsafe.add(candidate.promotion_id)
    return unsafe
