"""The receipt explains the promotions: under each reduced line one row per discount (the
promotion's name and the amount), a Subtotal and a Discount before the TOTAL that add up to
it, and "You saved" at the end; on paper as ESC/POS bytes and as a picture."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from PIL import Image

from hardware.escpos_printer import EscposReceiptPrinter
from hardware.receipt_image import render_receipt_png
from pos.money import Money
from pos.receipt import Receipt, ReceiptDiscount, ReceiptLine, ReceiptPayment, build_receipt
from pos.receipt_layout import layout_receipt
from pos.tax import tax_breakdown
from tests.fakes import CREAM, SHAMPOO, STORE, VAT_A, VITAMINS
from tests.hardware.escpos_decoder import decode
from tests.hardware.samples import said
from tests.pos.discounted_sale import discounted_sale

ENGLISH = replace(STORE, locale="en_US")


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def texts(receipt, width: int = 42) -> list[str]:  # noqa: ANN001
    return [row.text for row in layout_receipt(receipt, width).rows]


def row_with(rows: list[str], start: str) -> str:
    return next(row for row in rows if row.strip().startswith(start))


def amount_at_end(row: str) -> Decimal:
    return Decimal(row.split()[-1].replace(",", ""))


def test_the_receipt_carries_each_lines_discounts_and_the_sales_total_discount():
    sale = discounted_sale()
    receipt = build_receipt(sale, STORE)
    shampoo, cream, vitamins, apples = receipt.lines
    assert shampoo.discounts == (ReceiptDiscount("Шампуні 3 за 2", uah("89.90")),)
    assert (shampoo.gross, shampoo.total) == (uah("269.70"), uah("179.80"))
    assert [d.name for d in cream.discounts] == ["Креми -10 %", "VIP -5 %"] and cream.total == uah("93.19")
    assert vitamins.discounts == () and apples.discount == uah("0.35")
    assert receipt.discount == sale.discount == uah("106.06")
    assert receipt.gross - receipt.discount == receipt.total == sale.total


def test_a_discounted_line_prints_its_price_times_quantity_then_one_row_per_discount():
    rows = texts(build_receipt(discounted_sale(), ENGLISH))
    at = rows.index("Шампунь Herbal 250 мл")
    assert rows[at + 1].split() == ["3", "x", "89.90", "269.70", "A"]
    assert rows[at + 2].startswith("   Шампуні 3 за 2") and rows[at + 2].endswith(" -89.90")
    at = rows.index("Крем для рук 75 мл")
    assert rows[at + 2].startswith("   Креми -10 %") and rows[at + 2].endswith(" -10.90")
    assert rows[at + 3].startswith("   VIP -5 %") and rows[at + 3].endswith(" -4.91")
    assert rows[rows.index("Вітаміни C 500") + 2] == "Яблука Голден"  # no discount: no row


def test_subtotal_minus_discount_is_the_total_and_the_customer_is_told_what_they_saved():
    sale = discounted_sale()
    rows = texts(build_receipt(sale, ENGLISH))
    subtotal, discount = row_with(rows, "Subtotal"), row_with(rows, "Discount")
    assert rows.index(subtotal) + 1 == rows.index(discount) < rows.index(row_with(rows, "TOTAL"))
    assert amount_at_end(subtotal) == Decimal("510.25") and amount_at_end(discount) == Decimal("-106.06")
    assert amount_at_end(subtotal) + amount_at_end(discount) == sale.total.amount
    items = [Decimal(r.split()[-2]) for r in rows if r.startswith("   ") and " x " in r]
    discounts = [amount_at_end(r) for r in rows if r.startswith("   ") and r.split()[-1].startswith("-")]
    assert len(discounts) == 4 and sum(items) + sum(discounts) == sale.total.amount  # the column adds up
    assert "You saved 106.06 UAH" in [r.strip() for r in rows]


def test_a_sale_without_promotions_prints_no_discount_rows():
    sale = discounted_sale(((SHAMPOO, "1", ()), (VITAMINS, "2", ())))
    rows = texts(build_receipt(sale, ENGLISH))
    assert not [r for r in rows if r.startswith(("Subtotal", "Discount")) or "saved" in r]
    assert rows[rows.index("Шампунь Herbal 250 мл") + 1].split() == ["1", "x", "89.90", "89.90", "A"]


def test_a_discount_read_back_without_its_promotions_name_still_prints_as_discount():
    sale = discounted_sale(((CREAM, "2", (("P-CREAM-10", "Креми -10 %", "10.90"),)),))
    forgotten = replace(sale, lines=tuple(replace(line, discounts=()) for line in sale.lines))  # as a journal without names
    receipt = build_receipt(forgotten, ENGLISH)
    assert receipt.lines[0].discounts == (ReceiptDiscount("", uah("10.90")),) and receipt.discount == uah("10.90")
    rows = texts(receipt)
    assert rows[2 + rows.index("Крем для рук 75 мл")].split() == ["Discount", "-10.90"]


def test_a_long_promotion_name_wraps_and_its_amount_stays_whole_on_58_mm_paper():
    name = "Зимовий розпродаж догляду за руками: другий крем за півціни"
    sale = discounted_sale(((CREAM, "2", (("P-LONG", name, "27.25"),)),))
    document = layout_receipt(build_receipt(sale, STORE), 32)
    assert all(row.columns <= 32 for row in document.rows)
    rows = [row.text for row in document.rows]
    at = rows.index("Крем для рук 75 мл") + 2
    end = rows.index("-" * 32, at)
    explained = rows[at:end]
    assert " ".join(r.strip() for r in explained[:-1]) == name and explained[-1].strip() == "-27,25"


def test_the_printer_receives_the_promotion_names_and_amounts_as_escpos_text():
    receipt = build_receipt(discounted_sale(), STORE)
    printed = decode(EscposReceiptPrinter("dummy").receipt_bytes(receipt)).texts
    assert any(t.startswith("   Шампуні 3 за 2") and t.endswith("-89,90") for t in printed)
    assert any(t.startswith("   VIP -5 %") and t.endswith("-4,91") for t in printed)
    discount = said("Discount")
    assert any(t.startswith(discount) and t.endswith("-106,06") for t in printed)
    assert any(said("You saved {amount}", amount="106,06 UAH") in t for t in printed)


def test_the_picture_of_the_receipt_is_longer_by_the_discount_rows(tmp_path):
    plain = render_receipt_png(build_receipt(discounted_sale(((SHAMPOO, "3", ()),)), STORE), tmp_path / "a.png")
    explained = render_receipt_png(build_receipt(discounted_sale(((SHAMPOO, "3", (("P", "3 за 2", "89.90"),)),)), STORE),
                                   tmp_path / "b.png")
    assert Image.open(explained).height > Image.open(plain).height


LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя" + "აბგდევზთიკლმნოპ" + "əşğçöüı" + "Promo%0123456789 "  # no minus
NAMES = st.text(alphabet=LETTERS, min_size=1, max_size=70).filter(lambda s: s.strip())


@st.composite
def discounted_receipts(draw: st.DrawFn) -> Receipt:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        quantity = Decimal(draw(st.integers(1, 50)))
        price = Money(Decimal(draw(st.integers(1, 9_999_999))) / 100, "UAH")
        gross = price.times(quantity)
        discounts, left = [], gross.amount
        for _ in range(draw(st.integers(0, 3))):
            amount = Decimal(draw(st.integers(0, int(left * 100)))) / 100
            if amount:
                discounts.append(ReceiptDiscount(draw(st.one_of(st.just(""), NAMES)), Money(amount, "UAH")))
                left -= amount
        lines.append(ReceiptLine(draw(NAMES), quantity, price, Money(left, "UAH"), "A", False, tuple(discounts)))
    total = Money(sum((line.total.amount for line in lines), Decimal(0)), "UAH")
    return Receipt(store=STORE, sale_id=uuid.UUID(int=7), receipt_number=1,
                   completed_at=datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc), cashier_name="Олена",
                   lines=tuple(lines), taxes=tax_breakdown([(VAT_A, total)], "UAH"), total=total,
                   rounding=Money.zero("UAH"), due=total, payments=(ReceiptPayment("cash", total, Money.zero("UAH")),))


@settings(max_examples=60, deadline=None)
@given(receipt=discounted_receipts(), width=st.sampled_from([32, 42, 48]),
       locale=st.sampled_from(["uk_UA", "az_AZ", "ka_GE", "en_US"]))
def test_every_discount_row_fits_the_paper_and_the_column_adds_up_to_the_total(receipt, width, locale):
    receipt = replace(receipt, store=replace(STORE, locale=locale))
    document = layout_receipt(receipt, width)
    assert all(row.columns <= width for row in document.rows)
    if locale != "en_US":
        return
    rows = [row.text for row in document.rows if row.kind == "text" and row.text.strip()]
    items = [Decimal(r.split()[-2].replace(",", "")) for r in rows if r.startswith("   ") and " x " in r]
    minus = [Decimal(r.split()[-1].replace(",", "")) for r in rows if r.split()[-1].startswith("-")
             and not r.startswith(("Discount", "Rounding"))]
    assert len(minus) == sum(len(line.discounts) for line in receipt.lines)
    assert sum(items) + sum(minus) == receipt.total.amount
    assert any(r.startswith("Subtotal") for r in rows) == (not receipt.discount.is_zero())
