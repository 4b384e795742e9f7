"""Spreading one discount over several lines, to the cent (docs/promotions.md).

Rule: the parts are proportional to the lines' weights (their net before the discount), each
part first rounded down to a whole minor unit; the minor units still missing go one each to
the parts with the largest remainders, ties to the earlier line (the caller passes the lines
in the canonical order).  So the parts always add up to the amount: 4.00 over three equal
lines is 1.34 / 1.33 / 1.33.  Works in integer minor units; weights may be exact fractions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from pos.money import Money, money_sum

Weight = int | Fraction


def spread(amount: int, weights: Sequence[Weight]) -> list[int]:
    """``amount`` minor units in parts proportional to ``weights`` (all >= 0), largest remainder.

    With no weight at all (every weight zero), the parts are equal, the first lines taking the
    odd minor units: the amount is always given out in full."""
    if not weights:
        return []
    if amount < 0:
        raise ValueError("spread gives out a non-negative amount")
    whole = sum(weights)
    whole_weights = weights if type(whole) is int else _as_integers(weights)  # a Fraction among them
    whole = sum(whole_weights)
    if whole <= 0:
        whole_weights, whole = [1] * len(weights), len(weights)
    parts = [amount * weight // whole for weight in whole_weights]
    missing = amount - sum(parts)
    if missing:
        # the largest remainders first; among equal ones, the earlier line (the sort is stable)
        remainders = [amount * weight % whole for weight in whole_weights]
        for i in sorted(range(len(parts)), key=remainders.__getitem__, reverse=True)[:missing]:
            parts[i] += 1
    return parts


def _as_integers(weights: Sequence[Weight]) -> list[int]:
    """The weights times their common denominator: the same proportions, in integers."""
    if all(isinstance(w, int) for w in weights):
        return list(weights)  # type: ignore[arg-type]
    denominator = math.lcm(*(Fraction(w).denominator for w in weights))
    return [int(w * denominator) for w in weights]


def spread_money(amount: Money, weights: Sequence[Money]) -> list[Money]:
    """:func:`spread` for amounts of money (every amount whole minor units, one currency)."""
    currency = amount.currency
    money_sum(list(weights), currency)  # one currency, or CurrencyMismatch
    parts = spread(amount.minor_units(), [w.minor_units() for w in weights])
    return [Money.from_minor(p, currency) for p in parts]


def half_up(value: Fraction | Decimal | int) -> int:
    """A non-negative exact amount in minor units, rounded half up to a whole minor unit."""
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value.to_integral_value(rounding=ROUND_HALF_UP))
    return half_up_ratio(value.numerator, value.denominator)


def half_up_ratio(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (denominator > 0) rounded half up (away from zero)."""
    if numerator < 0:
        return -half_up_ratio(-numerator, denominator)
    return (2 * numerator + denominator) // (2 * denominator)


def ratio(value: Decimal | int) -> tuple[int, int]:
    """An exact Decimal as (numerator, denominator), for integer arithmetic in inner loops."""
    return value.as_integer_ratio()
