"""Printer faults with the real parts: the SQLite journal and its print queue, the spooler,
the ESC/POS printer and the loopback network printer.  Unplugged mid-receipt, out of paper
before or during a receipt, jammed, slow: the sale is recorded once, its job stays queued
until a whole receipt is out, a receipt that was cut short prints again marked COPY, and a
reprint works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.errors import PrinterInterrupted, PrinterOffline, PrinterOutOfPaper
from hardware.escpos_printer import EscposReceiptPrinter
from hardware.loopback_printer import LoopbackPrinter
from local_db.database import Database, open_database
from local_db.journal import SqlJournal
from pos.printing import ReceiptSpooler
from pos.sale import Sale
from tests.fakes import STORE
from tests.hardware.escpos_decoder import decode, receipts_in
from tests.hardware.samples import said
from tests.local_db.conftest import TILL_ID, make_sql_till, sell

CUT = b"\x1dV"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "till.sqlite3")
    yield database
    database.close()


def sales_and_jobs(db: Database) -> tuple[int, int, int]:
    """(sales recorded, print jobs waiting, print jobs printed)."""
    with db.reading() as connection:
        sales = connection.exec_driver_sql("SELECT count(*) FROM sales").scalar_one()
        waiting = connection.exec_driver_sql("SELECT count(*) FROM print_jobs WHERE printed_at IS NULL").scalar_one()
        printed = connection.exec_driver_sql("SELECT count(*) FROM print_jobs WHERE printed_at IS NOT NULL").scalar_one()
    return sales, waiting, printed


def one_sale(db: Database, printer: EscposReceiptPrinter) -> tuple[Sale, ReceiptSpooler]:
    journal = SqlJournal(db, TILL_ID)
    sale = sell(make_sql_till(journal), "1001", "2*1002")
    return sale, ReceiptSpooler(journal, journal, printer, STORE)


def printed_receipts(loopback: LoopbackPrinter, count: int) -> list[list[str]]:
    data = loopback.wait_for(lambda d: d.count(CUT) >= count)
    return [decode(receipt).texts for receipt in receipts_in(data)]


def is_copy(texts: list[str]) -> bool:
    copy = said("COPY", STORE)
    return any(copy in text for text in texts)


def test_a_printer_unplugged_mid_receipt_keeps_the_job_and_prints_it_again_marked_copy(db: Database) -> None:
    with LoopbackPrinter() as loopback:
        printer = EscposReceiptPrinter(loopback.setting, status=True, timeout=2)
        sale, spooler = one_sale(db, printer)
        loopback.unplug_after(200)
        status = spooler.print_pending()
        assert isinstance(status.problem, PrinterInterrupted) and status.waiting == 1
        assert "prints again marked COPY" in status.problem.user_message()
        assert sales_and_jobs(db) == (1, 1, 0)
        loopback.clear()
        assert spooler.print_pending().problem is None
        [texts] = printed_receipts(loopback, 1)
        assert is_copy(texts) and any(f"{sale.receipt_number}" in text for text in texts)
        assert sales_and_jobs(db) == (1, 0, 1)
        assert spooler.print_pending().printed == 0  # nothing printed twice


def test_a_printer_out_of_paper_before_the_receipt_prints_the_original_once_paper_is_in(db: Database) -> None:
    with LoopbackPrinter(paper="out") as loopback:
        printer = EscposReceiptPrinter(loopback.setting, status=True)
        _sale, spooler = one_sale(db, printer)
        for _retry in range(3):
            assert isinstance(spooler.print_pending().problem, PrinterOutOfPaper)
        assert CUT not in loopback.received() and sales_and_jobs(db) == (1, 1, 0)
        loopback.paper = "ok"
        assert spooler.print_pending().printed == 1
        [texts] = printed_receipts(loopback, 1)
        assert not is_copy(texts)  # nothing of it was on paper before: it is the original
        assert sales_and_jobs(db) == (1, 0, 1)


def test_paper_running_out_during_a_receipt_keeps_the_job_and_the_next_one_is_a_copy(db: Database) -> None:
    with LoopbackPrinter() as loopback:
        printer = EscposReceiptPrinter(loopback.setting, status=True)
        _sale, spooler = one_sale(db, printer)
        loopback.paper_out_after(100)
        status = spooler.print_pending()
        assert isinstance(status.problem, PrinterOutOfPaper) and status.problem.interrupted
        assert sales_and_jobs(db) == (1, 1, 0)
        loopback.paper = "ok"
        loopback.clear()
        assert spooler.print_pending().printed == 1
        [texts] = printed_receipts(loopback, 1)
        assert is_copy(texts)


def test_a_printer_that_goes_silent_mid_receipt_keeps_the_job_and_the_reprint_works(db: Database) -> None:
    with LoopbackPrinter() as loopback:
        printer = EscposReceiptPrinter(loopback.setting, status=True, timeout=3)
        sale, spooler = one_sale(db, printer)
        sell(make_sql_till(spooler.journal), "1003")  # a second sale queued behind the first
        loopback.go_silent_after(300)
        status = spooler.print_pending()
        assert isinstance(status.problem, PrinterInterrupted) and status.waiting == 2
        assert sales_and_jobs(db) == (2, 2, 0)
        loopback.clear()
        assert spooler.print_pending().printed == 2
        first, second = printed_receipts(loopback, 2)
        assert is_copy(first) and not is_copy(second)  # only the one cut short says COPY
        assert sales_and_jobs(db) == (2, 0, 2)
        loopback.clear()
        spooler.reprint(sale.sale_id)
        assert spooler.print_pending().printed == 1
        [texts] = printed_receipts(loopback, 1)
        assert is_copy(texts)
        assert sales_and_jobs(db) == (2, 0, 3)


def test_a_slow_printer_gets_every_receipt_whole_and_once(db: Database) -> None:
    with LoopbackPrinter() as loopback:
        loopback.bytes_per_second = 20_000
        printer = EscposReceiptPrinter(loopback.setting, status=True)
        _sale, spooler = one_sale(db, printer)
        sell(make_sql_till(spooler.journal), "1003")
        assert spooler.print_pending().printed == 2
        receipts = printed_receipts(loopback, 2)
        assert len(receipts) == 2 and not any(is_copy(texts) for texts in receipts)
        assert sales_and_jobs(db) == (2, 0, 2)


def test_a_printer_switched_off_leaves_every_receipt_queued_in_order(db: Database) -> None:
    loopback = LoopbackPrinter().start()
    setting = loopback.setting
    loopback.switch_off()
    printer = EscposReceiptPrinter(setting, status=True, timeout=1)
    first, spooler = one_sale(db, printer)
    second = sell(make_sql_till(spooler.journal), "1003")
    status = spooler.print_pending()
    assert isinstance(status.problem, PrinterOffline) and status.waiting == 2 and not status.problem.interrupted
    loopback.switch_on()
    try:
        assert spooler.print_pending().printed == 2
        receipts = printed_receipts(loopback, 2)
        numbers = [next(t for t in texts if str(sale.receipt_number) in t) for texts, sale in
                   zip(receipts, (first, second), strict=True)]
        assert len(numbers) == 2 and not any(is_copy(texts) for texts in receipts)
    finally:
        loopback.stop()
