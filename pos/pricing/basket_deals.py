"""Stages 5 and 6: the spend threshold and the gift with purchase (docs/promotions.md).

Spend threshold: the covered lines' nets after stages 1-4 must come to at least the spend;
then a percent comes off each covered line (``round_half_up(net * p / 100)``), or an amount
is spread over them in proportion to their nets (largest remainder), never more than they
come to.  Each works on the nets as they are when it applies (so a second threshold compounds).

Gift with purchase: ``quantity`` units of the gift product are free (their net, the first
lines of the product in the canonical order first) when the covered lines come to the spend
after every earlier stage, or, with no spend, when any covered line is there.  The units
given free never count towards the spend nor as "a covered line is there", so a gift never
pays for itself.  Units not in the basket are offered (the caller makes a ``GiftOffer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from pos.pricing.allocation import half_up, half_up_ratio, spread


def threshold_percent(percent: Decimal, net: Sequence[int], positions: Sequence[int]) -> list[tuple[int, int]]:
    """(position, discount): ``percent`` off each line, whole minor units, never past its net."""
    numerator, denominator = percent.as_integer_ratio()
    denominator *= 100
    return [(p, min(net[p], half_up_ratio(net[p] * numerator, denominator))) for p in positions if net[p] > 0]


def threshold_amount(amount: int, net: Sequence[int], positions: Sequence[int]) -> list[tuple[int, int]]:
    """(position, discount): ``amount`` minor units spread over the lines by their nets."""
    live = [p for p in positions if net[p] > 0]
    if not live or amount <= 0:
        return []
    amount = min(amount, sum(net[p] for p in live))
    parts = spread(amount, [net[p] for p in live])
    return [(p, min(part, net[p])) for p, part in zip(live, parts) if part > 0]


def gift(quantity: int, spend: int | None, net: Sequence[int], units: Sequence[int], covered: Sequence[int],
         gift_lines: Sequence[int], gifted: dict[int, int]) -> tuple[list[tuple[int, int]], int]:
    """(position, discount) of the free units, and how many units are still to be offered.

    ``gift_lines``: positions of the gift product's counted lines, canonical order; ``gifted``:
    units an earlier gift already made free on a line (updated here), so two gifts of the same
    product give two units.  When the condition does not hold: nothing, and nothing offered."""
    free_units: dict[int, int] = {}
    left = max(quantity, 0)
    for p in gift_lines:
        if not left:
            break
        take = min(left, units[p] - gifted.get(p, 0))
        if take > 0:
            free_units[p] = take
            left -= take
    free_value = {p: Fraction(net[p] * take, units[p] - gifted.get(p, 0)) for p, take in free_units.items()}
    if spend is None:
        holds = any(units[p] == 0 or gifted.get(p, 0) + free_units.get(p, 0) < units[p] for p in covered)
    else:
        paid = sum(net[p] for p in covered) - sum(free_value.get(p, 0) for p in covered)
        holds = paid >= spend
    if not holds:
        return [], 0
    for p, take in free_units.items():
        gifted[p] = gifted.get(p, 0) + take
    given = [(p, min(net[p], half_up(value))) for p, value in free_value.items()]
    return [(p, amount) for p, amount in given if amount > 0], left
