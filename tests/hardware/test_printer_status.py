"""Real-time printer status (DLE EOT 1-4): the bytes as the Epson reference gives them, and
the loopback printer answering them before and after a receipt."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.errors import (
    PrinterCoverOpen, PrinterError, PrinterOfflineStatus, PrinterOutOfPaper, PrinterPaperLow,
)
from hardware.escpos_printer import EscposReceiptPrinter
from hardware.loopback_printer import LoopbackPrinter
from hardware.printer_status import STATUS_QUERY, PrinterStatus, decode, encode
from pos.receipt import Receipt
from tests.hardware.escpos_decoder import decode as decode_receipt
from tests.hardware.escpos_decoder import receipts_in

READY = bytes([0x12, 0x12, 0x12, 0x12])
EXAMPLES = 5000 if os.environ.get("KASSA_SOAK") else 200


def test_the_reference_bytes_decode_to_what_the_printer_means() -> None:
    assert decode(READY) == PrinterStatus(known=True)
    assert decode(READY).problem("p") is None and decode(READY).words() == "ready"
    assert decode(bytes([0x12, 0x12, 0x12, 0x1E])).paper_low  # bits 2-3: near end
    out = decode(bytes([0x1A, 0x32, 0x12, 0x7E]))  # offline, stopped by paper end, roll end
    assert out.paper_out and isinstance(out.problem("p"), PrinterOutOfPaper)
    cover = decode(bytes([0x1A, 0x16, 0x12, 0x12]))
    assert cover.cover_open and isinstance(cover.problem("p"), PrinterCoverOpen)
    cutter = decode(bytes([0x1A, 0x52, 0x16, 0x12]))
    assert isinstance(cutter.problem("p"), PrinterError) and "cutter" in cutter.problem("p").user_message()
    assert isinstance(decode(bytes([0x1A, 0x12, 0x12, 0x12])).problem("p"), PrinterOfflineStatus)
    drawer = decode(bytes([0x16, 0x12, 0x12, 0x12]))
    assert drawer.drawer_open and drawer.problem("p") is None and "drawer open" in drawer.words()


@pytest.mark.parametrize("answers", [b"", b"\x12\x12", b"\x00\x12\x12\x12", b"\xff\xff\xff\xff", b"OK\r\n"])
def test_no_answer_or_bytes_that_are_not_status_are_an_unknown_status_that_prints_anyway(answers: bytes) -> None:
    status = decode(answers)
    assert not status.known and status.problem("p") is None and status.warning("p") is None


FLAGS = st.builds(
    PrinterStatus, known=st.just(True), offline=st.booleans(), drawer_open=st.booleans(), cover_open=st.booleans(),
    paper_out=st.booleans(), paper_low=st.booleans(), cutter_error=st.booleans(),
    unrecoverable_error=st.booleans(), recoverable_error=st.booleans(),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(status=FLAGS)
def test_what_a_printer_encodes_decodes_to_the_same_problems(status: PrinterStatus) -> None:
    back = decode(encode(status))
    assert (back.paper_out, back.cover_open, back.drawer_open, back.cutter_error) == (
        status.paper_out, status.cover_open, status.drawer_open, status.cutter_error)
    assert back.paper_low == (status.paper_low or status.paper_out)
    assert (back.problem("p") is None) == (status.problem("p") is None and not (status.paper_out or status.cover_open))


@settings(max_examples=EXAMPLES, deadline=None)
@given(answers=st.binary(min_size=0, max_size=8))
def test_any_answer_decodes_without_failing(answers: bytes) -> None:
    status = decode(answers)
    assert status.words()
    status.problem("p")


def test_a_printer_with_its_cover_open_gets_no_receipt_and_says_what_to_do(loopback: LoopbackPrinter,
                                                                             receipt: Receipt) -> None:
    loopback.cover_open = True
    printer = EscposReceiptPrinter(loopback.setting, status=True)
    with pytest.raises(PrinterCoverOpen, match="cover is open") as raised:
        printer.print_receipt(receipt)
    assert not raised.value.interrupted
    assert loopback.received() == STATUS_QUERY  # asked, and nothing printed
    loopback.cover_open = False
    printer.print_receipt(receipt)
    printed = receipts_in(loopback.wait_for(lambda d: b"\x1dV" in d))
    assert len(printed) == 1 and not any("КОПІЯ" in t for t in decode_receipt(printed[0]).texts)


def test_paper_running_low_prints_the_receipt_and_warns(loopback: LoopbackPrinter, receipt: Receipt) -> None:
    loopback.paper = "low"
    printer = EscposReceiptPrinter(loopback.setting, status=True)
    printer.print_receipt(receipt)
    assert isinstance(printer.warning, PrinterPaperLow)
    assert printer.status_after().paper_low and printer.status_after().words() == "paper low"
    loopback.paper = "ok"
    printer.print_receipt(receipt)
    assert printer.warning is None


def test_a_printer_that_never_answers_status_is_printed_to_and_not_asked_again(loopback: LoopbackPrinter,
                                                                                receipt: Receipt) -> None:
    loopback.silent = True
    printer = EscposReceiptPrinter(loopback.setting, status=True, timeout=0.5)  # it waits this long for an answer
    printer.print_receipt(receipt)
    loopback.wait_for(lambda d: b"\x1dV" in d)
    assert not printer.status_after().known
    loopback.clear()
    printer.print_receipt(receipt)
    data = loopback.wait_for(lambda d: b"\x1dV" in d)
    assert not data.startswith(STATUS_QUERY)  # not asked again: it cost a second a receipt


def test_the_status_query_split_across_packets_is_still_answered() -> None:
    with LoopbackPrinter() as loopback:
        loopback.state = replace(loopback.state, cover_open=True)
        import socket

        with socket.create_connection(("127.0.0.1", loopback.port), timeout=5) as connection:
            for byte in STATUS_QUERY:
                connection.sendall(bytes([byte]))
            answers = b""
            while len(answers) < 4:
                answers += connection.recv(4)
        assert decode(answers).cover_open


def test_a_printer_that_answered_before_is_asked_again_after_one_silence(loopback: LoopbackPrinter,
                                                                          receipt: Receipt) -> None:
    import hardware.transports

    printer = EscposReceiptPrinter(loopback.setting, status=True, timeout=0.5)
    printer.print_receipt(receipt)
    assert printer.status_after().known
    loopback.silent = True
    hardware.transports.STATUS_WAIT = 0.2  # restored by the autouse fixture
    printer.print_receipt(receipt)  # no answer before it: printed anyway
    loopback.silent = False
    loopback.paper = "out"
    with pytest.raises(PrinterOutOfPaper):
        printer.print_receipt(receipt)  # asked again, and heard
