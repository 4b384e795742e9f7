"""Reading the fields of a promotion definition (``kassa.promotion.v1``, docs/promotions.md,
"The definition format"): each reader takes a JSON value and where it is, and gives the
domain's value or raises ``BadDefinition`` naming the promotion, the field's path and what
is wrong.  Nothing here trusts the JSON: any value of any type gives a BadDefinition, never
another exception.

Numbers.  Amounts and percents are decimal strings ("10", "12.5", "89.90"); a JSON number
is accepted when it is a whole number (10), and a JSON fraction (10.5) is refused: JSON
readers turn fractions into binary floating point, so "10.5" is the one unambiguous way.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money, exponent
from pos.quantity import shown

MAX_TEXT = 100  # a product code, brand, category, store, tier...: at most this many characters
MAX_NAME = 80  # a promotion's name as the receipt says it
MAX_LIST = 5000  # entries in one list of a scope or a validity
MAX_UNITS = 1000  # buy, get, size, a gift's quantity
MAX_PRIORITY = 1_000_000
MAX_DIGITS = 15  # digits of an amount or percent, all told
ID_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-")
MAX_ID = 64


class BadDefinition(PosError):
    """A promotion definition the till cannot take: ``promotion`` (its id), ``field`` (a path
    like ``validity.hours``) and, in most messages, ``value`` (the bad value, cut short)."""

    message = N_("Promotion {promotion}: {field} is wrong.")


NOT_OBJECT = N_("Promotion {promotion}: {field} must be a JSON object, not {value}.")
UNKNOWN_KEY = N_("Promotion {promotion}: {field} is not a field of this kind of promotion.")
MISSING = N_("Promotion {promotion}: {field} is missing.")
NOT_TEXT = N_("Promotion {promotion}: {field} must be a text of 1 to {limit} characters, not {value}.")
NOT_TEXTS = N_("Promotion {promotion}: {field} must be a list of at most {limit} texts, not {value}.")
NOT_BOOL = N_("Promotion {promotion}: {field} must be true or false, not {value}.")
NOT_NUMBER = N_("Promotion {promotion}: {field} must be a decimal number written as a text, not {value}.")
FRACTION = N_("Promotion {promotion}: {field} is a fraction written as a JSON number ({value}): "
              "write it as a text in quotes.")
BAD_PERCENT = N_("Promotion {promotion}: {field} must be more than 0 and at most 100 percent, not {value}.")
BAD_CAP = N_("Promotion {promotion}: {field} must be from 0 to 100 percent, not {value}.")
NOT_POSITIVE = N_("Promotion {promotion}: {field} must be more than zero, not {value}.")
NEGATIVE = N_("Promotion {promotion}: {field} must not be below zero, not {value}.")
PLACES = N_("Promotion {promotion}: {field} has more decimal places than {currency} has: {value}.")
NOT_WHOLE = N_("Promotion {promotion}: {field} must be a whole number from {low} to {high}, not {value}.")
NOT_DATETIME = N_("Promotion {promotion}: {field} must be a local date and time like 2026-12-01T00:00, "
                  "not {value}.")
ZONED = N_("Promotion {promotion}: {field} has a time zone ({value}): write the store's local time without one.")
NOT_HOURS = N_("Promotion {promotion}: {field} must be two different times like [\"17:00\", \"19:00\"], "
               "not {value}.")
NOT_WEEKDAYS = N_("Promotion {promotion}: {field} must be a list of days of the week from 1 (Monday) to 7 "
                  "(Sunday), not {value}.")
NOT_WEEKDAY = N_("Promotion {promotion}: {field} must be a day of the week from 1 (Monday) to 7 (Sunday), "
                 "not {value}.")
NOT_CHOICE = N_("Promotion {promotion}: {field} must be one of {choices}, not {value}.")
BAD_ID = N_("Promotion {promotion}: id must be 1 to 64 letters, digits and _ . : - (starting with a letter or "
            "digit), not {value}.")


def show(value: Any) -> str:
    """A JSON value as a message quotes it, short, whatever it is (nothing here recurses)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"“{shown(value)}”"
    if isinstance(value, (int, float)):
        return shown(str(value))
    if isinstance(value, list):
        return "[…]"
    if isinstance(value, dict):
        return "{…}"
    return shown(type(value).__name__)


class Where:
    """A field of one definition: the promotion's id (as far as known) and the field's path."""

    __slots__ = ("promotion", "path")

    def __init__(self, promotion: str, path: str = "") -> None:
        self.promotion, self.path = promotion, path

    def at(self, key: str | int) -> Where:
        return Where(self.promotion, f"{self.path}.{key}" if self.path else str(key))

    def fail(self, message: str, value: Any = None, **fields: Any) -> NoReturn:
        raise BadDefinition(message, promotion=self.promotion, field=self.path or "the definition",
                            value=show(value), **fields)


def read_object(value: Any, where: Where, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    """``value`` as a JSON object with every ``required`` key and no key but those and ``optional``."""
    if not isinstance(value, dict):
        where.fail(NOT_OBJECT, value)
    known = set(required) | set(optional)
    for key in value:
        if key not in known:
            where.at(shown(str(key))).fail(UNKNOWN_KEY, key)
    for key in required:
        if key not in value:
            where.at(key).fail(MISSING)
    return value


def read_id(value: Any, name: str = "?") -> str:
    """A promotion's id; ``name`` is how a message calls a definition whose id is wrong."""
    if (not isinstance(value, str) or not 1 <= len(value) <= MAX_ID or not set(value) <= ID_CHARACTERS
            or not value[0].isascii() or not value[0].isalnum()):
        raise BadDefinition(BAD_ID, promotion=name, field="id", value=show(value))
    return value


def read_text(value: Any, where: Where, limit: int = MAX_TEXT) -> str:
    if not _good_text(value, limit):
        where.fail(NOT_TEXT, value, limit=limit)
    return value


def _good_text(value: Any, limit: int) -> bool:
    return (isinstance(value, str) and 1 <= len(value) <= limit and value == value.strip()
            and value.isprintable())


def read_texts(value: Any, where: Where) -> frozenset[str]:
    if not isinstance(value, list) or len(value) > MAX_LIST:
        where.fail(NOT_TEXTS, value, limit=MAX_LIST)
    for n, item in enumerate(value):
        if not _good_text(item, MAX_TEXT):
            where.at(n).fail(NOT_TEXT, item, limit=MAX_TEXT)
    return frozenset(value)


def read_bool(value: Any, where: Where) -> bool:
    if not isinstance(value, bool):
        where.fail(NOT_BOOL, value)
    return value


def read_whole(value: Any, where: Where, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        where.fail(NOT_WHOLE, value, low=low, high=high)
    return value


def read_decimal(value: Any, where: Where) -> Decimal:
    """A decimal string or a whole JSON number; a JSON fraction is refused (module docstring)."""
    if isinstance(value, float):
        where.fail(FRACTION, value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        where.fail(NOT_NUMBER, value)
    text = str(value) if isinstance(value, int) and abs(value) < 10**MAX_DIGITS else value
    if not isinstance(text, str) or len(text) > MAX_DIGITS + 2 or not _decimal_text(text):
        where.fail(NOT_NUMBER, value)
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - _decimal_text lets only decimals through
        where.fail(NOT_NUMBER, value)


def _decimal_text(text: str) -> bool:
    """Digits with at most one point and an optional leading minus: no exponent, no spaces."""
    body = text[1:] if text.startswith("-") else text
    whole, _, part = body.partition(".")
    return (whole + part).isascii() and (whole + part).isdigit() and bool(whole) and (bool(part) or "." not in body)


def read_percent(value: Any, where: Where, *, cap: bool = False) -> Decimal:
    """A promotion's percent: more than 0, at most 100; a cap's: from 0 to 100."""
    percent = read_decimal(value, where)
    if not (Decimal(0) <= percent <= 100 if cap else Decimal(0) < percent <= 100):
        where.fail(BAD_CAP if cap else BAD_PERCENT, value)
    return percent.copy_abs()  # "-0" is 0


def read_amount(value: Any, where: Where, currency: str, *, zero: bool = False) -> Money:
    """An amount of ``currency`` with at most its decimal places: more than zero (or zero too)."""
    amount = read_decimal(value, where)
    if amount < 0 or (amount == 0 and not zero):
        where.fail(NEGATIVE if zero else NOT_POSITIVE, value)
    if -amount.as_tuple().exponent > exponent(currency):  # type: ignore[operator]
        where.fail(PLACES, value, currency=currency)
    return Money(amount, currency)


def read_datetime(value: Any, where: Where) -> datetime:
    if not isinstance(value, str) or not 10 <= len(value) <= 32:
        where.fail(NOT_DATETIME, value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        where.fail(NOT_DATETIME, value)
    if moment.tzinfo is not None:
        where.fail(ZONED, value)
    return moment


def write_datetime(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes" if not (moment.second or moment.microsecond) else "auto")


def _clock(text: Any) -> time | None:
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        return None
    if not text.isascii() or int(text[:2]) > 23 or int(text[3:]) > 59:
        return None
    return time(int(text[:2]), int(text[3:]))


def read_hours(value: Any, where: Where) -> tuple[time, time]:
    """A daily window ["HH:MM", "HH:MM"], the end excluded; an end before the start runs
    across midnight ("22:00" to "06:00")."""
    if not isinstance(value, list) or len(value) != 2:
        where.fail(NOT_HOURS, value)
    start, end = _clock(value[0]), _clock(value[1])
    if start is None or end is None or start == end:
        where.fail(NOT_HOURS, value[0] if start is None else value[1])
    return start, end


def read_weekdays(value: Any, where: Where) -> frozenset[int]:
    if not isinstance(value, list) or len(value) > 7:
        where.fail(NOT_WEEKDAYS, value)
    days = set()
    for n, day in enumerate(value):
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            where.at(n).fail(NOT_WEEKDAY, day)
        days.add(day)
    return frozenset(days)


def read_choice(value: Any, where: Where, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        where.fail(NOT_CHOICE, value, choices=", ".join(choices))
    return value
