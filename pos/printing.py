"""Printing receipts from the print queue.  A sale is recorded before its receipt is
printed; a printer that is off, absent or out of paper leaves the job queued for a retry.
Runs on its own worker so a slow printer never holds up scanning."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from pos.errors import DeviceProblem, PosError
from pos.i18n import N_
from pos.ports import PrintQueue, ReceiptPrinter, SaleJournal
from pos.receipt import StoreInfo, build_receipt

log = logging.getLogger(__name__)


class NoSuchSale(PosError):
    message = N_("There is no sale with that receipt in this till's journal.")


@dataclass(frozen=True, slots=True)
class PrintStatus:
    printed: int
    waiting: int
    problem: DeviceProblem | None = None


class ReceiptSpooler:
    def __init__(self, queue: PrintQueue, journal: SaleJournal, printer: ReceiptPrinter, store: StoreInfo) -> None:
        self.queue = queue
        self.journal = journal
        self.printer = printer
        self.store = store

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
