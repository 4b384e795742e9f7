"""Quantities are Decimal: whole units for counted goods, up to grams for weighed goods."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from pos.errors import PosError
from pos.i18n import N_

MAX_UNITS = Decimal(999)
MAX_KILOGRAMS = Decimal(100)
WEIGHT_STEP = Decimal("0.001")


class InvalidQuantity(PosError):
    message = N_("“{text}” is not a quantity the till can sell.")


class QuantityNotWhole(PosError):
    message = N_("{name} is sold by the piece: the quantity must be a whole number.")


class QuantityTooLarge(PosError):
    message = N_("{text} is too many: at most {limit} at once.")


def parse_decimal(text: str) -> Decimal:
    """Read a number the way a cashier types it: ``2``, ``1.5`` or ``1,5``."""
    cleaned = text.strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    try:
        value = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        raise InvalidQuantity(text=text[:20]) from None
    if not value.is_finite():
        raise InvalidQuantity(text=text[:20])
    return value


def check_quantity(value: Decimal, *, sold_by_weight: bool, name: str) -> Decimal:
    """Validate a quantity for a product; returns it normalised (weights to the gram)."""
    if value <= 0:
        raise InvalidQuantity(text=str(value))
    if sold_by_weight:
        if value > MAX_KILOGRAMS:
            raise QuantityTooLarge(text=str(value), limit=MAX_KILOGRAMS)
        if value != value.quantize(WEIGHT_STEP):
            raise InvalidQuantity(text=str(value))
        return value.quantize(WEIGHT_STEP)
    if value != value.to_integral_value():
        raise QuantityNotWhole(name=name)
    if value > MAX_UNITS:
        raise QuantityTooLarge(text=str(value), limit=MAX_UNITS)
    return value.quantize(Decimal(1))
