"""The protocol's value types as the hub accepts them: each one refuses, with the field
named, whatever the database could not store or a JSON reader could not read back.

* ``WholeNumber``, ``ReceiptNumber``, ``Count`` - a JSON integer.  ``26682439.0`` is an
  integer too (JSON Schema counts numbers by value), so a number with no fraction is read
  as that integer; ``true``, a string, ``1.5`` or a value out of bounds are refused.
  The bounds are the columns': ``SEQ_MAX`` (2^53 - 1, what every JSON reader reads
  exactly; BIGINT holds more) and ``INT_MAX`` (2^31 - 1, an INTEGER column).
* ``Time`` - an RFC 3339 date-time string with its UTC offset (never a number) in the
  years 0002 to 9998, so that it stays a date once converted to UTC and PostgreSQL can
  show it in any session time zone (9999-12-31T23:59:59-23:59 cannot be converted).  The
  OpenAPI document states the same rule as a pattern; a leap second is not a time here.
* ``clean(text)`` / ``CleanText`` - text without NUL (PostgreSQL text cannot hold it) or
  lone UTF-16 surrogates (no UTF-8 encoding exists for them); ``bad_text_in`` finds the
  first such string, or dictionary key, anywhere in a JSON document and names its path.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainValidator, Strict, WithJsonSchema

SEQ_MAX = 2**53 - 1
INT_MAX = 2**31 - 1
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
_YEAR = r"(000[2-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
_DAY = r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_CLOCK = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
_OFFSET = r"[+-]([01][0-9]|2[0-3]):[0-5][0-9]"
TIME_PATTERN = rf"^{_YEAR}{_DAY}[Tt]{_CLOCK}(\.[0-9]{{1,9}})?([Zz]|{_OFFSET})$"
SALE_TIME_PATTERN = rf"^{_YEAR}{_DAY}T{_CLOCK}(\.[0-9]{{1,6}})?(Z|{_OFFSET})$"


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _whole(ge: int | None = None, le: int | None = None) -> Any:
    return Annotated[int, Strict(), Field(ge=ge, le=le), BeforeValidator(_integral)]


WholeNumber = _whole()
"""Any JSON integer (a float without a fraction counts as one)."""
ReceiptNumber = _whole(1, SEQ_MAX)
Count = _whole(0, INT_MAX)
"""What an INTEGER column holds, from 0."""


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None."""
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return f"a NUL character at position {found.start()}"
    return f"a lone UTF-16 surrogate U+{ord(found.group()):04X} at position {found.start()}"


def clean(text: str) -> str:
    problem = text_problem(text)
    if problem is not None:
        raise ValueError(f"the text holds {problem}")
    return text


# What the OpenAPI document says of CleanText.  A lone surrogate (JSON text can write one
# as "\ud800") has no UTF-8 form, and JSON Schema has no way to say so: the rule is in words.
NO_NUL = r"^[^\x00]*$"
CleanText = Annotated[str, AfterValidator(clean), Field(json_schema_extra={"pattern": NO_NUL})]


def bad_text_in(document: Any) -> tuple[str, str] | None:
    """(path, problem) of the first string or key in ``document`` that cannot be stored."""
    pending: list[tuple[str, Any]] = [("", document)]
    while pending:  # a loop, not recursion: a document may be nested a thousand deep
        path, value = pending.pop()
        if isinstance(value, str):
            if problem := text_problem(value):
                return path or "(document)", problem
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and (problem := text_problem(key)):
                    return (path or "(document)"), f"a key holding {problem}"
                pending.append((where, item))
        elif isinstance(value, list):
            pending.extend((f"{path}.{n}" if path else str(n), item) for n, item in enumerate(value))
    return None


def _time(pattern: str, shape: str) -> Any:
    shape_of = re.compile(pattern)

    def parse(value: Any) -> datetime:
        if isinstance(value, datetime):  # built in Python (the tests, the admin commands)
            moment = value
        elif not isinstance(value, str) or not shape_of.fullmatch(value):  # ("$" allows a final newline)
            raise ValueError(f"Input should be a date and time in the years 0002 to 9998 as {shape}")
        else:
            moment = datetime.fromisoformat(value.upper())  # ValueError for a day the month has not
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Input should have a UTC offset")
        if not 2 <= moment.year <= 9998:
            raise ValueError("Input should be in the years 0002 to 9998")
        return moment

    return parse


Time = Annotated[datetime, PlainValidator(_time(TIME_PATTERN, "RFC 3339 text, e.g. 2026-12-02T09:30:00+02:00")),
                 WithJsonSchema({"type": "string", "format": "date-time", "pattern": TIME_PATTERN})]
"""An RFC 3339 date-time (``T`` and ``Z`` in either case, as RFC 3339 allows)."""

SaleTime = Annotated[datetime, PlainValidator(_time(SALE_TIME_PATTERN, "datetime.isoformat() writes it, "
                                                                       "e.g. 2026-12-02T09:30:00.123456+02:00")),
                     WithJsonSchema({"type": "string", "format": "date-time", "pattern": SALE_TIME_PATTERN})]
"""The sale's times exactly as the till writes them (the domain's codec reads them again)."""
