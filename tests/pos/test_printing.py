from pos.printing import NoSuchSale, ReceiptSpooler
import uuid
import pytest

from tests.fakes import SHAMPOO, STORE, MemoryJournal, RecordingPrinter, make_till


def sold(journal, count=1):
    till = make_till(journal)
    till.start()
    till.sign_in("1", "1234")
    for _ in range(count):
        till.scan(SHAMPOO.barcode)
        till.pay_cash("")


def test_receipts_are_printed_in_order_and_leave_the_queue():
    journal, printer = MemoryJournal(), RecordingPrinter()
    sold(journal, 3)
    status = ReceiptSpooler(journal, journal, printer, STORE).print_pending()
    assert status.printed == 3 and status.problem is None
    assert [r.receipt_number for r in printer.receipts] == [1, 2, 3]
    assert journal.pending_jobs() == []


def test_a_printer_that_is_off_keeps_the_receipt_queued_and_the_sale_recorded():
    journal, printer = MemoryJournal(), RecordingPrinter()
    sold(journal, 2)
    printer.problem = "connection refused"
    spooler = ReceiptSpooler(journal, journal, printer, STORE)
    status = spooler.print_pending()
    assert status.problem is not None and status.waiting == 2
    assert len(journal.sales) == 2 and len(journal.pending_jobs()) == 2
    printer.problem = None
    assert spooler.print_pending().printed == 2


def test_a_reprint_is_marked_as_a_copy():
    journal, printer = MemoryJournal(), RecordingPrinter()
    sold(journal)
    spooler = ReceiptSpooler(journal, journal, printer, STORE)
    spooler.print_pending()
    spooler.reprint(next(iter(journal.sales)))
    spooler.print_pending()
    assert [r.is_copy for r in printer.receipts] == [False, True]
    with pytest.raises(NoSuchSale):
        spooler.reprint(uuid.uuid4())
