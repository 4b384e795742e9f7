"""The drawer's money: the notes and coins of a currency (from settings data) and a count of
the drawer typed by denomination (the float at opening, the blind count at closing).

A count is typed one denomination at a time; ``read_pieces`` is its one bounded reader:
whole pieces, 0 to 99 999, thousands separators allowed; letters, signs, fractions and long
texts are refused naming the denomination and what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money, exponent, money_sum
from pos.quantity import read_typed_number, shown

MAX_PIECES = 99_999
PIECE_DIGITS = 5


class BadCount(PosError):
    message = N_("“{text}” is not a number of {denomination} pieces: type whole pieces, 0 to {limit}.")


class NegativeCount(PosError):
    message = N_("A count cannot be below zero (“{text}” for {denomination}).")


class UnknownDenomination(PosError):
    message = N_("{denomination} is not a note or coin of {currency} on this till.")


@dataclass(frozen=True, slots=True)
class Denomination:
    value: Money
    is_coin: bool

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Denominations:
    """The notes and coins a till counts, largest first."""

    currency: str
    values: tuple[Denomination, ...]

    @classmethod
    def from_data(cls, currency: str, data: Any) -> Denominations:
        """Settings form: ``{"notes": ["1000", "500"], "coins": ["2", "1", "0.50"]}``; bad data is refused."""
        places = exponent(currency)
        if not isinstance(data, Mapping) or set(data) - {"notes", "coins"}:
            raise ValueError("denominations are a table of notes and coins")
        found: dict[Decimal, Denomination] = {}
        for key, is_coin in (("notes", False), ("coins", True)):
            for text in data.get(key, ()):
                value = _decimal(text)
                if value is None or not value.is_finite() or value <= 0 or value != value.quantize(Decimal(1).scaleb(-places)):
                    raise ValueError(f"{str(text)[:20]!r} is not a {currency} note or coin")
                if value in found:
                    raise ValueError(f"{value} {currency} is listed twice")
                found[value] = Denomination(Money(value, currency), is_coin)
        if not found:
            raise ValueError(f"no notes or coins for {currency}")
        return cls(currency, tuple(found[v] for v in sorted(found, reverse=True)))

    def by_value(self, value: Decimal) -> Denomination:
        for denomination in self.values:
            if denomination.value.amount == value:
                return denomination
        raise UnknownDenomination(denomination=value, currency=self.currency)


def _decimal(text: object) -> Decimal | None:
    if isinstance(text, bool) or not isinstance(text, (str, int)) or len(str(text)) > 20:
        return None
    try:
        return Decimal(str(text))
    except ArithmeticError:
        return None


DEFAULT_DENOMINATIONS: dict[str, dict[str, list[str]]] = {
    # 1-10 hryvnia notes and coins of the same value are counted together, as coins
    "UAH": {"notes": ["1000", "500", "200", "100", "50", "20"],
            "coins": ["10", "5", "2", "1", "0.50", "0.10"]},
    "AZN": {"notes": ["200", "100", "50", "20", "10", "5", "1"],
            "coins": ["0.50", "0.20", "0.10", "0.05", "0.03", "0.01"]},
    "GEL": {"notes": ["200", "100", "50", "20", "10", "5"],
            "coins": ["2", "1", "0.50", "0.20", "0.10", "0.05", "0.02", "0.01"]},
}


def default_denominations(currency: str) -> Denominations:
    return Denominations.from_data(currency, DEFAULT_DENOMINATIONS[currency])


def read_pieces(text: str, denomination: Denomination) -> int:
    """How many pieces were typed for one denomination; blank is none."""
    if not text.strip():
        return 0
    if text.strip().startswith(("-", "\u2212")):
        raise NegativeCount(text=shown(text), denomination=denomination.value)
    value = read_typed_number(text, digits=PIECE_DIGITS, decimals=0)
    if value is None or value > MAX_PIECES:
        raise BadCount(text=shown(text), denomination=denomination.value, limit=MAX_PIECES)
    return int(value)


@dataclass(frozen=True, slots=True)
class DrawerCount:
    """Pieces per denomination (only those counted), in the order of ``Denominations``."""

    currency: str
    pieces: tuple[tuple[Denomination, int], ...]

    @property
    def total(self) -> Money:
        return money_sum([d.value.times(Decimal(n)) for d, n in self.pieces], self.currency)

    def to_data(self) -> dict[str, int]:
        return {str(d.value.amount): n for d, n in self.pieces}


def count_drawer(denominations: Denominations, typed: Mapping[Decimal, str]) -> DrawerCount:
    """A count from what was typed per denomination value; a value the till does not count
    is refused, blank fields count nothing."""
    pieces: dict[Decimal, int] = {}
    for value, text in typed.items():
        denomination = denominations.by_value(value)
        pieces[denomination.value.amount] = read_pieces(text, denomination)
    return DrawerCount(
        denominations.currency,
        tuple((d, pieces[d.value.amount]) for d in denominations.values if pieces.get(d.value.amount)),
    )


def count_from_data(denominations: Denominations, data: Mapping[str, int]) -> DrawerCount:
    """A count back from its stored form (``to_data``)."""
    typed = {Decimal(value): str(n) for value, n in data.items()}
    return count_drawer(denominations, typed)
