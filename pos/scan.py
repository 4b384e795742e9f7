"""What a scan means: the one reading of what the scanner (or the cashier's keyboard) typed.

``read_scan(text, layout)`` is the only place that decides it; the sale screen asks it whether
to sell or search, and ``Till.scan`` asks it what to sell.  It answers:

* ``Words``: not a code (a product name to search for);
* ``CodeScan``: what to look up and how many, from
  - a GTIN barcode (EAN-13, EAN-8, UPC-A, UPC-E) with its check digit (python-stdnum; UPC-E
    expanded to UPC-A by biip),
  - a GS1 variable-measure label (EAN-13 starting with one of the store's prefixes 20-29),
    ``PP IIIII VVVVV C``: the item's code (PLU) then the weight in grams or the price in
    minor units, in the layout of ``MeasureLayout`` (the store's settings),
  - a GS1-128 or GS1 DataMatrix element string (``]C1``/``]d2``/``]Q3`` or none, FNC1 sent as
    the group separator, or the printed ``(01)...(17)...`` form), read by biip: GTIN (01),
    batch (10), expiry (17), net weight in kg (310n) and price (392n),
  - a product code or PLU typed by hand (1 to 6 digits), or ``quantity*code`` (spaces around
    the ``*`` are allowed: ``3 * 4820317811818`` is ``3*4820317811818``).

A negative quantity before ``*`` (``-1*code``) is refused with its own message: an item is
taken off by voiding its line, never by selling minus one.

Anything else that looks like a code but is not one raises a ``PosError`` quoting what was
scanned; nothing raises anything else (tests/pos/test_scan_fuzz.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from biip import ParseError
from biip.gs1_messages import GS1Message
from biip.upc import Upc

from pos.barcode import (
    GTIN_LENGTHS,
    MAX_TYPED_CODE_LENGTH,
    MalformedBarcode,
    WrongCheckDigit,
    check_gtin,
)
from pos.errors import PosError
from pos.i18n import N_
from pos.quantity import parse_decimal, typed_digits

QUOTE_LIMIT = 40  # characters of a scan quoted back in a message
MAX_SCAN_LENGTH = 200  # a GS1 DataMatrix holds at most ~100 characters for a product; more is noise
GROUP_SEPARATOR = "\x1d"  # FNC1 inside an element string, as scanners send it
SYMBOLOGY_ID = re.compile(r"\][A-Za-z][0-9A-Za-z]")  # ]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]E0 EAN
QUANTITY_TIMES = re.compile(r"([^*\s]+)\s*\*\s*([0-9]+)")  # 3*1001, 0,350*20001, 3 * 4820317811818
MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, the minus sign, the en dash a keyboard layout may give
NUMBER_LIKE = re.compile(r"[0-9.,]+")  # a quantity as typed: refused with its reason when it is not one


class MalformedScan(PosError):
    message = N_("“{code}” could not be read as a GS1 code ({reason}): scan it again, or type the barcode under it.")


class NegativeQuantity(PosError):
    message = N_("“{text}” is a negative quantity: type how many to sell, then * then the code (3*code); to take an item off, void its line (F8).")


class NoProductNumber(PosError):
    message = N_("“{code}” has no product number (GTIN, 01) in it: scan the product's own barcode.")


@dataclass(frozen=True, slots=True)
class MeasureLayout:
    """The store's variable-measure labels: EAN-13 ``PP`` + item code + value + check digit.

    ``item_digits`` (4 to 6) digits of the item code follow the 2-digit prefix; the value takes
    the remaining ``10 - item_digits`` digits: grams for a weight prefix, minor units of the
    currency (``price_decimals`` decimals) for a price prefix."""

    weight_prefixes: tuple[str, ...] = ("22",)
    price_prefixes: tuple[str, ...] = ()
    item_digits: int = 5
    price_decimals: int = 2


@dataclass(frozen=True, slots=True)
class Words:
    """Not a code: a name, brand or anything else to search for."""

    text: str


@dataclass(frozen=True, slots=True)
class CodeScan:
    """A code to sell.  ``codes``: the barcodes (or product code) to look up, in order (a UPC-A
    may be stored as its EAN-13 with a leading 0, a GS1 GTIN-14 as its EAN-13...)."""

    codes: tuple[str, ...]
    scanned: str  # what identifies the line: the barcode or label as scanned, without separators
    by_product_code: bool = False  # a typed code or a label's item code: look up the product code
    quantity: Decimal | None = None  # typed, or the label's weight in kg
    price: Decimal | None = None  # the label's price for the whole item (major units)
    batch: str | None = None
    expiry: date | None = None  # GS1 (17): do not sell after this day without asking
    net_weight: Decimal | None = None  # GS1 (310n), kg: the quantity of an item sold by weight


ScanReading = Words | CodeScan


def read_scan(text: str, layout: MeasureLayout = MeasureLayout()) -> ScanReading:
    """What ``text`` means; raises a ``PosError`` quoting it when it is a code that cannot be read."""
    code = text.strip()
    times = QUANTITY_TIMES.fullmatch(code)
    if times:
        try:
            typed = parse_decimal(times.group(1))
        except PosError:
            if NUMBER_LIKE.fullmatch(times.group(1)):
                raise  # forty digits, "1.2.3": a quantity the till cannot sell
            if times.group(1)[0] in MINUS_SIGNS and NUMBER_LIKE.fullmatch(times.group(1)[1:]):
                if typed_digits(times.group(1)[1:]) in (None, ("", "")):
                    raise  # "-0", "-.": not a quantity at all
                raise NegativeQuantity(text=_quoted(code)) from None
            return Words(code)  # "1e3*1001", "шампунь*2": words to search for
        reading = _digits(times.group(2), layout)
        if reading.quantity is None:  # a label's own weight wins over a typed quantity
            return _with_quantity(reading, typed)
        return reading
    if code.isascii() and code.isdigit():
        if len(code) > max(GTIN_LENGTHS):
            return _element_string(code, code)
        return _digits(code, layout)
    if _looks_like_gs1(code):
        return _element_string(code, code)
    return Words(code)


def _looks_like_gs1(code: str) -> bool:
    return (
        GROUP_SEPARATOR in code
        or SYMBOLOGY_ID.match(code) is not None
        or re.match(r"\(0[12]\)[0-9]", code) is not None
        or (re.match(r"0[12][0-9]{14}.", code) is not None and code.isascii() and " " not in code)
    )


def _digits(code: str, layout: MeasureLayout) -> CodeScan:
    """Digits alone: a typed code, a GTIN, a UPC-E or a variable-measure label."""
    if len(code) <= MAX_TYPED_CODE_LENGTH:
        return CodeScan((code,), code, by_product_code=True)
    if len(code) not in GTIN_LENGTHS:
        raise MalformedBarcode(code=_quoted(code))
    if len(code) == 8 and code[0] in "01":
        return _ean8_or_upce(code)
    check_gtin(code)
    if len(code) == 13 and code[:2] in layout.weight_prefixes + layout.price_prefixes:
        item = code[2 : 2 + layout.item_digits]
        value = Decimal(int(code[2 + layout.item_digits : 12]))
        if code[:2] in layout.weight_prefixes:
            return CodeScan((item,), code, by_product_code=True, quantity=value / 1000)
        return CodeScan((item,), code, by_product_code=True, price=value.scaleb(-layout.price_decimals))
    return CodeScan(_stored_forms(code), code)


def _ean8_or_upce(code: str) -> CodeScan:
    """8 digits starting with 0 or 1 are an EAN-8 or a UPC-E: both are looked up when both are valid."""
    codes: list[str] = []
    try:
        check_gtin(code)
        codes.append(code)
    except WrongCheckDigit:
        pass
    try:
        upc_a = Upc.parse(code).as_upc_a()
        codes.extend(_stored_forms(upc_a))
    except ParseError:
        pass
    if not codes:
        raise WrongCheckDigit(code=code)
    return CodeScan(tuple(codes), code)


def _stored_forms(gtin: str) -> tuple[str, ...]:
    """A GTIN as the catalog may hold it: as scanned, then with its leading zeros dropped to
    the shorter GTIN lengths (00000096385074 is the EAN-8 96385074; 0042100005264 the UPC-A)."""
    forms = [gtin]
    for length in (13, 12, 8):
        if len(gtin) > length and gtin[: len(gtin) - length].strip("0") == "":
            forms.append(gtin[len(gtin) - length :])
    if len(gtin) == 12:
        forms.append("0" + gtin)
    return tuple(forms)


def _element_string(code: str, quoted: str) -> CodeScan:
    """A GS1 element string read by biip: GTIN, batch, expiry, net weight and price."""
    if len(code) > MAX_SCAN_LENGTH:
        raise MalformedScan(code=_quoted(quoted), reason="too long")
    body = SYMBOLOGY_ID.sub("", code, count=1) if SYMBOLOGY_ID.match(code) else code
    try:
        if body.startswith("("):
            message = GS1Message.parse_hri(body)
        else:
            message = GS1Message.parse(body)
    except (ParseError, ValueError, ArithmeticError) as error:
        raise MalformedScan(code=_quoted(quoted), reason=_reason(error)) from None
    gtin = batch = None
    expiry: date | None = None
    weight: Decimal | None = None
    price: Decimal | None = None
    for element in message.element_strings:
        ai = element.ai.ai
        if ai == "01":
            gtin = element.value
        elif ai == "10":
            batch = element.value
        elif ai == "17":
            expiry = element.date
        elif ai.startswith("310"):
            weight = element.decimal
        elif ai.startswith("392"):
            price = element.decimal
    if gtin is None:
        raise NoProductNumber(code=_quoted(quoted))
    try:
        check_gtin(gtin)
    except PosError:
        raise WrongCheckDigit(code=gtin) from None
    return CodeScan(_stored_forms(gtin), gtin, price=price, batch=batch, expiry=expiry, net_weight=weight)


def _with_quantity(reading: CodeScan, quantity: Decimal) -> CodeScan:
    return replace(reading, quantity=quantity)


def _reason(error: Exception) -> str:
    """biip's own words, shortened (they quote the whole scan)."""
    words = str(error).split(". ")[0].rstrip(".")
    return words if len(words) <= 80 else words[:79] + "…"


def _quoted(text: str) -> str:
    shown = "".join(" " if not ch.isprintable() else ch for ch in text)
    return shown if len(shown) <= QUOTE_LIMIT else shown[: QUOTE_LIMIT - 1] + "…"
