"""Georgian on paper: the letters a cashier and a customer must tell apart stay apart in the
1-bit dots the printer prints, words keep the receipt's columns, and the VAT table fits
one line in every language on 80 mm and 58 mm paper."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps

import hardware.receipt_image as receipt_image
from hardware.escpos_printer import EscposReceiptPrinter
from hardware.receipt_image import RowPainter
import pos.receipt_layout as receipt_layout
from pos.i18n import translator
from pos.receipt import Receipt
from pos.receipt_layout import Row, layout_receipt
from tests.hardware.escpos_paper import paper_image
from tests.hardware.escpos_scanner import scan
from tests.hardware.world_receipts import LANGUAGES, world_receipt

PRINTER_80MM = RowPainter(42, 512)  # font A: 12 x 24 dots, the size the printer prints a raster row at


def dots(row: Row, painter: RowPainter = PRINTER_80MM) -> Image.Image:
    """The row as the printer receives it: a 1-bit image, black dots on white."""
    image = painter.bitmap(row)
    assert image.mode == "1"
    return image


def differing_dots(a: Image.Image, b: Image.Image) -> int:
    return ImageChops.logical_xor(a, b).histogram()[255]


# In DejaVu Sans Mono at 24 dots, ლ (l) is drawn like ღ (gh) and these pairs differ by 54
# dots; with Noto Sans Georgian by 105 to 414.  90 is between.
@pytest.mark.parametrize(("word", "look_alike"), [("სულ", "სუღ"), ("მოლარე", "მოღარე"), ("თბილისი", "თბიღისი"), ("0,5 ლ", "0,5 ღ")])
def test_l_and_gh_print_as_different_letters_in_the_words_of_a_georgian_receipt(word: str, look_alike: str) -> None:
    assert differing_dots(dots(Row(word)), dots(Row(look_alike))) >= 90


def test_the_lone_letter_l_prints_wider_than_gh_as_it_is_written() -> None:
    """ლ is the widest letter of Mkhedruli (three arches); squeezed into one mono cell it lost
    an arch and became ღ.  Printed after a space, it keeps its width."""
    def ink_width(text: str) -> int:
        letter = dots(Row(text)).crop((round(3.5 * PRINTER_80MM.font(Row(text)).getlength("M")), 0, 512, 24))
        box = ImageOps.invert(letter.convert("L")).getbbox()
        assert box is not None
        return box[2] - box[0]

    assert ink_width("0,5 ლ") - ink_width("0,5 ღ") >= 3  # DejaVu Sans Mono: 3 dots narrower


@pytest.mark.parametrize(("a", "b"), [("ს", "ხ"), ("ნ", "ხ"), ("ე", "კ"), ("დ", "ღ"), ("თ", "ო"), ("პ", "ჰ"), ("ბ", "ზ"), ("მ", "შ")])
def test_other_look_alike_georgian_letters_keep_the_strokes_that_tell_them_apart(a: str, b: str) -> None:
    # the ascender of ხ over ს, the tail of კ: at least 8 dots, a stroke the eye sees on paper
    assert differing_dots(dots(Row(f"{a}{a}")), dots(Row(f"{b}{b}"))) >= 8


def test_georgian_letters_are_drawn_with_the_bundled_georgian_font() -> None:
    assert receipt_image.GEORGIAN_FONT.is_file() and receipt_image.GEORGIAN_BOLD_FONT.is_file()
    assert (receipt_image.FONT_DIR / "LICENSE-Noto.txt").read_text().count("SIL OPEN FONT LICENSE") == 1
    assert receipt_image.is_georgian("ლ") and not receipt_image.is_georgian("L")


@pytest.mark.parametrize("painter", [RowPainter(42, 512), RowPainter(32, 384)], ids=["80mm", "58mm"])
def test_amounts_in_a_georgian_row_print_in_the_same_dots_as_in_an_english_row(painter: RowPainter) -> None:
    amount = "1 260,00"
    for label in ("ნაღდი", "დღგ-ის გარეშე", "ლ"):
        georgian = f"{label}{' ' * (painter.width - len(label) - len(amount))}{amount}"
        latin = f"{'x' * len(label)}{' ' * (painter.width - len(label) - len(amount))}{amount}"
        left = painter.text_width - round(len(amount) * painter.font(Row(amount)).getlength("M")) - 2
        assert dots(Row(georgian), painter).crop((left, 0, painter.dot_width, 24)).tobytes() == \
            dots(Row(latin), painter).crop((left, 0, painter.dot_width, 24)).tobytes()


def test_a_georgian_word_stays_inside_its_cells_and_a_third_of_the_spaces_beside_it() -> None:
    painter = PRINTER_80MM
    cell = painter.font(Row("x")).getlength("M")
    for word in ("ლ", "სულ", "მოლარე:", "თბილისი", "ჯამი"):
        row = Row(f"ab {word} cd")
        blank = Row(f"ab {' ' * len(word)} cd")
        changed = ImageChops.logical_xor(dots(row), dots(blank)).getbbox()
        assert changed is not None
        assert changed[0] >= 3 * cell - cell / 3 - 1 and changed[2] <= (3 + len(word)) * cell + cell / 3 + 1, word


@pytest.mark.parametrize("width", [42, 32])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_vat_table_fits_one_line_per_rate_in_every_language(language: str, width: int) -> None:
    receipt = world_receipt(language)
    rows = layout_receipt(receipt, width).rows
    first = next(i for i, row in enumerate(rows) if row.text.rstrip().endswith(_said_vat(receipt)))
    table = rows[first : first + 1 + len(receipt.taxes)]
    assert all(row.columns <= width for row in table)
    layout = receipt_layout._Layout(receipt, width)
    for tax, row in zip(receipt.taxes, table[1:], strict=True):
        net, vat = (layout.amount(m).replace("\u00a0", " ") for m in (tax.net, tax.tax))
        assert f" {tax.vat.code} " in row.text and row.text.endswith(f"  {vat}")
        assert row.text[: -len(vat)].rstrip().endswith(f" {net}")
    assert rows[first + 1 + len(receipt.taxes)].kind == "rule"  # nothing wrapped onto another row


def _said_vat(receipt: Receipt) -> str:
    return translator(receipt.store.locale).gettext("VAT {amount}").format(amount="").strip()


def test_the_printer_prints_the_georgian_receipt_as_the_preview_draws_it(tmp_path: Path) -> None:
    """Decoded from the ESC/POS bytes, the Georgian words are the painter's 1-bit words in
    their cells, and a double row is the painter's row at normal size with every dot doubled."""
    receipt = world_receipt("ka")
    printer = EscposReceiptPrinter("dummy")
    data = printer.receipt_bytes(receipt)
    commands, _ = scan(data)
    words = [c for c in commands if c.name == "bit image"]
    assert len(words) >= 30 and all(c.args[0] == 33 and (c.args[1] + 256 * c.args[2]) % 12 == 0 for c in words)
    images = [c for c in commands if c.name == "raster image"]
    assert len(images) == 2 and all(c.args[0] + 256 * c.args[1] <= 256 // 8 for c in images)  # doubled on paper
    paper = paper_image(data)
    document = layout_receipt(receipt, 42)
    total = next(row for row in document.rows if row.double and "GEL" in row.text)
    half = printer.renderer.half_painter.bitmap(replace(total, double=False))
    expected = half.resize((2 * half.width, 2 * half.height), Image.Resampling.NEAREST)
    found = [y for y in range(paper.height - expected.height)
             if paper.crop((0, y, 512, y + expected.height)).tobytes() == expected.tobytes()]
    assert found, "the total row is not on the decoded paper dot for dot"
    word = printer.renderer.painter.word_bitmap(Row("ლობიანი"), "ლობიანი", 7 * 12 + 8, 8 * 12)
    found = [(x, y) for y in range(paper.height - 24) for x in (0,)
             if paper.crop((x, y, x + word.width, y + 24)).tobytes() == word.tobytes()]
    assert found, "the word ლობიანი is not on the decoded paper dot for dot"


@pytest.mark.parametrize(("word", "look_alike"), [("სულ", "სუღ"), ("ლ", "ღ"), ("ლელა", "ღეღა")])
def test_l_and_gh_stay_apart_in_a_word_printed_in_its_own_cells(word: str, look_alike: str) -> None:
    painter = PRINTER_80MM
    a = painter.word_bitmap(Row(word), word, 12 * len(word) + 8, 12 * len(word) + 12)  # its cells and 2/3 of the next
    b = painter.word_bitmap(Row(look_alike), look_alike, 12 * len(look_alike) + 8, 12 * len(word) + 12)
    assert differing_dots(a, b) > 40 * word.count("ლ")


def test_pictures_of_words_make_a_georgian_receipt_less_than_half_of_what_whole_raster_rows_take() -> None:
    """Whole raster rows: the profiles without column images (benchmarks/receipt_bytes_bench.py)."""
    inline = EscposReceiptPrinter("dummy").receipt_bytes(world_receipt("ka"))
    rows = EscposReceiptPrinter("dummy", profile="TM-T88V")
    rows.renderer.inline_pictures = False
    whole_rows = rows.receipt_bytes(world_receipt("ka"))
    assert len(inline) < 0.5 * len(whole_rows)
    commands, _ = scan(whole_rows)
    images = [c for c in commands if c.name == "raster image"]
    full_width = sum(8 + 64 * (c.args[2] + 256 * c.args[3]) for c in images)
    sent = sum(8 + (c.args[0] + 256 * c.args[1]) * (c.args[2] + 256 * c.args[3]) for c in images)
    assert sent < 0.9 * full_width  # raster rows are cut short after their last dot
