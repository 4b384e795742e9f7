"""Every receipt layout's ESC/POS bytes, read back by the test decoder (tests.hardware.
escpos_decoder, independent of python-escpos), say what the layout says: the same lines in
the same order, each as text in the right code page with its alignment, bold and size, or
as a picture where no code page has its letters; one reset first, a cut (or a feed where
the printer has no cutter) last.  Planted printer commands in the data come out as text."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from hardware.escpos_printer import EscposReceiptPrinter
from hardware.printer_text import printer_safe
from hardware.receipt_image import word_spans
from pos.receipt import Receipt
from pos.receipt_layout import layout_receipt
from tests.hardware.escpos_decoder import STATUS_QUERY, EPSON_CODE_PAGES, Decoded, decode, drawer_kicks, receipts_in
from tests.hardware.escpos_scanner import UnexpectedBytes
from tests.hardware.samples import UKRAINIAN_STORE, sample_receipt
from tests.hardware.world_receipts import LANGUAGES, world_receipt

PAPERS = {80: 42, 58: 32}
NBSP = "\u00a0"
OBJECT = "\ufffc"  # the decoder's mark for a character cell covered by a picture


def check_against_layout(printer: EscposReceiptPrinter, receipt: Receipt, decoded: Decoded) -> None:
    rows = layout_receipt(receipt, printer.spec.width).rows
    inline = printer.renderer.inline_pictures
    lines = [line for line in decoded.lines]
    if printer.renderer.logo is not None:
        assert lines[0].picture is not None and lines[0].align == "center"
        lines = lines[1:]
    assert len(lines) == len(rows)
    for row, line in zip(rows, lines, strict=True):
        text = printer_safe(row.text)
        if row.kind == "qr":  # the receipt code: drawn by the printer, or a picture where it cannot
            if printer.renderer.code_mode == "native":
                assert line.code == row.text and line.align == "center"
            else:
                assert line.picture is not None and line.picture[0] == line.picture[1]
        elif row.kind == "text" and not printer.renderer.printable(text) and (row.double or not inline):
            assert line.picture is not None, row
            assert line.picture[1] == printer.renderer.painter.height(row)
            assert line.picture[0] <= printer.renderer.dot_width
        elif row.kind == "text" and not printer.renderer.printable(text):  # pictures of words within the text
            # each word no code page has is pictured in its cells, and maybe the space after it
            pattern, column = [], 0
            for start, word in word_spans(text):
                if not printer.renderer.printable(word):
                    pattern += [re.escape(text[column:start]), f"{OBJECT}{{{len(word)}}}[{OBJECT} ]?"]
                    column = start + len(word) + (1 if text[start + len(word) : start + len(word) + 1] == " " else 0)
            rest = text[column:].rstrip() if row.align == "left" else text[column:]
            assert re.fullmatch("".join(pattern) + re.escape(rest) + f"{OBJECT}?", line.text), row
            assert all(width % 12 == 0 for _column, width in line.inline)
            assert (line.align, line.bold, line.double) == (row.align, row.bold, row.double)
        else:
            assert line.picture is None
            assert line.text.replace(NBSP, " ") == text.replace(NBSP, " ")
            assert (line.align, line.bold, line.double) == (row.align, row.bold, row.double)


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("is_copy", [False, True])
def test_every_layout_reads_back_to_its_rows_in_every_script_and_paper(language: str, paper: int, is_copy: bool) -> None:
    printer = EscposReceiptPrinter("dummy", paper=paper, width=PAPERS[paper])
    receipt = world_receipt(language, is_copy=is_copy)
    decoded = decode(printer.receipt_bytes(receipt))
    check_against_layout(printer, receipt, decoded)
    names = [c.name for c in decoded.commands]
    assert names[0] == "initialise" and names.count("initialise") == 1
    assert names[-2:] == ["feed lines", "cut"]
    assert all(p.picture and p.picture[0] <= {80: 512, 58: 384}[paper] for p in decoded.pictures)


def test_ukrainian_reads_back_through_a_cyrillic_code_page_and_english_through_none() -> None:
    uk = decode(EscposReceiptPrinter("dummy").receipt_bytes(world_receipt("uk")))
    assert uk.code_pages & {"cp866", "cp1251", "cp855"} and not uk.pictures
    assert any("Шампунь Herbal 250 мл" in text for text in uk.texts)
    en = decode(EscposReceiptPrinter("dummy").receipt_bytes(world_receipt("en")))
    assert not en.pictures and any("Herbal shampoo 250 ml" in text for text in en.texts)


def test_azerbaijani_letters_read_back_through_cp857_and_only_rows_with_schwa_are_pictures() -> None:
    printer = EscposReceiptPrinter("dummy")
    receipt = world_receipt("az")
    decoded = decode(printer.receipt_bytes(receipt))
    assert "cp857" in decoded.code_pages or "cp1254" in decoded.code_pages
    assert any("Ağ pendir" in text for text in decoded.texts)
    rows = [r for r in layout_receipt(receipt, 42).rows if r.kind == "text"]
    with_schwa = sum("ə" in r.text or "Ə" in r.text for r in rows)
    assert len(decoded.pictures) + len(decoded.with_inline_pictures) == with_schwa
    assert sum(len(line.inline) for line in decoded.with_inline_pictures) == sum(
        sum(("ə" in w or "Ə" in w) for _s, w in word_spans(r.text)) for r in rows if not r.double)


def test_the_decoders_code_pages_are_the_printer_profiles_own() -> None:
    from escpos.printer import Dummy

    profile = Dummy(profile="TM-T88V").profile.profile_data["codePages"]
    for number, codec in EPSON_CODE_PAGES.items():
        if str(number) in profile and codec not in ("cp1125", "kz1048"):
            assert profile[str(number)].lower().replace("_", "-").replace("iso-", "iso") == codec


def test_a_printer_without_a_cutter_feeds_the_receipt_out_instead_of_cutting() -> None:
    printer = EscposReceiptPrinter("dummy", profile="POS-5890", paper=58, width=32)
    decoded = decode(printer.receipt_bytes(world_receipt("uk")))
    assert not decoded.cut and decoded.commands[-1].name == "feed lines"
    told_not_to = EscposReceiptPrinter("dummy", cutter=False)
    assert not decode(told_not_to.receipt_bytes(world_receipt("en"))).cut


def test_receipts_with_drawer_kicks_and_status_queries_between_them_each_read_back_and_the_kicks_are_counted() -> None:
    printer = EscposReceiptPrinter("dummy")
    first, second = printer.receipt_bytes(world_receipt("en")), printer.receipt_bytes(world_receipt("uk"))
    kick, other_pin = printer.drawer_bytes(2), printer.drawer_bytes(5)
    received = kick + first + STATUS_QUERY + other_pin + kick + second + kick + STATUS_QUERY
    assert receipts_in(received) == [first, second]
    assert [decode(r).texts for r in receipts_in(received)] == [decode(first).texts, decode(second).texts]
    assert drawer_kicks(received) == 4
    assert drawer_kicks(first + second) == 0


def test_a_drawer_kick_inside_a_receipt_is_not_taken_off_and_fails_the_reading() -> None:
    printer = EscposReceiptPrinter("dummy")
    receipt = printer.receipt_bytes(world_receipt("en"))
    planted = receipt[:40] + printer.drawer_bytes(2) + receipt[40:]
    assert receipts_in(planted) == [planted] and drawer_kicks(planted) == 0
    with pytest.raises(UnexpectedBytes):
        decode(planted)


def test_a_logo_is_printed_first_centred_and_never_wider_than_the_paper(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("L", (1200, 300), 0).save(logo)
    printer = EscposReceiptPrinter("dummy", paper=58, width=32, logo=str(logo))
    receipt = world_receipt("en")
    decoded = decode(printer.receipt_bytes(receipt))
    check_against_layout(printer, receipt, decoded)
    assert decoded.lines[0].picture is not None and decoded.lines[0].picture[0] <= 384


PLANTS = {
    "drawer kick": "\x1bp\x00\x19\xfa",
    "cut": "\x1dV\x00",
    "status query": "\x10\x04\x01",
    "real-time drawer pulse": "\x10\x14\x01\x00\x05",
    "kanji mode": "\x1c&",
    "reset": "\x1b@",
    "raster header": "\x1dv0\x00\xff\xff\xff\xff",
}


@pytest.mark.parametrize("what", list(PLANTS))
def test_printer_commands_planted_in_product_names_the_store_name_and_the_footer_print_as_text(what: str) -> None:
    attack = PLANTS[what]
    original = sample_receipt(("1001", "1002", "1005"))
    store = replace(UKRAINIAN_STORE, name=f"Крамниця{attack}", footer=f"Дякуємо{attack}!", address=f"вул.{attack}1")
    lines = tuple(replace(line, name=f"{line.name[:10]}{attack}x") for line in original.lines)
    receipt = replace(original, store=store, lines=lines, cashier_name=f"Олена{attack}")
    printer = EscposReceiptPrinter("dummy")
    data = printer.receipt_bytes(receipt)
    decoded = decode(data)  # raises on any command the renderer did not send itself
    check_against_layout(printer, receipt, decoded)
    names = [c.name for c in decoded.commands]
    assert names.count("initialise") == 1 and names.count("cut") == 1
    for control in "\x1b\x1d\x10\x1c":
        assert all(control not in text for text in decoded.texts)
    assert any(text.startswith("Крамниця") for text in decoded.texts)


REALTIME = (b"\x10\x04", b"\x10\x05", b"\x10\x14")  # DLE EOT, DLE ENQ, DLE DC4: obeyed even inside picture dots


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_real_time_command_hides_in_the_dots_of_any_picture(language: str, paper: int) -> None:
    printer = EscposReceiptPrinter("dummy", paper=paper, width=PAPERS[paper])
    for copy in (False, True):
        data = printer.receipt_bytes(world_receipt(language, is_copy=copy))
        assert not any(sequence in data for sequence in REALTIME)


def test_a_picture_whose_dots_spell_a_drawer_pulse_loses_one_dot_instead() -> None:
    from hardware.escpos_printer import column_image, raster

    # a 24-dot column whose bytes are DLE DC4 1 (10 14 01): pulse the drawer, on most printers
    picture = Image.new("1", (8, 24), 1)
    for y, bits in enumerate((0x10, 0x14, 0x01)):
        for bit in range(8):
            if bits & (0x80 >> bit):
                picture.putpixel((0, 8 * y + bit), 0)
    data = column_image(picture)
    assert data.startswith(b"\x1b*\x21\x08\x00") and b"\x10\x14" not in data
    assert data[5:8] == b"\x00\x14\x01"  # the DLE's one dot dropped, the rest of the picture kept
    rows = Image.new("1", (16, 1), 1)
    for x, bits in enumerate((0x10, 0x04)):
        for bit in range(8):
            if bits & (0x80 >> bit):
                rows.putpixel((8 * x + bit, 0), 0)
    assert raster(rows).endswith(b"\x00\x04")
