"""VAT breakdown of VAT-inclusive prices.

Rule: every line total is rounded half up to the cent first (``pos.money.round_money``).
Per VAT rate, the gross is the sum of those rounded line totals, the VAT is
``round_half_up(gross * p / (100 + p))`` and the net is ``gross - VAT``.  Hence the
grosses add up exactly to the basket total, and net + VAT equals gross on every line,
to the cent: rounding never creates or loses a cent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pos.catalog import VatRate
from pos.money import Money, round_money


@dataclass(frozen=True, slots=True)
class TaxLine:
    vat: VatRate
    gross: Money
    net: Money
    tax: Money


def vat_included(gross: Money, vat: VatRate) -> Money:
    return round_money(gross.times(vat.percent / (100 + vat.percent)))


def tax_breakdown(lines: Iterable[tuple[VatRate, Money]], currency: str) -> tuple[TaxLine, ...]:
    """Group rounded line totals by VAT rate; ordered by rate code."""
    grosses: dict[VatRate, Money] = {}
    for vat, line_total in lines:
        grosses[vat] = grosses.get(vat, Money.zero(currency)) + line_total
    result = []
    for vat in sorted(grosses, key=lambda rate: (rate.code, rate.percent)):
        gross = grosses[vat]
        tax = vat_included(gross, vat)
        result.append(TaxLine(vat=vat, gross=gross, net=gross - tax, tax=tax))
    return tuple(result)
