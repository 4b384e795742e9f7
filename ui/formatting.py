"""Money, quantities and counts as the cashier reads them, in the UI's locale (Babel).

Amounts stay Decimal all the way to the string; nothing here rounds except for display of
values the domain already rounded.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from pos.money import Money, exponent

MONEY_FORMATS = {0: "#,##0", 2: "#,##0.00", 3: "#,##0.000"}
WEIGHT_FORMAT = "#,##0.000"
COUNT_FORMAT = "#,##0"


def _locale(ui_locale: str) -> str:
    return ui_locale.replace("-", "_") or "en"


def money(amount: Money, ui_locale: str = "en") -> str:
    """``1,234.50`` (en) or ``1 234,50`` (uk): the amount without its currency."""
    pattern = MONEY_FORMATS.get(exponent(amount.currency), "#,##0.00")
    return format_decimal(amount.amount, format=pattern, locale=_locale(ui_locale))


def money_with_currency(amount: Money, ui_locale: str = "en") -> str:
    return f"{money(amount, ui_locale)} {amount.currency}"


def quantity(value: Decimal, sold_by_weight: bool, ui_locale: str = "en") -> str:
    """Weighed goods to the gram (``0.350``), counted goods as whole numbers (``2``)."""
    pattern = WEIGHT_FORMAT if sold_by_weight else COUNT_FORMAT
    return format_decimal(value, format=pattern, locale=_locale(ui_locale))


def count(value: Decimal | int, ui_locale: str = "en") -> str:
    return format_decimal(value, format=COUNT_FORMAT, locale=_locale(ui_locale))


def percent(value: Decimal, ui_locale: str = "en") -> str:
    return format_decimal(value, format="#,##0.##", locale=_locale(ui_locale)) + "%"


def store_time(moment: datetime, timezone: str) -> str:
    """Day, month and time as the shop's clock shows them (the local zone if ``timezone`` is unknown)."""
    try:
        zone: ZoneInfo | None = ZoneInfo(timezone)
    except (KeyError, ValueError, OSError):
        zone = None
    return moment.astimezone(zone).strftime("%d.%m %H:%M")
