"""Receipts reach real (loopback) printers as ESC/POS bytes, and failures are explained."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from hardware.errors import DeviceError, PrinterFailed, PrinterNotConfigured, PrinterOffline, PrinterOutOfPaper
from hardware.escpos_printer import EscposReceiptPrinter
from hardware.loopback_printer import LoopbackPrinter
from hardware.printer_config import parse_printer
from hardware.transports import NetworkTransport
from pos.errors import DeviceProblem
from pos.printing import ReceiptSpooler
from pos.receipt import Receipt
from tests.fakes import MemoryJournal, make_till
from tests.hardware.samples import UKRAINIAN_STORE, said, sample_receipt

INIT = b"\x1b@"
CUT = b"\x1dV"
RASTER = b"\x1dv0"
CODE_PAGE = b"\x1bt"
BIT_IMAGE = b"\x1b*\x21"  # ESC * 33: 24-dot column image within a line


def in_a_cyrillic_code_page(text: str, data: bytes) -> bool:
    return any(text.encode(page) in data for page in ("cp855", "cp866", "cp1251"))


def test_a_receipt_reaches_a_network_printer_as_escpos_bytes(loopback: LoopbackPrinter, receipt: Receipt) -> None:
    EscposReceiptPrinter(loopback.setting).print_receipt(receipt)
    data = loopback.wait_for(lambda d: CUT in d)
    assert data.startswith(INIT)
    assert "Шампунь".encode("cp866") in data  # CP866 selected with ESC t 17 before it
    assert CODE_PAGE + bytes([17]) in data
    assert b"470,85 UAH" in data and in_a_cyrillic_code_page(said("TOTAL"), data)
    assert data.endswith(CUT + b"\x00") or data.endswith(CUT + b"\x01")  # full or partial cut


def test_georgian_words_are_printed_as_pictures_in_their_cells_within_the_line(loopback: LoopbackPrinter) -> None:
    EscposReceiptPrinter(loopback.setting).print_receipt(sample_receipt(("1004",)))
    data = loopback.wait_for(lambda d: CUT in d)
    assert data.count(RASTER) == 0 and data.count(BIT_IMAGE) == 3  # the name's three words; the price row is text
    for word in ("ხაჭაპური", "იმერული", "ყველით"):  # 12 dots a cell, like the printer's font A, and the space after
        assert BIT_IMAGE + bytes([12 * (len(word) + 1), 0]) in data
    assert "ხ".encode("utf-8") not in data


def test_a_printer_without_column_images_gets_georgian_rows_as_raster_images() -> None:
    printer = EscposReceiptPrinter("dummy", profile="POS-5890", paper=58, width=32)
    printer.print_receipt(sample_receipt(("1004",)))
    assert printer.output.count(BIT_IMAGE) == 0 and printer.output.count(RASTER) == 2  # the name; the receipt code
    header = printer.output[printer.output.index(RASTER) + 4 :]
    assert 8 < (header[0] + 256 * header[1]) * 8 <= 384  # cut short after the last dot


def test_ukrainian_and_most_azerbaijani_letters_are_text_but_schwa_is_an_image() -> None:
    printer = EscposReceiptPrinter("dummy")
    assert printer.renderer.printable("Вітаміни Ґанок Їжак Єнот")
    assert printer.renderer.printable("Şirniyyat ğ ç ö ü ı İ")
    assert not printer.renderer.printable("Şəki halvası")
    assert not printer.renderer.printable("Ціна 5 ₴")


def test_every_row_of_an_azerbaijani_receipt_is_either_encoded_or_drawn() -> None:
    printer = EscposReceiptPrinter("dummy")
    printer.print_receipt(sample_receipt(("1005", "1001")))
    assert printer.output.count(BIT_IMAGE) == 1  # the word with ə; the shampoo is CP866 text
    assert printer.output.count(RASTER) == 0


def test_a_printer_that_is_off_raises_a_clear_device_error_quickly(receipt: Receipt) -> None:
    with LoopbackPrinter() as loopback:
        printer = EscposReceiptPrinter(loopback.setting, timeout=2)
        loopback.switch_off()
        started = time.monotonic()
        with pytest.raises(PrinterOffline) as error:
            printer.print_receipt(receipt)
    assert time.monotonic() - started < 2
    assert isinstance(error.value, DeviceProblem)
    assert f"127.0.0.1:{loopback.port}" in str(error.value) and "switched on" in str(error.value)


def test_a_printer_switched_on_again_prints_the_next_receipt(receipt: Receipt) -> None:
    with LoopbackPrinter() as loopback:
        printer = EscposReceiptPrinter(loopback.setting)
        loopback.switch_off()
        with pytest.raises(PrinterOffline):
            printer.print_receipt(receipt)
        loopback.switch_on()
        printer.print_receipt(receipt)
        assert CUT in loopback.wait_for(lambda d: CUT in d)


def test_a_jammed_printer_times_out_instead_of_hanging(loopback: LoopbackPrinter) -> None:
    loopback.stall()
    transport = NetworkTransport(parse_printer(loopback.setting, timeout=0.5))
    started = time.monotonic()
    with pytest.raises(PrinterFailed, match="no answer within 0.5 s"):
        transport.send(b"\x00" * 64_000_000)
    assert time.monotonic() - started < 10
    loopback.resume()


def test_a_printer_that_does_not_accept_connections_times_out() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    try:
        for _ in range(8):  # fill the accept queue: further connects get no answer at all
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.1)
        started = time.monotonic()
        with pytest.raises(PrinterOffline, match="no answer within 0.5 s"):
            EscposReceiptPrinter(f"network:127.0.0.1:{port}", timeout=0.5).print_receipt(sample_receipt())
        assert time.monotonic() - started < 3
    finally:
        for filler in fillers:
            filler.close()
        server.close()


def test_a_printer_out_of_paper_says_so(receipt: Receipt) -> None:
    with LoopbackPrinter(paper="out") as loopback:
        with pytest.raises(PrinterOutOfPaper, match="out of paper"):
            EscposReceiptPrinter(loopback.setting, check_paper=True).print_receipt(receipt)
        loopback.paper = "ok"
        EscposReceiptPrinter(loopback.setting, check_paper=True).print_receipt(receipt)
        assert CUT in loopback.wait_for(lambda d: CUT in d)


def test_a_file_printer_appends_bytes(tmp_path: Path, receipt: Receipt) -> None:
    target = tmp_path / "lp0"
    target.write_bytes(b"EARLIER")
    printer = EscposReceiptPrinter(f"file:{target}")
    printer.print_receipt(receipt)
    printer.print_receipt(receipt)
    data = target.read_bytes()
    assert data.startswith(b"EARLIER" + INIT)
    assert data.count(INIT) == 2 and data.count(b"470,85 UAH") == 2


def test_a_missing_device_file_is_a_device_error(tmp_path: Path, receipt: Receipt) -> None:
    with pytest.raises(PrinterOffline, match="no such device"):
        EscposReceiptPrinter(f"file:{tmp_path}/absent/lp0").print_receipt(receipt)


def test_a_dummy_printer_keeps_the_bytes_and_none_discards_them(receipt: Receipt) -> None:
    dummy = EscposReceiptPrinter("dummy")
    dummy.print_receipt(receipt)
    assert dummy.output.startswith(INIT) and CUT in dummy.output
    EscposReceiptPrinter("none").print_receipt(receipt)  # accepted, nothing happens
    with pytest.raises(AttributeError):
        EscposReceiptPrinter("none").output


def test_usb_and_serial_without_their_drivers_are_explained(receipt: Receipt) -> None:
    for setting in ("usb:04b8:0202", "serial:/dev/ttyUSB0:19200"):
        with pytest.raises(DeviceError) as error:
            EscposReceiptPrinter(setting).print_receipt(receipt)
        assert setting.split(":")[0] in str(error.value)


def test_the_spooler_keeps_a_receipt_queued_while_the_printer_is_off_and_prints_it_later() -> None:
    journal = MemoryJournal()
    till = make_till(journal)
    till.sign_in("1", "1234")
    till.scan("1001")
    till.pay_cash("100")
    with LoopbackPrinter() as loopback:
        spooler = ReceiptSpooler(journal, journal, EscposReceiptPrinter(loopback.setting), UKRAINIAN_STORE)
        loopback.switch_off()
        status = spooler.print_pending()
        assert status.printed == 0 and status.waiting == 1 and isinstance(status.problem, PrinterOffline)
        loopback.switch_on()
        assert spooler.print_pending().printed == 1
        assert "Шампунь".encode("cp866") in loopback.wait_for(lambda d: CUT in d)
    assert journal.pending_jobs() == []


def test_a_profile_name_that_does_not_exist_is_refused_up_front() -> None:
    with pytest.raises(PrinterNotConfigured, match="TM-T88V"):
        EscposReceiptPrinter("dummy", profile="TM-NOPE")
