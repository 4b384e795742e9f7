"""Quantities are Decimal: whole units for counted goods, up to grams for weighed goods.

:func:`read_typed_number` is the one reader of numbers a person types (quantities, weights,
cash): plain digits with at most one point or comma, bounded in length and digits, so no
exponent form (``1e30``), sign, NaN or forty-digit number ever reaches the arithmetic."""

from __future__ import annotations

import re
from decimal import Decimal

from pos.errors import PosError
from pos.i18n import N_

MAX_UNITS = Decimal(999)
MAX_KILOGRAMS = Decimal(100)
WEIGHT_STEP = Decimal("0.001")
MAX_TYPED_TEXT = 200  # longer typed text is not read as a number at all
TYPED_DIGITS = 12  # digits before the point of a typed number (check_quantity has the real limits)
TYPED_DECIMALS = 6  # digits after the point, trailing zeros not counted
TYPED_NUMBER = re.compile(r"([0-9]*)(?:[.,]([0-9]*))?")
THOUSANDS_SEPARATORS = (" ", "\u00a0", "\u202f")


class InvalidQuantity(PosError):
    message = N_("“{text}” is not a quantity the till can sell.")


class QuantityNotWhole(PosError):
    message = N_("{name} is sold by the piece: the quantity must be a whole number.")


class QuantityTooLarge(PosError):
    message = N_("{text} is too many: at most {limit} at once.")


class WeightTooLarge(QuantityTooLarge):
    """A weighed item's limit, in kilograms (a QuantityTooLarge, so whoever catches one catches both)."""

    message = N_("{text} kg is too much for one line: at most {limit} kg at once.")


def shown(text: str) -> str:
    """What a person typed, cut short enough to quote in a message, unprintable characters as �."""
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text.strip()[:21])
    return text if len(text) <= 20 else text[:19] + "…"


def typed_digits(text: str) -> tuple[str, str] | None:
    """``2``, ``1.5``, ``1,5``, ``,5``, ``1 000``: the digits before and after the point,
    without leading or trailing zeros; None for anything else (signs, exponents, letters,
    two points, no digit, or a text too long for anyone to have typed)."""
    cleaned = text.strip()
    for separator in THOUSANDS_SEPARATORS:
        cleaned = cleaned.replace(separator, "")
    match = TYPED_NUMBER.fullmatch(cleaned) if len(cleaned) <= MAX_TYPED_TEXT else None
    if match is None or not any(match.groups()):
        return None
    return match.group(1).lstrip("0"), (match.group(2) or "").rstrip("0")


def read_typed_number(text: str, *, digits: int, decimals: int) -> Decimal | None:
    """A typed number as an exact Decimal; None if it is not one, or has more than ``digits``
    digits before the point or ``decimals`` after it."""
    parts = typed_digits(text)
    if parts is None or len(parts[0]) > digits or len(parts[1]) > decimals:
        return None
    whole, fraction = parts
    return Decimal(f"{whole or 0}.{fraction}" if fraction else whole or "0")


def parse_decimal(text: str) -> Decimal:
    """Read a number the way a cashier types it: ``2``, ``1.5``, ``1,5`` or ``0.350``."""
    value = read_typed_number(text, digits=TYPED_DIGITS, decimals=TYPED_DECIMALS)
    if value is None:
        raise InvalidQuantity(text=shown(text))
    return value


def check_quantity(value: Decimal, *, sold_by_weight: bool, name: str) -> Decimal:
    """Validate a quantity for a product; returns it normalised (weights to the gram).  A refusal
    carries the quantity as a Decimal, which the UI writes in its locale (``100,001``)."""
    if not value.is_finite() or value <= 0:
        raise InvalidQuantity(text=shown(str(value)))
    if sold_by_weight:
        if value > MAX_KILOGRAMS:
            raise WeightTooLarge(text=value, limit=MAX_KILOGRAMS)
        if value != value.quantize(WEIGHT_STEP):
            raise InvalidQuantity(text=value)
        return value.quantize(WEIGHT_STEP)
    if value != value.to_integral_value():
        raise QuantityNotWhole(name=name)
    if value > MAX_UNITS:
        raise QuantityTooLarge(text=value, limit=MAX_UNITS)
    return value.quantize(Decimal(1))
