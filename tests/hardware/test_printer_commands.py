"""No text on a receipt can reach the printer as a command: a drawer kick (ESC p), a cut
(GS V), a status query (DLE EOT), a kanji switch (FS) or a C1 control planted in a product
name, a cashier name or the store footer is printed as harmless text, even in rows that
never went through the receipt layout.  An independent ESC/POS reader
(``tests/hardware/escpos_scanner.py``) walks every byte the renderer sends."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardware.escpos_printer import EscposReceiptPrinter, EscposRenderer
from hardware.loopback_printer import LoopbackPrinter
from hardware.printer_config import parse_printer
from hardware.printer_text import printer_safe
from hardware.receipt_image import RowPainter
from pos.receipt import Receipt
from pos.receipt_layout import ReceiptDocument, Row
from tests.hardware.escpos_scanner import UnexpectedBytes, scan
from tests.hardware.samples import UKRAINIAN_STORE, sample_receipt

SOAK = bool(os.environ.get("KASSA_SOAK"))
EXAMPLES = 3000 if SOAK else 60

DRAWER_KICK = "\x1bp\x00\x19\xfa"  # ESC p 0 25 250: opens the cash drawer
PLANTED = {
    "drawer kick": DRAWER_KICK,
    "second drawer": "\x1bp\x01\x32\x32",
    "cut": "\x1dV\x00",
    "partial cut": "\x1dVA\x10",
    "status query": "\x10\x04\x01",
    "real-time drawer pulse": "\x10\x14\x01\x00\x05",
    "kanji mode": "\x1c&",
    "kanji print mode": "\x1c!\xff",
    "reset": "\x1b@",
    "code page switch": "\x1bt\x10",
    "upside down": "\x1b{\x01",
    "C1 CSI and NEL": "\x9b2J\x85",
    "bell, carriage return, form feed, null, DEL": "\x07\r\x0c\x00\x7f",
    "line feed in the middle": "one\ntwo",
}


def planted_rows(attack: str) -> tuple[Row, ...]:
    """Rows such as a layout that forgot to clean would make: the store's name and footer,
    the cashier, and product names in Latin, Cyrillic (code page text) and Georgian (image)."""
    return (
        Row(f"Kassa {attack}", "center", bold=True, double=True),
        Row(f"Cashier: Olena{attack}   Till: T01"),
        Row(f"Shampoo {attack} 500 ml"),
        Row(f"   1 x 42,00{attack}    42,00 A", "right"),
        Row(f"Шампунь {attack} Ґ"),
        Row(f"ხაჭაპური {attack}"),
        Row(f"{attack}", "right", bold=True),
        Row("-" * 42, kind="rule"),
        Row("", kind="blank"),
        Row(f"Дякуємо{attack}за покупку!", "center"),
    )


def render(rows: tuple[Row, ...], profile: str = "TM-T88V") -> bytes:
    return EscposRenderer(parse_printer("dummy", profile=profile)).render(ReceiptDocument(rows, 42))


def test_the_reader_sees_only_the_renderers_commands_in_a_normal_receipt() -> None:
    data = EscposReceiptPrinter("dummy").receipt_bytes(sample_receipt(is_copy=True))
    commands, text = scan(data)
    names = [c.name for c in commands]
    assert names[0] == "initialise" and names[-1] == "cut"
    assert {"code page", "align", "bold", "print mode", "bit image"} <= set(names)
    assert b"Herbal 250" in text


def test_the_reader_catches_a_drawer_kick_and_any_other_stray_control_byte() -> None:
    clean = render((Row("Shampoo"),))
    for stray in (DRAWER_KICK.encode("latin-1"), b"\x1dV\x00", b"\x10\x04\x01", b"\x1c&", b"\x07", b"\x7f", b"\x00",
                  b"\x1b@", b"\x1bd\x09"):
        at = clean.index(b"Shampoo")
        with pytest.raises(UnexpectedBytes):
            scan(clean[:at] + stray + clean[at:])


@pytest.mark.parametrize("what", list(PLANTED))
@pytest.mark.parametrize("profile", ["TM-T88V", "default", "POS-5890"])
def test_a_printer_command_planted_in_receipt_text_is_printed_as_text(what: str, profile: str) -> None:
    data = render(planted_rows(PLANTED[what]), profile)
    commands, text = scan(data)  # raises on any command the renderer did not send itself
    assert [c.name for c in commands].count("initialise") == 1
    assert [c.name for c in commands].count("cut") <= 1
    pictures = [c.name for c in commands if c.name in ("bit image", "raster image")]
    assert pictures == (["raster image"] if profile == "POS-5890" else ["bit image"])  # the Georgian word or row only
    assert b"Shampoo " in text


def test_a_planted_drawer_kick_reaches_a_network_printer_as_text(loopback: LoopbackPrinter) -> None:
    printer = EscposReceiptPrinter(loopback.setting)
    planted = printer.renderer.render(ReceiptDocument(planted_rows(DRAWER_KICK), 42))
    printer.transport.send(planted)
    loopback.wait_for(len(planted), timeout=60)  # each connection is read by its own thread: one at a time
    normal = sample_receipt(("1001",))
    printer.print_receipt(normal)  # and the next receipt prints as usual
    expected = len(planted) + len(printer.receipt_bytes(normal))
    received = loopback.wait_for(lambda d: len(d) >= expected, timeout=60)
    assert received[: len(planted)] == planted
    scan(received[: len(planted)])
    scan(received[len(planted) :])


def test_the_cleaned_text_keeps_the_rows_width_and_the_printable_letters() -> None:
    assert printer_safe("Olena\x1bp\x00\x19\xfa") == "Olena p  \xfa"
    assert printer_safe("Şəki\u0085halvası\u200b") == "Şəki halvası "
    assert printer_safe("ხაჭაპური") == "ხაჭაპური"
    for attack in PLANTED.values():
        cleaned = printer_safe(attack)
        assert len(cleaned) == len(attack)
        assert all(ch == " " or ch.isprintable() for ch in cleaned)


def test_a_row_drawn_as_an_image_draws_control_characters_as_spaces() -> None:
    painter = RowPainter(42, 512)
    planted = painter.bitmap(Row("ხაჭაპური\n\x1bp\x00\x19\ud800ყველით", "center"))
    plain = painter.bitmap(Row("ხაჭაპური  p   ყველით", "center"))
    assert planted.tobytes() == plain.tobytes()


# -- fuzzing: any text in any field of any row ------------------------------------------------

CONTROLS = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.characters(min_codepoint=0x7F, max_codepoint=0x9F)
ESCPOS_WORDS = st.sampled_from(list(PLANTED.values()) + ["\x1b", "\x1d", "\x10", "\x1c", "p", "V", "@"])
NASTY_TEXT = st.lists(
    st.one_of(
        CONTROLS,
        ESCPOS_WORDS,
        st.text(max_size=6),  # any Unicode, surrogates and unassigned code points included
        st.sampled_from(["Шампунь", "ხაჭაპური", "Şəki", "₴", "中文", "\u00a0", "\u2028", "\ufeff"]),
    ),
    max_size=12,
).map("".join)

ROWS = st.builds(
    Row,
    text=NASTY_TEXT,
    align=st.sampled_from(["left", "center", "right"]),
    bold=st.booleans(),
    double=st.booleans(),
    kind=st.sampled_from(["text", "text", "text", "rule", "blank"]),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROWS, min_size=1, max_size=8))
def test_no_text_in_any_row_becomes_a_printer_command(rows: list[Row]) -> None:
    rows = [replace(row, text=row.text[: 21 if row.double else 42]) for row in rows]
    commands, _text = scan(render(tuple(rows)))
    names = [c.name for c in commands]
    assert names.count("initialise") == 1 and names[0] == "initialise" and names[-2:] == ["feed lines", "cut"]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    store_name=NASTY_TEXT, address=NASTY_TEXT, footer=NASTY_TEXT, till=NASTY_TEXT,
    cashier=NASTY_TEXT, names=st.lists(NASTY_TEXT, min_size=5, max_size=5), vat=NASTY_TEXT,
)
def test_no_text_in_any_receipt_field_becomes_a_printer_command(
    store_name: str, address: str, footer: str, till: str, cashier: str, names: list[str], vat: str
) -> None:
    receipt = _SAMPLE
    store = replace(UKRAINIAN_STORE, name=store_name, address=address, footer=footer, till_id=till, tax_id=vat)
    lines = tuple(replace(line, name=name, vat_code=vat) for line, name in zip(receipt.lines, names, strict=False))
    fuzzed: Receipt = replace(receipt, store=store, cashier_name=cashier, lines=lines)
    commands, _text = scan(_PRINTER.receipt_bytes(fuzzed))
    assert [c.name for c in commands].count("initialise") == 1


_SAMPLE = sample_receipt(("1001", "1002", "1003", "1004", "1005"))
_PRINTER = EscposReceiptPrinter("dummy")
