"""Stage 2: buy X get Y and bundles (mix and match), counted in units across the lines.

Rules (docs/promotions.md): the covered units (counted lines only, weighed lines take no
part) are sorted by unit price, highest first (a line's unit price here is its net after
the earlier stages divided by its units; equal prices keep the canonical order), and
grouped in that order; only complete groups count, so the cheapest units are the ones left
over.  Buy X get Y: in each group of X+Y units the Y cheapest (the group's last) are reduced
by the percent.  Bundle: each group of N units costs the bundle's price when that is lower
than the units' prices together.  The promotion's discount is the exact sum over its groups,
rounded half up once, then spread over the lines that took part, in proportion to the net
each line put into the groups (largest remainder, ``pos.pricing.allocation``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

from pos.pricing.allocation import half_up_ratio, spread
from pos.pricing.forgetting import make_room
from pos.pricing.promotion import BundlePrice, BuyGet

# Unit values are kept as whole numbers: a line's net times ``scale`` divided by its units,
# ``scale`` being the least common multiple of the units that do not divide their line's net.
Slice = tuple[int, int, int]  # (position, units taken, unit value times the scale)
Group = tuple[list[Slice], int]  # a complete group's slices, and how many times in a row it comes


def buy_get(benefit: BuyGet, net: Sequence[int], units: Sequence[int],
            positions: Sequence[int]) -> list[tuple[int, int]]:
    """(position, discount) of a buy X get Y promotion over the covered ``positions``
    (ascending), remembered (``_remembered``)."""
    return _remembered(benefit, net, units, positions, lambda: _buy_get(benefit, net, units, positions))


def _buy_get(benefit: BuyGet, net: Sequence[int], units: Sequence[int],
             positions: Sequence[int]) -> list[tuple[int, int]]:
    buy, get = benefit.buy, benefit.get
    size = buy + get
    if buy < 0 or get <= 0 or benefit.percent <= 0:
        return []
    runs, scale = _runs(net, units, positions)
    # the units laid out dearest first: the first ``complete * size`` are in complete groups, and
    # in each group the last ``get`` (a unit at index i with i % size >= buy) are the cheapest;
    # ``cheapest`` counts those before an index
    end = sum(count for _, count, _ in runs) // size * size
    if not end:
        return []
    reduced = start = cheapest = 0
    took: dict[int, int] = {}
    for position, count, value in runs:
        if start >= end:
            break
        stop = start + count if start + count < end else end
        took[position] = (stop - start) * value
        over = stop % size - buy
        cheapest_to_stop = stop // size * get + (over if over > 0 else 0)
        reduced += value * (cheapest_to_stop - cheapest)
        start, cheapest = start + count, cheapest_to_stop
    numerator, denominator = _percent_ratio(benefit.percent)
    return _spread_over(half_up_ratio(reduced * numerator, denominator * scale), took, net)


_PERCENTS: dict[Decimal, tuple[int, int]] = {}
PERCENTS_KEPT = 1024


def _percent_ratio(percent: Decimal) -> tuple[int, int]:
    """``min(percent, 100) / 100`` as (numerator, denominator), remembered by the percent."""
    found = _PERCENTS.get(percent)
    if found is None:
        numerator, denominator = min(percent, Decimal(100)).as_integer_ratio()
        make_room(_PERCENTS, PERCENTS_KEPT)
        found = _PERCENTS[percent] = (numerator, denominator * 100)
    return found


def bundle(benefit: BundlePrice, net: Sequence[int], units: Sequence[int], positions: Sequence[int],
           price: int) -> list[tuple[int, int]]:
    """(position, discount) of a bundle (``price`` in minor units per group of ``size``) over
    the covered ``positions`` (ascending), remembered (``_remembered``)."""
    return _remembered((benefit.size, price), net, units, positions,
                       lambda: _bundle(benefit, net, units, positions, price))


def _bundle(benefit: BundlePrice, net: Sequence[int], units: Sequence[int], positions: Sequence[int],
            price: int) -> list[tuple[int, int]]:
    if benefit.size <= 0 or price < 0:
        return []
    runs, scale = _runs(net, units, positions)
    price *= scale
    saved = 0
    took: dict[int, int] = {}
    for group, times in _groups(runs, benefit.size):
        together = sum(count * value for _, count, value in group)
        if together <= price:
            continue  # this group costs no more than the bundle: no discount, no part in it
        saved += (together - price) * times
        for position, count, value in group:
            took[position] = took.get(position, 0) + count * value * times
    return _spread_over(half_up_ratio(saved, scale), took, net)


KEPT = 8192  # unit deals' answers remembered (the oldest forgotten first)
_ANSWERS: dict[tuple, tuple[tuple[int, int], ...]] = {}


def _remembered(deal: object, net: Sequence[int], units: Sequence[int], positions: Sequence[int],
                work: Callable[[], list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """``work()``'s answer, remembered by everything it depends on: the deal (a value), and
    the nets and units of the covered lines in order.  Positions take part only through their
    order (ties keep it), so the answer is kept as indices into ``positions`` and serves the
    same lines anywhere: the search evaluates a group of lines for many combinations that
    leave the deal's nets as they were, and after a scan a deal the new line is not in meets
    the same nets again (the unit deals are most of an evaluation's work)."""
    key = (deal, tuple(map(net.__getitem__, positions)), tuple(map(units.__getitem__, positions)))
    found = _ANSWERS.get(key)
    if found is None:
        index = {p: i for i, p in enumerate(positions)}
        found = tuple((index[p], amount) for p, amount in work())
        make_room(_ANSWERS, KEPT)
        _ANSWERS[key] = found
    return [(positions[i], amount) for i, amount in found]


def _runs(net: Sequence[int], units: Sequence[int], positions: Sequence[int]) -> tuple[list[Slice], int]:
    """Each covered counted line as (position, units, unit value), highest unit value first
    (equal values in the canonical order), and the scale of the values."""
    counted = [p for p in positions if units[p] > 0]
    scale = 1
    for p in counted:
        if net[p] % units[p]:
            scale = math.lcm(scale, units[p])
    ordered = sorted([(-(net[p] * scale // units[p]), p) for p in counted])  # tuples compare in C
    return [(p, units[p], -negative) for negative, p in ordered], scale


def _groups(runs: list[Slice], size: int) -> Iterator[Group]:
    """The complete groups of ``size`` units, in order; groups inside one line come at once."""
    complete = sum(count for _, count, _ in runs) // size
    group: list[Slice] = []
    need, made = size, 0
    for position, count, value in runs:
        while count and made < complete:
            if not group and count >= size:
                whole = min(count // size, complete - made)
                yield [(position, size, value)], whole
                count -= whole * size
                made += whole
                continue
            cut = min(count, need)
            group.append((position, cut, value))
            count -= cut
            need -= cut
            if need == 0:
                yield group, 1
                group, need, made = [], size, made + 1


def _spread_over(amount: int, took: dict[int, int], net: Sequence[int]) -> list[tuple[int, int]]:
    if amount <= 0 or not took:
        return []
    positions = sorted(took)
    parts = spread(amount, [took[p] for p in positions])
    return [(p, min(part, net[p])) for p, part in zip(positions, parts) if part > 0]
