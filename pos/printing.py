"""Printing receipts from the print queue.  A sale is recorded before its receipt is
printed; a printer that is off, absent or out of paper leaves the job queued for a retry.
Runs on its own worker so a slow printer never holds up scanning.

The store's day prints beside the queue, on the same worker: an X or Z report
(``print_report``) and a return receipt (``print_return``) go straight to the printer, and a
printer problem raises its ``DeviceProblem`` for the window to show (the document is in the
journal: it can be printed again, marked COPY, from the shift history).  ``open_drawer``
kicks the cash drawer on the printer's drawer port.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from pos.errors import DeviceProblem, PosError
from pos.i18n import N_
from pos.money import Money
from pos.ports import Clock, PrintQueue, ReceiptPrinter, SaleJournal
from pos.receipt import StoreInfo, build_receipt
from pos.report_layout import report_printout
from pos.return_layout import ReturnPrintout
from pos.store_day.day import DRAWER_PINS
from pos.store_day.drawer import DrawerCount
from pos.store_day.report import ShiftReport
from pos.store_day.returns import ReturnDocument
from pos.store_day.shift import Shift

log = logging.getLogger(__name__)


class NoSuchSale(PosError):
    message = N_("There is no sale with that receipt in this till's journal.")


@dataclass(frozen=True, slots=True)
class PrintStatus:
    printed: int
    waiting: int
    problem: DeviceProblem | None = None


class DrawerPinNotValid(DeviceProblem):
    message = N_("The cash drawer is on pin 2 or 5 of the printer's drawer port, not {pin}: correct drawer_pin in the settings.")


class ReceiptSpooler:
    def __init__(self, queue: PrintQueue, journal: SaleJournal, printer: ReceiptPrinter, store: StoreInfo,
                 clock: Clock | None = None) -> None:
        self.queue = queue
        self.journal = journal
        self.printer = printer
        self.store = store
        self.clock = clock

    def _now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(timezone.utc)

    def print_report(self, report: ShiftReport, *, copy: bool = False, counted: Money | DrawerCount | None = None,
                     shift: Shift | None = None) -> None:
        """Print an X or Z report now.  ``shift`` adds who opened and closed it and when (and,
        for a Z, the closing count); ``counted`` the drawer's count (a Z's expected, counted and
        variance); ``copy`` marks a reprint.  Raises the printer's DeviceProblem."""
        printout = report_printout(report, self.store, self._now(), shift=shift, counted=counted, copy=copy)
        try:
            self.printer.print_report(printout)
        except DeviceProblem as problem:
            log.warning("%s report of shift %s not printed: %s", report.kind.value, report.shift_id, problem)
            raise

    def print_return(self, returned: ReturnDocument, *, copy: bool = False, reason: str = "") -> None:
        """Print a return receipt now (``reason``: the reason's label, else its code is printed).
        Raises the printer's DeviceProblem."""
        try:
            self.printer.print_return(ReturnPrintout(returned, self.store, reason, copy))
        except DeviceProblem as problem:
            log.warning("return %d not printed: %s", returned.return_number, problem)
            raise

    def open_drawer(self, pin: int) -> None:
        """Kick the cash drawer (ESC p on pin 2 or 5).  Raises a DeviceProblem when the printer
        cannot be reached; the sale is recorded either way."""
        if isinstance(pin, bool) or pin not in DRAWER_PINS:
            raise DrawerPinNotValid(pin=pin)
        self.printer.open_drawer(pin)

    def print_pending(self) -> PrintStatus:
        """Print queued receipts in order; stop at the first printer problem."""
        jobs = self.queue.pending_jobs()
        printed = 0
        for job in jobs:
            sale = self.journal.get_sale(job.sale_id)
            if sale is None:  # cannot happen with the real journal; never block the queue on it
                log.error("print job %s names unknown sale %s; dropped", job.job_id, job.sale_id)
                self.queue.mark_printed(job.job_id)
                continue
            try:
                self.printer.print_receipt(build_receipt(sale, self.store, is_copy=job.is_copy))
            except DeviceProblem as problem:
                self.queue.mark_failed(job.job_id, str(problem))
                log.warning("receipt %d not printed: %s", sale.receipt_number, problem)
                return PrintStatus(printed, len(jobs) - printed, problem)
            self.queue.mark_printed(job.job_id)
            printed += 1
        return PrintStatus(printed, 0)

    def reprint(self, sale_id: uuid.UUID) -> None:
        if self.journal.get_sale(sale_id) is None:
            raise NoSuchSale()
        self.queue.enqueue_copy(sale_id)
