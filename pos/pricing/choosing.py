"""Choosing among a component's undecided promotions (docs/promotions.md, "The best-deal
search"): every combination listed when there are few, a branch and bound past that, a
greedy fallback past the bound.  Combinations are bit masks over the promotions, in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pos.pricing.combinations import Candidate, conflict_masks
from pos.pricing.promotion import Combination
from pos.pricing.scoring import Key

NODE_LIMIT = 4096  # the most steps spent listing a component's combinations before giving up


def allowed_combinations(choices: Sequence[Candidate], safe: Sequence[bool], limit: int) -> list[int] | None:
    """Every allowed combination (as bit masks over ``choices``) that leaves out no safe
    promotion unless a chosen one blocks it; None when there are more than ``limit`` or the
    listing takes more than ``NODE_LIMIT`` steps."""
    n = len(choices)
    conflicts = conflict_masks(choices)
    apart = 0  # unsafe promotions in conflict with none of the others picked: each part of them
    for i in range(n):  # is in at least one listed combination (completed by the safe ones they allow)
        if not safe[i] and not conflicts[i] & apart:
            apart |= 1 << i
    if 1 << apart.bit_count() > limit:
        return None
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
                     budget: int, start: int | None = None) -> tuple[int, bool]:
    """The allowed combination (a bit mask) with the lowest total, and True; past ``budget``
    scorings, the best found so far (``start``, the greedy's choice, at least) and False.

    Decides the promotions in their order (``_order``), each taken first.  Where every
    promotion still undecided is safe, the combination of all of them that the choices so
    far do not block, conflicts among them ignored, is a lower bound of every total below
    (safe promotions only lower it): a branch whose bound is no better than the best found
    is cut, and a bound that is itself allowed is the branch's best."""
    n = len(choices)
    conflicts = conflict_masks(choices)
    later = [conflicts[i] >> (i + 1) << (i + 1) for i in range(n)]
    safe_from = [all(safe[i:]) for i in range(n + 1)]
    best: list[tuple[Key, int]] = [] if start is None else [(score(start), start)]
    spent = [0]

    def scored(mask: int) -> Key:
        spent[0] += 1
        if spent[0] > budget:
            raise _OutOfBudget
        return score(mask)

    def keep(key: Key, mask: int) -> None:
        if not best or key < best[0][0]:
            best[:] = [(key, mask)]

    every = (1 << n) - 1
    safe_mask = sum(1 << j for j in range(n) if safe[j])

    def visit(i: int, chosen: int, shut: int) -> None:
        """``shut``: the promotions in conflict with one chosen (conflicts go both ways)."""
        if safe_from[i]:
            bound = chosen | (every >> i << i & ~shut)  # the undecided ones nothing chosen blocks
            key = scored(bound)
            if best and key[0] >= best[0][0][0]:
                return
            if all(not conflicts[j] & bound for j in range(n) if bound >> j & 1):
                keep(key, bound)
                return
        if i == n:
            if not safe_mask & ~chosen & ~shut:  # every safe one chosen or blocked
                keep(scored(chosen), chosen)
            return
        blocked = conflicts[i] & chosen
        if not blocked:  # take it first
            visit(i + 1, chosen | 1 << i, shut | conflicts[i])
        if not (safe[i] and not blocked and not later[i]):
            visit(i + 1, chosen, shut)

    try:
        visit(0, 0, 0)
    except _OutOfBudget:
        return (best[0][1] if best else 0), False
    return (best[0][1] if best else 0), True


def greedy(choices: Sequence[Candidate], safe: Sequence[bool], score: Callable[[int], Key]) -> int:
    """The fallback past the bound, at most 1 + u + l + s scorings (u unsafe promotions, l
    left out by step 1, s swaps kept):

    1. take every promotion that is not exclusive, in id order, when still allowed;
    2. leave out each unsafe one (id order) when that lowers the total;
    3. for each promotion left out (id order): take it and leave out what it blocks, then
       take again every safe one nothing blocks now, and keep that when it lowers the total.
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
        if current >> i & 1:
            continue
        trial = (current & ~conflicts[i]) | 1 << i
        for j in order:
            if safe[j] and not trial >> j & 1 and not conflicts[j] & trial:
                trial |= 1 << j
        key = score(trial)
        if key < current_key:
            current, current_key = trial, key
    return current
