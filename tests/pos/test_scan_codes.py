"""What each kind of code means to the till: GTINs (EAN-13, EAN-8, UPC-A, UPC-E), the store's
variable-measure labels (weight or price), GS1-128 / GS1 DataMatrix element strings with FNC1,
typed codes; an expired GS1 item is a fact the till returns before selling; a bad code is
refused with a message quoting what was scanned."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from pos.barcode import MalformedBarcode, WrongCheckDigit, with_check_digit
from pos.money import Money
from pos.scan import CodeScan, MalformedScan, MeasureLayout, NoProductNumber, Words, read_scan
from pos.till import ExpiredItem, Till, TillSettings, UnknownBarcode, is_scan
from tests.fakes import APPLES, STORE, SHAMPOO, MemoryCashiers, MemoryCatalog, MemoryJournal, StepClock, product

GS = "\x1d"
SHAMPOO_14 = "0" + SHAMPOO.barcode  # the GTIN-14 a GS1 element string carries
UPC_PRODUCT = product("1010", "Gum", "12.00", barcode="042100005264")  # UPC-E 04252614 expanded
EAN8_PRODUCT = product("1011", "Mints", "9.00", barcode="96385074")


def till_with(layout: MeasureLayout | None = None) -> Till:
    journal = MemoryJournal()
    till = Till(
        TillSettings(STORE, scan_layout=layout),
        catalog=MemoryCatalog((SHAMPOO, APPLES, UPC_PRODUCT, EAN8_PRODUCT)),
        journal=journal, baskets=journal, cashiers=MemoryCashiers(), clock=StepClock(),
    )
    till.start()
    till.sign_in("1", "1234")
    return till


def test_an_ean13_an_ean8_a_upca_and_a_upce_each_find_their_product():
    till = till_with()
    for code in (SHAMPOO.barcode, "96385074", "042100005264", "04252614"):
        till.scan(code)
    assert [line.product.code for line in till.view().lines] == ["1001", "1011", "1010"]
    assert till.view().lines[2].quantity == 2  # the UPC-A and its UPC-E are the same product


def test_a_upce_is_read_as_its_upca_and_an_ean8_as_itself():
    assert read_scan("04252614") == CodeScan(("042100005264", "0042100005264"), "04252614")
    assert read_scan("96385074") == CodeScan(("96385074",), "96385074")


def test_a_weight_label_in_the_stores_layout_gives_the_item_and_its_weight():
    label = with_check_digit("21" + "0020" + "000123")  # 21 0020 000123 C: a 4-digit item, 6 digits of grams
    till = till_with(MeasureLayout(weight_prefixes=("21",), item_digits=4))
    apples = replace(APPLES, code="20")
    till.catalog.products.append(apples)  # type: ignore[attr-defined]
    assert read_scan(label, MeasureLayout(weight_prefixes=("21",), item_digits=4)).quantity == Decimal("0.123")
    till.scan(label)
    assert till.view().lines[0].quantity == Decimal("0.123") and till.view().lines[0].product.code == "20"


def test_a_price_label_sells_one_item_at_the_labels_price():
    layout = MeasureLayout(weight_prefixes=("22",), price_prefixes=("23",))
    label = with_check_digit("23" + "20001" + "00456")  # item 20001 (the apples), 4.56
    till = till_with(layout)
    till.scan(label)
    line = till.view().lines[0]
    assert (line.product.code, line.quantity, line.product.price) == ("20001", 1, Money.of("4.56", "UAH"))
    assert till.view().total == Money.of("4.56", "UAH")


def test_the_old_till_setting_of_weight_prefixes_still_reads_weight_labels():
    journal = MemoryJournal()
    till = Till(TillSettings(STORE, weight_prefixes=("21",)), catalog=MemoryCatalog(), journal=journal,
                baskets=journal, cashiers=MemoryCashiers(), clock=StepClock())
    till.sign_in("1", "1234")
    till.scan(with_check_digit("21" + "20001" + "01250"))
    assert till.view().lines[0].quantity == Decimal("1.25")


@pytest.mark.parametrize("prefix", [f"]C1{'01'}", "]d201", "]Q301", "01"])
def test_a_gs1_element_string_with_fnc1_gives_gtin_batch_expiry_and_weight(prefix):
    text = f"{prefix}{SHAMPOO_14}17301231" + f"10LOT-7{GS}3103000350"
    reading = read_scan(text)
    assert isinstance(reading, CodeScan)
    assert (reading.scanned, reading.batch, reading.expiry, reading.net_weight) == (
        SHAMPOO_14, "LOT-7", date(2030, 12, 31), Decimal("0.350"))
    assert SHAMPOO.barcode in reading.codes


def test_a_gs1_net_weight_is_the_quantity_of_a_weighed_item_only():
    till = till_with()
    till.catalog.products.append(replace(APPLES, barcode=with_check_digit("482999000001")))  # type: ignore[attr-defined]
    till.scan(f"]C101{'0' + with_check_digit('482999000001')}3103001250")
    till.scan(f"]C101{SHAMPOO_14}3103000250")  # a packed 250 g shampoo: one of it
    assert [(line.product.code, line.quantity) for line in till.view().lines] == [
        ("20001", Decimal("1.250")), ("1001", 1)]


def test_the_printed_form_of_an_element_string_is_read_too():
    reading = read_scan(f"(01){SHAMPOO_14}(10)A1(3922)1299")
    assert isinstance(reading, CodeScan) and reading.batch == "A1" and reading.price == Decimal("12.99")


def test_a_gs1_code_sells_its_product_and_an_expired_one_is_asked_about_first():
    till = till_with()
    till.scan(f"]d201{SHAMPOO_14}17301231")
    assert till.view().lines[0].product == SHAMPOO
    expired = f"]d201{SHAMPOO_14}17200131"
    with pytest.raises(ExpiredItem) as asked:
        till.scan(expired)
    assert asked.value.fields == {"name": SHAMPOO.name, "date": date(2020, 1, 31)}
    assert till.view().lines[0].quantity == 1  # nothing added until the cashier says so
    till.scan(expired, sell_expired=True)
    assert till.view().lines[0].quantity == 2


@pytest.mark.parametrize("text,error", [
    ("4820000000018", WrongCheckDigit),
    ("123456789", MalformedBarcode),
    ("]C1XYZ", MalformedScan),
    (f"]d2{'17'}301231{'10'}ABC", NoProductNumber),
    ("010482000000001817301231", WrongCheckDigit),
    (f"]C101{SHAMPOO_14}17301399", MalformedScan),  # month 13
])
def test_a_code_that_cannot_be_read_is_refused_quoting_what_was_scanned(text, error):
    with pytest.raises(error) as refused:
        read_scan(text)
    message = refused.value.user_message()
    assert len(message) < 300
    assert text.replace(GS, " ")[:20] in message or refused.value.fields.get("code", "")[:12] in message


def test_a_long_unreadable_scan_is_quoted_shortened():
    with pytest.raises(MalformedScan) as refused:
        read_scan("]C1" + "9" * 400)
    assert "…" in refused.value.user_message() and len(refused.value.user_message()) < 300


def test_an_unknown_gs1_gtin_is_named_in_the_message():
    till = till_with()
    unknown = with_check_digit("0482999999999")
    with pytest.raises(UnknownBarcode) as refused:
        till.scan(f"01{unknown}")
    assert unknown in refused.value.user_message()


def test_names_are_searched_and_codes_are_sold():
    assert read_scan("nivea") == Words("nivea")
    assert not is_scan("nivea 4820080238423") and not is_scan("шампунь")
    assert is_scan("4820080238423") and is_scan(f"]C101{SHAMPOO_14}") and is_scan("2*1001") and is_scan("0,350*20001")
