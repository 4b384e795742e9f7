"""The test page ``kassa printer test`` prints: what the till thinks the printer is (profile,
paper, characters a line, code pages, cutter), a ruler to check nothing wraps, and a line in
each of the chain's scripts, so IT sees at the counter which go as text and which as
pictures.  Plain English for IT; the sample words are the shops' own languages."""

from __future__ import annotations

import textwrap
from datetime import datetime

from hardware.printer_profiles import SCRIPTS, PrinterProfile
from pos.receipt_layout import ReceiptDocument, Row

SAMPLES = {
    "English": "Herbal shampoo 250 ml",
    "Ukrainian": "Шампунь, Ґанок, Їжак, Єнот",
    "Azerbaijani": "Şəki halvası, çay, ağ pendir",
    "Georgian": "ხაჭაპური იმერული ყველით",
}


def test_page(profile: PrinterProfile, address: str, store_name: str, now: datetime,
              how: dict[str, str] | None = None) -> ReceiptDocument:
    """``how``: for each script, "text" or "picture" as the renderer will send it."""
    width = profile.width
    ruler = "".join(str(i % 10) for i in range(1, width + 1))
    rows = [
        Row("KASSA TEST PAGE"[: width // 2], "center", bold=True, double=True),
        Row(store_name[:width], "center"),
        Row(now.strftime("%Y-%m-%d %H:%M")[:width], "center"),
        Row("", kind="rule"),
        *(Row(part) for line in [address, *profile.lines()] for part in textwrap.wrap(line, width, break_on_hyphens=False)),
        Row("", kind="rule"),
        Row(ruler),
        Row(f"{width} characters: the line above is one line"[:width]),
        Row("", kind="rule"),
    ]
    for script in SCRIPTS:
        label = f"{script}: {(how or {}).get(script, '')}".rstrip(": ")
        rows += [Row(label[:width], bold=True), Row(SAMPLES[script][:width])]
    rows += [Row("", kind="rule"), Row("Bold, double:"[:width]), Row("Kassa 123,45"[: width // 2], double=True)]
    return ReceiptDocument(tuple(rows), width)
