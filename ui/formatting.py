"""Money, quantities and counts as the cashier reads them, in the UI's locale (Babel): the
one place that writes a number or a date for a person, on the screen and in messages.

Amounts stay Decimal all the way to the string; nothing here rounds except for display of
values the domain already rounded.  What is shown can be typed back: :func:`as_typed` turns
a grouped amount of the locale (``1,234.50`` en, ``1.234,50`` az) into what
``pos.money.parse_amount`` reads (it already takes the spaces of uk and ka).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from pos.i18n import active_locale
from pos.money import Money, exponent
from pos.quantity import shown

MONEY_FORMATS = {0: "#,##0", 2: "#,##0.00", 3: "#,##0.000"}
WEIGHT_FORMAT = "#,##0.000"
COUNT_FORMAT = "#,##0"
MAX_SHOWN_DIGITS = 18  # a Decimal with more digits (from a damaged file) is quoted, not formatted


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


def store_time(moment: datetime, timezone: str, ui_locale: str | None = None) -> str:
    """Day, month and time as the shop's clock shows them (the local zone if ``timezone`` is
    unknown), in the order and with the signs of ``ui_locale`` (the UI's language if None):
    ``02.12 09:05`` in uk and az, ``2.12 09:05`` in ka, ``12/2 09:05`` in en."""
    try:
        zone: ZoneInfo | None = ZoneInfo(timezone)
    except (KeyError, ValueError, OSError):
        zone = None
    local = moment.astimezone(zone)
    locale = _locale(ui_locale if ui_locale is not None else active_locale())
    return f"{format_skeleton('MMdd', local, locale=locale)} {format_skeleton('Hm', local, locale=locale)}"


def number(value: Decimal, ui_locale: str = "en") -> str:
    """A Decimal with the digits it has (``0.350`` stays ``0,350`` in uk, ``100`` stays ``100``),
    grouped and pointed as the locale does; an absurd one is quoted as it is, cut short."""
    _sign, digits, power = value.as_tuple()
    if not value.is_finite() or len(digits) + max(int(power), 0) > MAX_SHOWN_DIGITS or int(power) < -MAX_SHOWN_DIGITS:
        return shown(str(value))
    pattern = "#,##0." + "0" * -int(power) if int(power) < 0 else COUNT_FORMAT
    return format_decimal(value, format=pattern, locale=_locale(ui_locale))


def message_field(value: object, ui_locale: str = "en") -> str:
    """A field of an error message (``PosError.user_message(show=...)``): money with its currency,
    quantities and limits as numbers of the locale, moments as the shop's clock; text as it is."""
    if isinstance(value, Money):
        return money_with_currency(value, ui_locale)
    if isinstance(value, Decimal):
        return number(value, ui_locale)
    if isinstance(value, datetime):
        return store_time(value, "", ui_locale)
    return str(value)


def decimal_point(ui_locale: str = "en") -> str:
    """The locale's decimal sign (``,`` in uk, az and ka): what the keypad's point key types."""
    return get_decimal_symbol(_locale(ui_locale))


def as_typed(text: str, ui_locale: str = "en") -> str:
    """An amount written as the locale shows it (``1,234.50`` en, ``1.234,50`` az), without its
    group signs, so the till reads it back.  Only the whole shown form is changed: groups of
    three and the decimal sign with digits after it.  Any other text is left as it is, so a
    lone ``.`` or ``,`` stays a decimal point, and ``1.500`` typed in az is not read as 1500.
    (The spaces that group uk and ka numbers are read by the till itself.)"""
    locale = _locale(ui_locale)
    group, point = get_group_symbol(locale), get_decimal_symbol(locale)
    parts = text.strip().split(point)
    if group not in (",", ".") or len(parts) != 2 or group not in parts[0] or not _digits(parts[1]):
        return text
    groups = parts[0].split(group)
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and all(map(_digits, groups))):
        return text
    return "".join(groups) + point + parts[1]


def _digits(text: str) -> bool:
    return bool(text) and all(ch in "0123456789" for ch in text)


def discount(amount: Money, ui_locale: str = "en") -> str:
    """What a promotion took off, as the screen shows it: ``−4.50`` (the minus sign, U+2212)."""
    return "\u2212" + money(amount, ui_locale)
