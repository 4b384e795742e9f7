"""The best-deal search: of the allowed combinations of the active promotions, the one with
the lowest total (docs/promotions.md, "The best-deal search").

1. Each active promotion that covers a line becomes a ``Candidate``.  Pairs that may not be
   chosen together are conflicts (``pos.pricing.combinations``).
2. A promotion that is safe (it never raises the total) and in conflict with nothing is
   simply on.  If it is also per-line (percent, amount, fixed price) it joins nothing: its
   discount on a line depends on that line alone.
3. The other promotions tie their lines together; each group of tied lines (a component) is
   searched on its own, with only its own lines: the components' totals add up.
4. In a component only combinations that leave out no safe promotion they could still take
   need scoring (a safe promotion left out must be blocked by a chosen one).  At most
   ``ENUMERATE_LIMIT`` of them: each is scored.  More: a branch and bound
   (``pos.pricing.choosing``), exact, within ``EXACT_LIMIT`` scorings.  Past that bound the
   greedy fallback chooses and the result says ``exact = False``.
5. Of equal totals the search keeps the one with more gift offers, then fewer promotions
   that gave something, then the lowest promotion ids.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from pos.basket import BasketLine
from pos.pricing.bitmasks import chunk_table, joined, mask_of
from pos.pricing.choosing import allowed_combinations, branch_and_bound, greedy
from pos.pricing.combinations import Candidate, conflict_masks, unsafe_ids
from pos.pricing.forgetting import make_room
from pos.pricing.harmless import harmless_spends
from pos.pricing.line_groups import GroupedScorer
from pos.pricing.lines import PricingLines
from pos.pricing.priced import GiftOffer, PricedBasket, PricedLine
from pos.pricing.promotion import Cap, Promotion
from pos.pricing.scoring import Key

ENUMERATE_LIMIT = 16  # a component with at most this many combinations: each one is scored
EXACT_LIMIT = 64  # past that, the most scorings the branch and bound may spend on a component
_CHUNK, _CHUNK_MASK = 6, 63  # a choice mask is translated to the scorer's bits this many bits at a time


@dataclass(slots=True)
class Component:
    """Lines tied together by the promotions that must be decided together."""

    slots: list[int]  # basket indices, ascending
    always: list[Promotion] = field(default_factory=list)  # on whatever is chosen
    choices: list[Candidate] = field(default_factory=list)  # to decide
    safe: list[bool] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Deal:
    priced: PricedBasket
    chosen: tuple[str, ...]  # the promotion ids given to the final evaluations, sorted
    exact: bool
    evaluations: int


class _Evaluator:
    """Scores combinations on one component's lines group by group (``line_groups``),
    remembering each answer; counts them."""

    def __init__(self, lines: Sequence[BasketLine] | PricingLines, promotions: Sequence[Promotion],
                 caps: Sequence[Cap], currency: str, harmless: Collection[str]) -> None:
        self.prepared = lines if isinstance(lines, PricingLines) else PricingLines(lines, currency)
        self.caps, self.currency = caps, currency
        self.scorer = GroupedScorer(self.prepared, promotions, caps, harmless)
        self.seen: dict[int, Key] = {}

    def __call__(self, mask: int) -> Key:
        """The key of the combination ``mask`` (bits of ``scorer.bit``)."""
        found = self.seen.get(mask)
        if found is None:
            found = self.seen[mask] = self.scorer.score(mask)
        return found

    def priced(self, mask: int) -> tuple[list[PricedLine], list[GiftOffer]]:
        """The component's priced lines in its own lines' order, and its gift offers."""
        by_position, offers = self.scorer.priced(mask)
        lines: list[PricedLine] = [None] * len(self.prepared.basket_lines)  # type: ignore[list-item]
        for position, slot in enumerate(self.prepared.slots):
            lines[slot] = by_position[position]
        if len(self.prepared.slots) < len(lines):  # the voided lines: nothing
            lines = [PricedLine(line) if priced is None else priced
                     for line, priced in zip(self.prepared.basket_lines, lines)]
        return lines, offers


def best_deal(lines: Sequence[BasketLine], promotions: Sequence[Promotion], caps: Sequence[Cap],
              currency: str, exact_limit: int = EXACT_LIMIT) -> Deal:
    """The best allowed combination of ``promotions`` (already active) with ``caps``."""
    lines = tuple(lines)
    prepared = PricingLines(lines, currency, follow=True)
    candidates = _candidates(prepared, promotions)
    # a spreading promotion's discount moved onto a capped line, or onto one a later promotion
    # covers, can be taken back, cut or discounted differently (``combinations.sensitive_lines``;
    # found by the oracle: tests/pos/pricing/test_best_deal.py)
    capped = {prepared.slots[p] for cap in caps for p in prepared.in_scope(cap.scope, honour_reduced=False)}
    harmless, evaluations = harmless_spends(prepared, candidates)
    unsafe = unsafe_ids(candidates, harmless, capped)
    components, on_each_line = _components(lines, candidates, unsafe)
    results: dict[int, PricedLine] = {}
    offers: list[GiftOffer] = []
    chosen: set[str] = set()
    exact = True
    covered_slots: set[int] = set()
    position_of = {slot: p for p, slot in enumerate(prepared.slots)}
    for component in components:
        # its lines made ready from the basket's (scopes found among the basket's), all of them when all
        sub = _part(prepared, component.slots, position_of)
        always = component.always + _touching(on_each_line, component.slots)
        evaluator = _Evaluator(sub, always + [c.promotion for c in component.choices], caps, currency, harmless)
        picked, component_exact = _search(component, always, evaluator, exact_limit)
        exact = exact and component_exact
        priced_lines, priced_offers = evaluator.priced(evaluator.scorer.mask_of(always + picked))
        evaluations += len(evaluator.seen) + 1
        _place(results, prepared, sub, priced_lines)
        offers.extend(priced_offers)
        chosen |= {p.promotion_id for p in always + picked}
        covered_slots |= set(component.slots)
    rest = [i for i in range(len(lines)) if i not in covered_slots and not lines[i].voided]
    if rest:
        always = _touching(on_each_line, rest)
        sub = _part(prepared, rest, position_of)
        evaluator = _Evaluator(sub, always, caps, currency, harmless)
        priced_lines, priced_offers = evaluator.priced(evaluator.scorer.mask_of(always))
        evaluations += 1
        _place(results, prepared, sub, priced_lines)
        offers.extend(priced_offers)
        chosen |= {p.promotion_id for p in always}
    for i in range(len(lines)):
        if i not in results:  # a voided line: nothing
            results[i] = PricedLine(lines[i])
    basket = PricedBasket(currency, tuple(results[i] for i in range(len(lines))),
                          tuple(sorted(offers, key=lambda o: o.promotion_id)), exact)
    return Deal(basket, tuple(sorted(chosen)), exact, evaluations)


def _part(prepared: PricingLines, slots: Sequence[int], position_of: dict[int, int]) -> PricingLines:
    """The live lines at basket indices ``slots`` made ready from the basket's (all of it when all)."""
    if len(slots) == len(prepared.lines):
        return prepared
    return PricingLines.part(prepared, tuple(sorted(map(position_of.__getitem__, slots))))


def _place(results: dict[int, PricedLine], prepared: PricingLines, sub: PricingLines,
           priced_lines: list[PricedLine]) -> None:
    """``priced_lines`` (``_Evaluator.priced``'s: the basket's order, or a part's positions) by
    basket index."""
    if sub is prepared:
        results.update(enumerate(priced_lines))
    else:
        for p, priced_line in enumerate(priced_lines):
            results[prepared.slots[sub.within(p)]] = priced_line


def _candidates(prepared: PricingLines, promotions: Sequence[Promotion]) -> list[Candidate]:
    """The promotions covering a line, with the lines (basket indices), in id order.  The scan
    before's candidate is taken again when it covers the same lines (most do after a scan);
    when this basket is that one with a line added at its end, only the new line is looked at."""
    found = []
    slot = prepared.slots.__getitem__
    make_room(_LAST_CANDIDATES, CANDIDATES_KEPT)
    this = weakref.ref(prepared)
    appended = prepared.appended()
    for promotion in sorted(promotions, key=lambda p: p.promotion_id):
        positions = prepared.covered(promotion)
        if not positions:
            continue
        kept = _LAST_CANDIDATES.get(id(promotion))
        before = None if kept is None or kept[0].promotion is not promotion else kept[0]
        if before is not None and appended is not None and kept[1]() is appended[0]:  # type: ignore[index]
            if appended[1] in positions:  # the others' lines are as they were: the new line added
                before = Candidate(promotion, before.covered | {appended[2]}, before.mask | 1 << appended[2])
        else:
            covered = frozenset(map(slot, positions))
            if before is None or before.covered != covered:
                before = Candidate(promotion, covered, mask_of(covered))
        _LAST_CANDIDATES[id(promotion)] = (before, this)
        found.append(before)
    return found


# by the promotion's identity: its last candidate (which keeps it alive) and the basket it was made for
_LAST_CANDIDATES: dict[int, tuple[Candidate, weakref.ref[PricingLines]]] = {}
CANDIDATES_KEPT = 4096  # (checked as a reprice starts: it adds one per active promotion at most)


def _components(lines: Sequence[BasketLine], candidates: list[Candidate],
                unsafe: set[str]) -> tuple[list[Component], list[Candidate]]:
    """The components, and the promotions that are on everywhere and tie nothing."""
    masks = conflict_masks(candidates)
    conflicted = {c.promotion_id for c, mask in zip(candidates, masks) if mask}
    # conflicts only join promotions sharing a line: a choice's are all in its component
    conflicts = {c.promotion_id: mask.bit_count() for c, mask in zip(candidates, masks)}
    on_each_line: list[Candidate] = []
    tying: list[Candidate] = []
    merged: list[int] = []  # the components' lines as bits, disjoint
    for candidate in candidates:
        free = candidate.promotion_id not in unsafe and candidate.promotion_id not in conflicted
        if free and candidate.per_line:
            on_each_line.append(candidate)
            continue
        tying.append(candidate)
        merged = joined(merged, candidate.mask)
    by_mask: dict[int, Component] = {}
    for candidate in tying:
        mask = next(group for group in merged if group & candidate.mask)
        component = by_mask.get(mask)
        if component is None:
            component = by_mask[mask] = Component([i for i in range(len(lines)) if mask >> i & 1])
        pid = candidate.promotion_id
        if pid not in unsafe and pid not in conflicted:
            component.always.append(candidate.promotion)
        else:
            component.choices.append(candidate)
            component.safe.append(pid not in unsafe)
    for component in by_mask.values():
        _order(component, conflicts)
    return sorted(by_mask.values(), key=lambda c: c.slots[0]), on_each_line


def _order(component: Component, conflicts: dict[str, int]) -> None:
    """Unsafe promotions first (the bounds hold only once they are decided), then those in
    conflict with the most others (``conflicts``: how many, by id; deciding them settles the
    most), by id within each."""
    pairs = list(zip(component.choices, component.safe))
    pairs.sort(key=lambda cs: (cs[1], -conflicts[cs[0].promotion_id], cs[0].promotion_id))
    component.choices = [c for c, _ in pairs]
    component.safe = [s for _, s in pairs]


def _touching(on_each_line: list[Candidate], slots: Sequence[int]) -> list[Promotion]:
    wanted = set(slots)
    return [c.promotion for c in on_each_line if c.covered & wanted]


def _search(component: Component, always: list[Promotion], evaluator: _Evaluator,
            exact_limit: int) -> tuple[list[Promotion], bool]:
    """The component's best choice, and whether the search was exact."""
    choices, safe = component.choices, component.safe
    chosen = lambda mask: [c.promotion for i, c in enumerate(choices) if mask >> i & 1]  # noqa: E731
    always_mask = evaluator.scorer.mask_of(always)
    bits = [evaluator.scorer.bit[c.promotion_id] for c in choices]
    # the scorer's bits of each 6 bits of a choice mask: a mask is translated 6 bits at a time
    tables = [chunk_table(tuple(bits[start:start + _CHUNK])) for start in range(0, len(bits), _CHUNK)]
    seen: dict[int, Key] = {}

    def score(mask: int) -> Key:
        found = seen.get(mask)
        if found is None:
            combined, rest = always_mask, mask
            for table in tables:
                combined |= table[rest & _CHUNK_MASK]
                rest >>= _CHUNK
            found = seen[mask] = evaluator(combined)
        return found

    combos = allowed_combinations(choices, safe, ENUMERATE_LIMIT)
    if combos is not None:
        return chosen(min(combos, key=score)), True
    start = greedy(choices, safe, score)
    if 1 << safe.count(False) > exact_limit:  # no bound before the unsafe ones are decided: hopeless
        return chosen(start), False
    mask, exact = branch_and_bound(choices, safe, score, exact_limit, start=start)
    return chosen(mask), exact


