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

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pos.pricing.allocation import half_up, spread
from pos.pricing.promotion import BundlePrice, BuyGet

Value = int | Fraction
Slice = tuple[int, int, Value]  # (position, units taken, unit value)


def buy_get(benefit: BuyGet, net: Sequence[int], units: Sequence[int],
            positions: Sequence[int]) -> list[tuple[int, int]]:
    """(position, discount) of a buy X get Y promotion over the covered ``positions``."""
    size = benefit.buy + benefit.get
    if benefit.buy < 0 or benefit.get <= 0 or size <= 0 or benefit.percent <= 0:
        return []
    percent = Fraction(min(benefit.percent, 100)) / 100
    reduced: Value = 0
    took: dict[int, Value] = {}
    for group in _groups(_runs(net, units, positions), size):
        left = benefit.get
        for position, count, value in reversed(group):  # the group's cheapest units come last
            if not left:
                break
            cut = min(left, count)
            reduced += cut * value
            left -= cut
        for position, count, value in group:
            took[position] = took.get(position, 0) + count * value
    return _spread_over(half_up(reduced * percent), took, net)


def bundle(benefit: BundlePrice, net: Sequence[int], units: Sequence[int], positions: Sequence[int],
           price: int) -> list[tuple[int, int]]:
    """(position, discount) of a bundle (``price`` in minor units per group of ``size``)."""
    if benefit.size <= 0 or price < 0:
        return []
    saved: Value = 0
    took: dict[int, Value] = {}
    for group in _groups(_runs(net, units, positions), benefit.size):
        together = sum(count * value for _, count, value in group)
        if together <= price:
            continue  # this group costs no more than the bundle: no discount, no part in it
        saved += together - price
        for position, count, value in group:
            took[position] = took.get(position, 0) + count * value
    return _spread_over(half_up(saved), took, net)


def _runs(net: Sequence[int], units: Sequence[int], positions: Sequence[int]) -> list[Slice]:
    """Each covered counted line as (position, units, unit value), highest unit value first."""
    runs: list[Slice] = []
    for p in positions:
        count = units[p]
        if count <= 0:
            continue
        value: Value = net[p] // count if net[p] % count == 0 else Fraction(net[p], count)
        runs.append((p, count, value))
    runs.sort(key=lambda run: (-run[2], run[0]))
    return runs


def _groups(runs: list[Slice], size: int) -> Iterator[list[Slice]]:
    """The complete groups of ``size`` units, in order, each as its slices of the runs."""
    complete = sum(count for _, count, _ in runs) // size
    group: list[Slice] = []
    need, made = size, 0
    for position, count, value in runs:
        while count and made < complete:
            if not group and count >= size:  # whole groups inside one line at once
                whole = min(count // size, complete - made)
                for _ in range(whole):
                    yield [(position, size, value)]
                count -= whole * size
                made += whole
                continue
            cut = min(count, need)
            group.append((position, cut, value))
            count -= cut
            need -= cut
            if need == 0:
                yield group
                group, need, made = [], size, made + 1


def _spread_over(amount: int, took: dict[int, Value], net: Sequence[int]) -> list[tuple[int, int]]:
    if amount <= 0 or not took:
        return []
    positions = sorted(took)
    parts = spread(amount, [took[p] for p in positions])
    return [(p, min(part, net[p])) for p, part in zip(positions, parts) if part > 0]
