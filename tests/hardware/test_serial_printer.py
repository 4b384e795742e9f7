"""A serial receipt printer (pyserial on a pseudo-terminal): asked its status before and
after a receipt like a network one; unplugged, it leaves the receipt queued; plugged in
again behind the same device name, it prints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.errors import PrinterCoverOpen, PrinterOffline
from hardware.escpos_printer import EscposReceiptPrinter
from hardware.printer_status import STATUS_QUERY
from pos.receipt import Receipt
from tests.hardware.escpos_decoder import decode, receipts_in
from tests.hardware.pty_printer import PtyPrinter

CUT = b"\x1dV"


@pytest.fixture
def serial_printer(tmp_path: Path) -> Iterator[PtyPrinter]:
    printer = PtyPrinter(tmp_path / "ttyPRINTER").plug_in()
    yield printer
    printer.unplug()


def test_a_serial_printer_is_asked_its_status_around_the_receipt(serial_printer: PtyPrinter, receipt: Receipt) -> None:
    printer = EscposReceiptPrinter(serial_printer.setting, status=True)
    printer.print_receipt(receipt)
    data = serial_printer.wait_for(CUT + b"\x00" + STATUS_QUERY)
    assert data.startswith(STATUS_QUERY) and printer.status_after().words() == "ready"
    [printed] = receipts_in(data)
    assert any("Шампунь" in text for text in decode(printed).texts)
    assert printer.query_status().words() == "ready"


def test_a_serial_printer_with_its_cover_open_gets_nothing(serial_printer: PtyPrinter, receipt: Receipt) -> None:
    serial_printer.cover(True)
    printer = EscposReceiptPrinter(serial_printer.setting, status=True)
    with pytest.raises(PrinterCoverOpen):
        printer.print_receipt(receipt)
    assert CUT not in serial_printer.received()
    assert printer.query_status().cover_open


def test_an_unplugged_serial_printer_leaves_the_receipt_queued_and_prints_when_plugged_in(
    serial_printer: PtyPrinter, receipt: Receipt
) -> None:
    printer = EscposReceiptPrinter(serial_printer.setting, status=True, timeout=2)
    serial_printer.unplug()
    with pytest.raises(PrinterOffline, match="does not answer"):
        printer.print_receipt(receipt)
    serial_printer.plug_in()
    printer.print_receipt(receipt)
    assert CUT in serial_printer.wait_for(CUT)
