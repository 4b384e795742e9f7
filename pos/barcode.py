"""Understanding what the scanner (or the cashier's keyboard) typed.

* GTIN barcodes: EAN-8, UPC-A (12 digits), EAN-13 and GTIN-14, with their check digit.
* In-store weight barcodes: EAN-13 starting with a configured prefix (``22`` by default),
  laid out ``PP IIIII WWWWW C``: a 5-digit PLU and the weight in grams.
* Short numbers (1 to 6 digits): a product code or PLU typed by hand.

The till reads a scan through ``pos.scan.read_scan`` (which also reads UPC-E, price labels and
GS1 element strings); this module keeps the check-digit rule and the older ``parse_scan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from stdnum import ean
from stdnum.exceptions import InvalidChecksum, ValidationError

from pos.errors import PosError
from pos.i18n import N_

GTIN_LENGTHS = (8, 12, 13, 14)
MAX_TYPED_CODE_LENGTH = 6


class MalformedBarcode(PosError):
    message = N_("“{code}” is not a barcode: it must be 8, 12, 13 or 14 digits.")


class WrongCheckDigit(PosError):
    message = N_("Barcode {code} has a wrong check digit: scan it again or type it carefully.")


@dataclass(frozen=True, slots=True)
class ScannedBarcode:
    """A GTIN with a valid check digit."""

    gtin: str


@dataclass(frozen=True, slots=True)
class WeighedBarcode:
    """A scale label: which PLU, how many kilograms."""

    plu: str
    weight_kg: Decimal
    gtin: str


@dataclass(frozen=True, slots=True)
class TypedCode:
    """A product code or PLU typed by hand."""

    code: str


Scan = ScannedBarcode | WeighedBarcode | TypedCode


def is_code_like(text: str) -> bool:
    """True when the input looks like a code (digits), False when it looks like a name to search."""
    return text.strip().isdigit()


def parse_scan(text: str, weight_prefixes: tuple[str, ...] = ("22",)) -> Scan:
    code = text.strip()
    if not code.isdigit() or not code.isascii():
        raise MalformedBarcode(code=code[:40])
    if len(code) <= MAX_TYPED_CODE_LENGTH:
        return TypedCode(code)
    if len(code) not in GTIN_LENGTHS:
        raise MalformedBarcode(code=code[:40])
    check_gtin(code)
    if len(code) == 13 and code[:2] in weight_prefixes:
        grams = int(code[7:12])
        return WeighedBarcode(plu=code[2:7], weight_kg=Decimal(grams) / 1000, gtin=code)
    return ScannedBarcode(code)


def check_gtin(code: str) -> None:
    """Raise unless ``code`` is a GTIN (8, 12, 13 or 14 digits) with a right check digit."""
    try:
        ean.validate(code)
    except InvalidChecksum:
        raise WrongCheckDigit(code=code) from None
    except ValidationError:
        raise MalformedBarcode(code=code[:40]) from None


def with_check_digit(digits: str) -> str:
    """Complete 7, 11, 12 or 13 digits into a valid GTIN (for generators and tests)."""
    return digits + ean.calc_check_digit(digits)
