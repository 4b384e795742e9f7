"""The receipt laid out in rows: fits the paper, keeps numbers whole, speaks the store's language."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from hypothesis import given, settings
from hypothesis import strategies as st

import pos.receipt_layout as receipt_layout
from pos.catalog import VatRate
from pos.money import Money, round_money
from pos.receipt import Receipt, ReceiptLine, ReceiptPayment
from pos.receipt_layout import LABELS, ReceiptDocument, layout_receipt
from pos.tax import tax_breakdown
from tests.fakes import STORE
from tests.hardware.samples import said, sample_receipt

LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВЇЄҐ" + "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ" + "əƏşŞğĞçÇöÖüÜıİ" + "Herbal-0123456789%/.,"
NAMES = st.text(alphabet=LETTERS + "  ", min_size=1, max_size=90).filter(lambda s: s.strip())
RATES = [VatRate("A", Decimal("20")), VatRate("B", Decimal("7")), VatRate("E", Decimal("0"))]
LOCALES = ["uk_UA", "az_AZ", "ka_GE", "en_US", "de_DE", "fr_FR"]


def _plain(document: ReceiptDocument) -> str:
    return "\n".join(row.text for row in document.rows)


def _amount(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@st.composite
def receipts(draw: st.DrawFn) -> Receipt:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        weighed = draw(st.booleans())
        if weighed:
            quantity = Decimal(draw(st.integers(1, 99_999))) / 1000
        else:
            quantity = Decimal(draw(st.integers(1, 9_999)))
        price = Money(Decimal(draw(st.integers(1, 99_999_999))) / 100, "UAH")
        total = round_money(price.times(quantity))
        vat = draw(st.sampled_from(RATES))
        lines.append((ReceiptLine(draw(NAMES), quantity, price, total, vat.code, weighed), vat))
    total = sum((line.total for line, _ in lines), Money.zero("UAH"))
    rounding = Money(Decimal(draw(st.integers(-4, 5))) / 100, "UAH")
    due = total + rounding
    tendered = due + Money(Decimal(draw(st.integers(0, 10**9))) / 100, "UAH")
    store = replace(
        STORE,
        name=draw(NAMES),
        address=draw(NAMES),
        footer=draw(st.one_of(st.just(""), NAMES)),
        locale=draw(st.sampled_from(LOCALES)),
        timezone=draw(st.sampled_from(["Europe/Kyiv", "Asia/Baku", "Asia/Tbilisi", "Nowhere/Else"])),
    )
    return Receipt(
        store=store,
        sale_id=uuid.uuid4(),
        receipt_number=draw(st.integers(1, 10**9)),
        completed_at=datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc),
        cashier_name=draw(NAMES),
        lines=tuple(line for line, _ in lines),
        taxes=tax_breakdown([(vat, line.total) for line, vat in lines], "UAH"),
        total=total,
        rounding=rounding,
        due=due,
        payments=(ReceiptPayment("cash", tendered, tendered - due),),
        is_copy=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None)
@given(receipts(), st.integers(24, 64))
def test_every_row_fits_the_paper_and_every_amount_is_printed_whole(receipt: Receipt, width: int) -> None:
    document = layout_receipt(receipt, width)
    assert all(row.columns <= width for row in document.rows), [r for r in document.rows if r.columns > width]
    text = _plain(document)
    fmt = receipt_layout._Layout(receipt, width)
    for line in receipt.lines:
        assert _amount(fmt.amount(line.total)) in text
        assert _amount(fmt.amount(line.unit_price)) in text
    assert _amount(fmt.amount(receipt.total)) in text
    assert _amount(fmt.amount(receipt.payments[0].tendered)) in text
    for tax in receipt.taxes:
        assert _amount(fmt.amount(tax.tax)) in text
    assert (said("COPY", receipt.store) in text) == receipt.is_copy


def test_a_receipt_shows_its_lines_totals_vat_and_payment() -> None:
    text = _plain(layout_receipt(sample_receipt()))
    for expected in ["Kassa Demo", "Шампунь Herbal 250 мл", f"0,350 {said('kg')} x 32,99", "11,55 E", said("TOTAL"),
                     "470,85 UAH", said("Rounding"), "0,05", "470,90 UAH", said("VAT {code} {percent}%", code="A", percent=20),
                     said("Cash"), "1 000,00", said("Change"), "529,10", "Дякуємо за покупку!",
                     said("Receipt No. {number}", number=1), said("Cashier: {name}", name="Olena"),
                     said("Till: {till}", till="T01"), said("Tax ID {tax_id}", tax_id="12345678")]:
        assert expected in text, expected


def test_the_time_is_shown_in_the_store_timezone() -> None:
    receipt = sample_receipt()  # completed at 10:00:0x UTC = 12:00 in Kyiv in November
    assert "24.11.2026 12:00" in _plain(layout_receipt(receipt))
    baku = replace(receipt, store=replace(receipt.store, timezone="Asia/Baku"))
    assert "24.11.2026 14:00" in _plain(layout_receipt(baku))


def test_a_copy_says_copy_and_the_original_does_not() -> None:
    copy = layout_receipt(sample_receipt(is_copy=True))
    assert any(said("COPY") in row.text and row.double for row in copy.rows)
    assert said("COPY") not in _plain(layout_receipt(sample_receipt()))


def test_the_total_is_bold_and_double_when_it_fits() -> None:
    total = next(row for row in layout_receipt(sample_receipt()).rows if row.text.startswith(said("TOTAL")))
    assert total.bold and total.double and total.columns <= 42


# labels in the store's language, from the real catalogs: tests/pos/test_receipt_translations.py


def test_babel_extraction_finds_every_receipt_label() -> None:
    path = Path(receipt_layout.__file__)
    found = {message for _, message, _, _ in extract_from_file("python", path, keywords={"N_": None, "_": None})}
    assert set(LABELS.values()) <= found


def test_a_long_store_name_wraps_at_half_the_width_when_double() -> None:
    receipt = sample_receipt()
    long_name = replace(receipt, store=replace(receipt.store, name="Аптека Здоров'я Центральна Хрещатик Мережа"))
    rows = [row for row in layout_receipt(long_name, 32).rows if row.double]
    assert len(rows) >= 3 and all(row.columns <= 32 for row in rows)


def test_a_width_below_the_minimum_is_refused() -> None:
    with pytest.raises(ValueError):
        layout_receipt(sample_receipt(), 20)
