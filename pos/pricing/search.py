"""The best-deal search: of the allowed combinations of the active promotions, the one with
the lowest total (docs/promotions.md, "The best-deal search").

1. Each active promotion that covers a line becomes a ``Candidate``.  Pairs that may not be
   chosen together are conflicts (``pos.pricing.combinations``).
2. A promotion that is safe (it never raises the total) and in conflict with nothing is
   simply on.  If it is also per-line (percent, amount, fixed price) it joins nothing: its
   discount on a line depends on that line alone.
3. The other promotions tie their lines together; each group of tied lines (a component) is
   searched on its own, with only its own lines: the components' totals add up.
4. In a component, every allowed combination that leaves out no safe promotion it could
   still take is evaluated (a safe promotion left out must be blocked by a chosen one), up
   to ``EXACT_LIMIT`` combinations: the search is exact.  Past the bound, the greedy fallback
   (``greedy``) chooses and the result says ``exact = False``.
5. Of equal totals the search keeps the one with more gift offers, then fewer promotions
   that gave something, then the lowest promotion ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pos.basket import BasketLine
from pos.pricing.combinations import Candidate, in_conflict, spreads, stage_of, unsafe_ids
from pos.pricing.lines import PricingLines
from pos.pricing.priced import PricedBasket
from pos.pricing.promotion import Cap, Combination, Gift, Promotion, SpendThreshold
from pos.pricing.stages import evaluate, in_order

try:  # the evaluation's own working state: scoring a combination without building Money
    from pos.pricing.stages import _Work
except ImportError:  # pragma: no cover - stages changed: score through evaluate
    _Work = None

ENUMERATE_LIMIT = 16  # a component with at most this many combinations: each one is scored
EXACT_LIMIT = 64  # past that, the most scorings the branch and bound may spend on a component
NODE_LIMIT = 4096  # the most steps spent listing a component's combinations before giving up

Key = tuple[int, int, int, tuple[str, ...]]  # total in minor units, -offers, promotions, their ids


def key_of(priced: PricedBasket) -> Key:
    """What the search minimises: the total, then more gift offers, fewer promotions that gave
    something, the lowest ids."""
    given = {d.promotion_id for l in priced.lines for d in l.discounts if d.amount.amount > 0}
    given |= {o.promotion_id for o in priced.offers}
    return (priced.total.minor_units(), -len(priced.offers), len(given), tuple(sorted(given)))


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
    """Scores combinations on one component's lines, remembering each answer; counts them."""

    def __init__(self, lines: Sequence[BasketLine], caps: Sequence[Cap], currency: str) -> None:
        self.prepared = PricingLines(lines, currency)
        self.caps, self.currency = caps, currency
        self.seen: dict[frozenset[str], Key] = {}

    def __call__(self, promotions: Sequence[Promotion]) -> Key:
        ids = frozenset(p.promotion_id for p in promotions)
        found = self.seen.get(ids)
        if found is None:
            found = self.seen[ids] = score(self.prepared, promotions, self.caps)
        return found

    def priced(self, promotions: Sequence[Promotion]) -> PricedBasket:
        return evaluate(self.prepared, promotions, self.caps, self.currency)


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


def best_deal(lines: Sequence[BasketLine], promotions: Sequence[Promotion], caps: Sequence[Cap],
              currency: str, exact_limit: int = EXACT_LIMIT) -> Deal:
    """The best allowed combination of ``promotions`` (already active) with ``caps``."""
    lines = tuple(lines)
    prepared = PricingLines(lines, currency)
    candidates = _candidates(prepared, promotions)
    capped = {prepared.slots[p] for cap in caps for p in prepared.in_scope(cap.scope)}
    harmless, evaluations = _harmless(prepared, candidates)
    unsafe = unsafe_ids(candidates, harmless, capped)
    components, on_each_line = _components(lines, candidates, unsafe)
    results: dict[int, object] = {}
    offers = []
    chosen: set[str] = set()
    exact = True
    covered_slots: set[int] = set()
    for component in components:
        sub = [lines[i] for i in component.slots]
        evaluator = _Evaluator(sub, caps, currency)
        always = component.always + _touching(on_each_line, component.slots)
        picked, component_exact = _search(component, always, evaluator, exact_limit)
        exact = exact and component_exact
        priced = evaluator.priced(always + picked)
        evaluations += len(evaluator.seen) + 1
        for slot, priced_line in zip(component.slots, priced.lines):
            results[slot] = priced_line
        offers.extend(priced.offers)
        chosen |= {p.promotion_id for p in always + picked}
        covered_slots |= set(component.slots)
    rest = [i for i in range(len(lines)) if i not in covered_slots]
    if rest:
        always = _touching(on_each_line, rest)
        priced = evaluate(PricingLines([lines[i] for i in rest], currency), always, caps, currency)
        evaluations += 1
        for slot, priced_line in zip(rest, priced.lines):
            results[slot] = priced_line
        offers.extend(priced.offers)
        chosen |= {p.promotion_id for p in always}
    basket = PricedBasket(currency, tuple(results[i] for i in range(len(lines))),  # type: ignore[misc]
                          tuple(sorted(offers, key=lambda o: o.promotion_id)), exact)
    return Deal(basket, tuple(sorted(chosen)), exact, evaluations)


def _candidates(prepared: PricingLines, promotions: Sequence[Promotion]) -> list[Candidate]:
    found = []
    for promotion in sorted(promotions, key=lambda p: p.promotion_id):
        covered = frozenset(prepared.slots[p] for p in prepared.covered(promotion))
        if covered:
            found.append(Candidate(promotion, covered))
    return found


def _harmless(prepared: PricingLines, candidates: list[Candidate]) -> tuple[set[str], int]:
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
    before, after = _lowest_nets(prepared, [c.promotion for c in candidates if c.stage <= 5])
    for candidate, spend in sorted(to_prove, key=lambda cs: cs[0].stage):
        is_gift = isinstance(candidate.promotion.benefit, Gift)
        counted = _sealed_lines(candidate, candidates)
        blockers = [c for c in candidates if c is not candidate and c.covered & candidate.covered and (
            c.promotion.scope.exclude_reduced and 2 <= c.stage <= 5
            or is_gift and isinstance(c.promotion.benefit, Gift)
            or is_gift and c.stage == 5 and c.promotion_id not in harmless)]
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


def _lowest_nets(prepared: PricingLines, promotions: list[Promotion]) -> tuple[dict[int, int], dict[int, int]]:
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


def _components(lines: Sequence[BasketLine], candidates: list[Candidate],
                unsafe: set[str]) -> tuple[list[Component], list[Candidate]]:
    """The components, and the promotions that are on everywhere and tie nothing."""
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    conflicted = {c.promotion_id for c in candidates for d in candidates if in_conflict(c, d)}
    on_each_line: list[Candidate] = []
    tying: list[Candidate] = []
    for candidate in candidates:
        free = candidate.promotion_id not in unsafe and candidate.promotion_id not in conflicted
        if free and candidate.per_line:
            on_each_line.append(candidate)
            continue
        tying.append(candidate)
        first, *others = candidate.covered
        for other in others:
            parent[root(other)] = root(first)
    by_root: dict[int, Component] = {}
    for candidate in tying:
        slot = root(next(iter(candidate.covered)))
        component = by_root.get(slot)
        if component is None:
            component = by_root[slot] = Component([i for i in range(len(lines)) if root(i) == slot])
        pid = candidate.promotion_id
        if pid not in unsafe and pid not in conflicted:
            component.always.append(candidate.promotion)
        else:
            component.choices.append(candidate)
            component.safe.append(pid not in unsafe)
    for component in by_root.values():
        _order(component)
    return sorted(by_root.values(), key=lambda c: c.slots[0]), on_each_line


def _order(component: Component) -> None:
    """Unsafe promotions first (the bounds hold only once they are decided), then those in
    conflict with the most others (deciding them settles the most), by id within each."""
    pairs = list(zip(component.choices, component.safe))
    conflicts = {c.promotion_id: sum(in_conflict(c, d) for d, _ in pairs) for c, _ in pairs}
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
    score = lambda mask: evaluator(always + chosen(mask))  # noqa: E731
    combos = allowed_combinations(choices, safe, ENUMERATE_LIMIT)
    if combos is not None:
        return chosen(min(combos, key=score)), True
    mask = branch_and_bound(choices, safe, score, exact_limit)
    if mask is not None:
        return chosen(mask), True
    return chosen(greedy(choices, safe, score)), False


def conflict_masks(choices: Sequence[Candidate]) -> list[int]:
    return [sum(1 << j for j, other in enumerate(choices) if in_conflict(c, other)) for c in choices]


def allowed_combinations(choices: Sequence[Candidate], safe: Sequence[bool], limit: int) -> list[int] | None:
    """Every allowed combination (as bit masks over ``choices``) that leaves out no safe
    promotion unless a chosen one blocks it; None when there are more than ``limit`` or the
    listing takes more than ``NODE_LIMIT`` steps."""
    n = len(choices)
    conflicts = conflict_masks(choices)
    later = [conflicts[i] >> (i + 1) << (i + 1) for i in range(n)]
    found: list[int] = []
    steps = 0
    stack = [(0, 0)]
    while stack:
        i, chosen = stack.pop()
        steps += 1
        if steps > NODE_LIMIT:
            return None
        if i == n:
            if all(not safe[j] or chosen >> j & 1 or conflicts[j] & chosen for j in range(n)):
                found.append(chosen)
                if len(found) > limit:
                    return None
            continue
        blocked = conflicts[i] & chosen
        if not (safe[i] and not blocked and not later[i]):
            stack.append((i + 1, chosen))  # leave it out (a safe one only if it can be blocked)
        if not blocked:
            stack.append((i + 1, chosen | 1 << i))  # take it (tried first)
    return found


class _OutOfBudget(Exception):
    pass


def branch_and_bound(choices: Sequence[Candidate], safe: Sequence[bool], score: Callable[[int], Key],
                     budget: int) -> int | None:
    """The allowed combination (a bit mask) with the lowest total, or None past ``budget``
    scorings.  Decides the promotions in their order (``_order``), each taken first.  Where every promotion still undecided is safe, the combination of
    all of them that the choices so far do not block, conflicts among them ignored, is a
    lower bound of every total below (safe promotions only lower it): a branch whose bound
    is no better than the best found is cut, and a bound that is itself allowed is the
    branch's best."""
    n = len(choices)
    conflicts = conflict_masks(choices)
    later = [conflicts[i] >> (i + 1) << (i + 1) for i in range(n)]
    safe_from = [all(safe[i:]) for i in range(n + 1)]
    best: list[tuple[Key, int]] = []
    spent = [0]

    def scored(mask: int) -> Key:
        spent[0] += 1
        if spent[0] > budget:
            raise _OutOfBudget
        return score(mask)

    def keep(key: Key, mask: int) -> None:
        if not best or key < best[0][0]:
            best[:] = [(key, mask)]

    def visit(i: int, chosen: int) -> None:
        if safe_from[i]:
            bound = chosen
            for j in range(i, n):
                if not conflicts[j] & chosen:
                    bound |= 1 << j
            key = scored(bound)
            if best and key[0] >= best[0][0][0]:
                return
            if all(not conflicts[j] & bound for j in range(n) if bound >> j & 1):
                keep(key, bound)
                return
        if i == n:
            if all(not safe[j] or chosen >> j & 1 or conflicts[j] & chosen for j in range(n)):
                keep(scored(chosen), chosen)
            return
        blocked = conflicts[i] & chosen
        may_leave = not (safe[i] and not blocked and not later[i])
        branches = ([] if blocked else [chosen | 1 << i]) + ([chosen] if may_leave else [])
        for branch in branches:  # take it first
            visit(i + 1, branch)

    try:
        visit(0, 0)
    except _OutOfBudget:
        return None
    return best[0][1] if best else 0


def greedy(choices: Sequence[Candidate], safe: Sequence[bool], score: Callable[[int], Key]) -> int:
    """The fallback past the bound, at most 1 + u + e scorings (u unsafe, e exclusive):

    1. take every promotion that is not exclusive, in id order, when still allowed;
    2. leave out each unsafe one (id order) when that lowers the total;
    3. for each exclusive one (id order): take it and leave out what it blocks, when that
       lowers the total.
    Scorings already made by the search are reused."""
    n = len(choices)
    conflicts = conflict_masks(choices)
    order = sorted(range(n), key=lambda i: choices[i].promotion_id)
    current = 0
    for i in order:
        if choices[i].promotion.combination is not Combination.EXCLUSIVE and not conflicts[i] & current:
            current |= 1 << i
    current_key = score(current)
    for i in order:
        if not safe[i] and current >> i & 1:
            key = score(current & ~(1 << i))
            if key < current_key:
                current, current_key = current & ~(1 << i), key
    for i in order:
        if choices[i].promotion.combination is Combination.EXCLUSIVE and not current >> i & 1:
            trial = (current & ~conflicts[i]) | 1 << i
            key = score(trial)
            if key < current_key:
                current, current_key = trial, key
    return current
