"""What the manager typed into the journal search, read into a ``JournalQuery``: each field is
read by one bounded reader, and a field that cannot be read is refused with a message naming
what was typed and how to type it (the search is not run).  No Qt here: fuzzed by the tests.

Dates are days on the shop's clock, written as the screens show them: ``01.12.2026`` or ``1.12``
(day.month, this year), ``12/1/2026`` or ``12/1`` (month/day, as the English screens write it),
or ``2026-12-01``; "from" takes the day from its start, "to" up to its end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from local_db.journal_search import RETURN, SALE, JournalQuery
from pos.errors import PosError
from pos.i18n import N_
from pos.money import parse_amount
from pos.quantity import shown
from ui.formatting import as_typed

MAX_FIELD = 40  # characters read of a field; a longer text is refused, quoted short
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?")
_MONTH_DAY_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
KINDS = {"all": frozenset({SALE, RETURN}), SALE: frozenset({SALE}), RETURN: frozenset({RETURN})}


class NotAReceiptNumber(PosError):
    message = N_("“{text}” is not a receipt number: type the number printed on the receipt.")


class NotADate(PosError):
    message = N_("“{text}” is not a date: type it as 01.12.2026 or 2026-12-01.")


class DatesBackwards(PosError):
    message = N_("The first date is after the last: swap them.")


class TooLong(PosError):
    message = N_("“{text}” is too long for a search field.")


@dataclass(frozen=True, slots=True)
class SearchFields:
    """The fields as typed (text), and the choices made with buttons."""

    number: str = ""
    first_day: str = ""
    last_day: str = ""
    amount: str = ""
    cashier: str = ""
    tender: str | None = None  # None: any tender
    kind: str = "all"  # all, sale or return


def read_query(fields: SearchFields, *, currency: str, zone: tzinfo, today: date, ui_locale: str = "en") -> JournalQuery:
    """The query the fields ask for; raises a PosError naming the first field that cannot be read."""
    for text in (fields.number, fields.first_day, fields.last_day, fields.amount, fields.cashier):
        if len(text) > MAX_FIELD:
            raise TooLong(text=shown(text))
    first = read_day(fields.first_day, today)
    last = read_day(fields.last_day, today)
    if first is not None and last is not None and first > last:
        raise DatesBackwards()
    amount_text = fields.amount.strip()
    return JournalQuery(
        number=read_number(fields.number),
        since=None if first is None else start_of(first, zone),
        until=None if last is None else start_of(last + timedelta(days=1), zone),
        amount=parse_amount(as_typed(amount_text, ui_locale), currency) if amount_text else None,
        cashier=fields.cashier.strip(),
        tender=fields.tender,
        kinds=KINDS.get(fields.kind, KINDS["all"]),
    )


def read_number(text: str) -> int | None:
    typed = text.strip()
    if not typed:
        return None
    if not (typed.isascii() and typed.isdigit() and len(typed) <= 9 and int(typed) > 0):
        raise NotAReceiptNumber(text=shown(typed))
    return int(typed)


def read_day(text: str, today: date) -> date | None:
    typed = text.strip()
    if not typed:
        return None
    if not typed.isascii():
        raise NotADate(text=shown(typed))
    try:
        iso = _ISO.fullmatch(typed)
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        dmy = _DAY_MONTH_YEAR.fullmatch(typed)
        if dmy:
            return date(int(dmy[3]) if dmy[3] else today.year, int(dmy[2]), int(dmy[1]))
        mdy = _MONTH_DAY_YEAR.fullmatch(typed)
        if mdy:
            return date(int(mdy[3]) if mdy[3] else today.year, int(mdy[1]), int(mdy[2]))
    except ValueError:
        pass
    raise NotADate(text=shown(typed))


def start_of(day: date, zone: tzinfo) -> datetime:
    """Midnight of ``day`` on the shop's clock, as an aware moment."""
    return datetime.combine(day, time(0), tzinfo=zone)
