"""The till session: the one way the window reaches the till, its journal and the printer.

Every Till and journal call runs on the *till worker*, in the order asked; every spooler call
runs on the *printer worker*.  Each basket change comes back as a ``TillResult`` that the
session announces on ``changed`` before the caller's own callback runs, so every screen
refreshes from the same signal (changes drive refreshes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pos.ports import SaleJournal
from pos.printing import ReceiptSpooler
from pos.till import Till, TillResult
from ui.operations import Op, Worker
from ui.qt import QObject, Signal
from ui.services import TillServices

T = TypeVar("T")


class TillSession(QObject):
    changed = Signal(object)  # TillResult, after every successful change

    def __init__(self, services: TillServices) -> None:
        super().__init__()
        self.services = services
        self.till_worker = Worker("till-worker")
        self.printer_worker = Worker("printer-worker")
        self._till = services.till
        self._journal = services.journal
        self._spooler = services.spooler

    def change(self, work: Callable[[Till], TillResult]) -> Op[TillResult]:
        """A use case that returns a TillResult; announced on ``changed`` when it succeeds."""
        till = self._till
        return Op(lambda: work(till), self.till_worker).announce(self.changed.emit)

    def query(self, work: Callable[[Till, SaleJournal], T]) -> Op[T]:
        """A read (search, journal counts, recent sales) on the till worker, in order."""
        till, journal = self._till, self._journal
        return Op(lambda: work(till, journal), self.till_worker)

    def printing(self, work: Callable[[ReceiptSpooler], T]) -> Op[T]:
        """Spooler work on the printer worker."""
        spooler = self._spooler
        return Op(lambda: work(spooler), self.printer_worker)

    def is_idle(self) -> bool:
        return self.till_worker.is_idle() and self.printer_worker.is_idle()

    def shutdown(self) -> None:
        """Finish the queued till work (it saves the basket), then the printing; then stop."""
        self.till_worker.shutdown()
        self.printer_worker.shutdown()
