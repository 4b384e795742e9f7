"""Catalog files an administrator imports: CSV or JSON, one row per product.

Columns (CSV header, or JSON keys): ``code, name, brand, category, price, currency,
vat_code, vat_percent, sold_by_weight, barcodes`` - barcodes separated by ``|`` (in JSON
also a list).  Prices are VAT-inclusive decimal strings (``89.90``), never floats.  A bad
row stops the import with its line number (CSV) or item number (JSON).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from central.errors import AdminProblem
from pos.barcode import GTIN_LENGTHS
from pos.catalog import Product
from pos.errors import PosError
from pos.money import Money

COLUMNS = ("code", "name", "brand", "category", "price", "currency", "vat_code", "vat_percent",
           "sold_by_weight", "barcodes")
_YES = {"1", "true", "yes", "y", "t"}
_NO = {"0", "false", "no", "n", "f", ""}
_PRICES: dict[tuple[str, str], int] = {}  # (text, currency) -> minor units: shelf prices repeat
_PERCENTS: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class CatalogRow:
    where: str  # "line 17" or "item 3": for messages
    code: str
    name: str
    brand: str
    category: str
    price_minor: int
    currency: str
    vat_code: str
    vat_percent: str  # normalised decimal text: "20", "7.5", "0"
    sold_by_weight: bool
    barcodes: tuple[str, ...]


class BadRow(AdminProblem):
    pass


def _text(value: Any, field: str, *, required: bool, limit: int) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValueError(f"{field} is empty")
    if len(text) > limit:
        raise ValueError(f"{field} is longer than {limit} characters")
    return text


def _price(value: Any, currency: str) -> int:
    if isinstance(value, float):
        raise ValueError("price must be a decimal string, not a float")
    key = (str(value).strip(), currency)
    minor = _PRICES.get(key)
    if minor is None:
        minor = _parse_price(*key)
        if len(_PRICES) > 100_000:
            _PRICES.clear()
        _PRICES[key] = minor
    return minor


def _parse_price(text: str, currency: str) -> int:
    try:
        minor = Money.of(text, currency).minor_units()
    except PosError as error:
        raise ValueError(str(error)) from None
    except ValueError:
        raise ValueError(f"price {text} has more decimals than {currency} has") from None
    if minor < 0:
        raise ValueError(f"price {text} is negative")
    return minor


def _percent(value: Any) -> str:
    text = str(value).strip()
    known = _PERCENTS.get(text)
    if known is not None:
        return known
    try:
        percent = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"vat_percent {value!r} is not a number") from None
    if not percent.is_finite() or not (0 <= percent < 100):
        raise ValueError(f"vat_percent {value!r} is not between 0 and 100")
    _PERCENTS[text] = format(percent.normalize(), "f")
    return _PERCENTS[text]


def _check_digit_ok(gtin: str) -> bool:
    """The GS1 check digit (as pos.barcode.with_check_digit computes it), quickly."""
    weighted = 3 * sum(map(int, gtin[-2::-2])) + sum(map(int, gtin[-3::-2]))
    return (10 - weighted % 10) % 10 == int(gtin[-1])


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"sold_by_weight {value!r} is not yes or no")


def _barcodes(value: Any) -> tuple[str, ...]:
    parts = value if isinstance(value, list) else ("" if value is None else str(value)).split("|")
    result = []
    for part in parts:
        gtin = str(part).strip()
        if not gtin:
            continue
        if not (gtin.isascii() and gtin.isdigit() and len(gtin) in GTIN_LENGTHS):
            raise ValueError(f"barcode {gtin!r} is not a GTIN of 8, 12, 13 or 14 digits")
        if not _check_digit_ok(gtin):
            raise ValueError(f"barcode {gtin} has a wrong check digit")
        result.append(gtin)
    return tuple(dict.fromkeys(result))


def make_row(record: dict[str, Any], where: str) -> CatalogRow:
    """One row from a record of the columns above; ValueError says what is wrong."""
    code = _text(record.get("code"), "code", required=True, limit=64)
    if any(ch.isspace() for ch in code):
        raise ValueError(f"code {code!r} contains spaces")
    currency = _text(record.get("currency"), "currency", required=True, limit=3).upper()
    return CatalogRow(
        where=where, code=code,
        name=_text(record.get("name"), "name", required=True, limit=300),
        brand=_text(record.get("brand"), "brand", required=False, limit=200),
        category=_text(record.get("category"), "category", required=False, limit=200),
        price_minor=_price(record.get("price"), currency), currency=currency,
        vat_code=_text(record.get("vat_code"), "vat_code", required=True, limit=8),
        vat_percent=_percent(record.get("vat_percent")),
        sold_by_weight=_flag(record.get("sold_by_weight")),
        barcodes=_barcodes(record.get("barcodes")),
    )


def read_catalog_file(path: Path) -> Iterator[CatalogRow]:
    """Rows of a ``.json`` file, or of a CSV file (any other name)."""
    path = Path(path)
    if not path.is_file():
        raise AdminProblem(f"{path}: no such file")
    reader = _json_records(path) if path.suffix.lower() == ".json" else _csv_records(path)
    for where, record in reader:
        try:
            yield make_row(record, where)
        except ValueError as error:
            raise BadRow(f"{path}: {where}: {error}") from None


def _csv_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in COLUMNS if name not in header and name != "barcodes"]
        if missing:
            raise BadRow(f"{path}: line 1: the header lacks {', '.join(missing)}")
        width = len(header)
        try:
            for values in reader:
                if not values or values == [""]:
                    continue
                if len(values) != width:
                    raise BadRow(f"{path}: line {reader.line_num}: {len(values)} fields, the header has {width}")
                yield f"line {reader.line_num}", dict(zip(header, values))
        except csv.Error as error:
            raise BadRow(f"{path}: line {reader.line_num}: {error}") from None
        except UnicodeDecodeError:
            raise BadRow(f"{path}: near line {reader.line_num}: not UTF-8 text") from None


def _json_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRow(f"{path}: not JSON: {error}") from None
    items = data.get("products") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BadRow(f"{path}: expected a list of products (or {{\"products\": [...]}})")
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise BadRow(f"{path}: item {number}: not an object")
        if isinstance(item.get("price"), Decimal):
            item = {**item, "price": str(item["price"])}
        yield f"item {number}", item


def rows_from_products(products: Iterable[Product]) -> Iterator[CatalogRow]:
    """Rows from domain products (the demo catalog generator)."""
    for number, product in enumerate(products, 1):
        yield CatalogRow(
            where=f"product {number}", code=product.code, name=product.name, brand=product.brand,
            category=product.category, price_minor=product.price.minor_units(),
            currency=product.price.currency, vat_code=product.vat.code,
            vat_percent=format(product.vat.percent.normalize(), "f"),
            sold_by_weight=product.sold_by_weight,
            barcodes=(product.barcode,) if product.barcode else (),
        )
