"""The printer worker loop.  After each sale and each reprint request the spooler prints
what is queued, on the printer worker; if the printer has a problem, the status bar says so
and a timer on the main thread asks again every ``print_retry_seconds``.  Selling never
waits for the printer: a sale is recorded before its receipt is printed.

The printer asks its own status before and after each receipt (``hardware.printer_status``);
what it found reaches the status bar as a few plain words saying what to do ("out of paper:
load a new roll"), the whole sentence in the tooltip.  Paper running low is said while
the printer stays ready."""

from __future__ import annotations

import enum
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hardware.errors import (
    PrinterCoverOpen, PrinterError, PrinterInterrupted, PrinterOffline, PrinterOfflineStatus, PrinterOutOfPaper,
    PrinterPaperLow,
)
from pos.errors import DeviceProblem
from pos.i18n import N_, _
from pos.printing import PrintStatus
from ui.errors import describe_problem
from ui.qt import QObject, QTimer, Signal, qconnect
from ui.session import TillSession

if TYPE_CHECKING:
    from pos.printing import ReceiptSpooler

log = logging.getLogger(__name__)


class PrinterHealth(enum.Enum):
    READY = "ready"
    PROBLEM = "problem"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class PrinterState:
    health: PrinterHealth
    reason: str = ""
    waiting: int = 0


class PrinterWatch(QObject):
    state_changed = Signal(object)  # PrinterState
    reprint_failed = Signal(str)  # what to tell the cashier

    def __init__(self, session: TillSession, *, enabled: bool = True) -> None:
        super().__init__()
        self.session = session
        self.enabled = enabled
        self.state = PrinterState(PrinterHealth.READY if enabled else PrinterHealth.DISABLED)
        self._running = False
        self._again = False
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(int(session.services.print_retry_seconds * 1000))
        qconnect(self._retry.timeout, self.print_now)

    def print_now(self) -> None:
        """Print whatever is queued; if a run is under way, run once more after it."""
        if not self.enabled:
            return
        if self._running:
            self._again = True
            return
        self._retry.stop()
        self._running = True
        self.session.printing(_print_pending).success(self._printed).failure(self._failed).run()

    def reprint(self, sale_id: uuid.UUID) -> None:
        if not self.enabled:
            return
        (
            self.session.printing(lambda spooler: spooler.reprint(sale_id))
            .success(lambda _none: self.print_now())
            .failure(lambda error: self.reprint_failed.emit(describe_problem(error)))
            .run()
        )

    def _printed(self, outcome: tuple[PrintStatus, DeviceProblem | None]) -> None:
        status, warning = outcome
        self._running = False
        if status.problem is not None:
            self._problem(_reason(status.problem), status.waiting)
        else:
            self._set(PrinterState(PrinterHealth.READY, _reason(warning) if warning is not None else ""))
            if self._again:
                self._again = False
                self.print_now()

    def _failed(self, error: BaseException) -> None:
        """The spooler itself failed (the journal could not be read...): retry like a printer problem."""
        self._running = False
        self._problem(_reason(error), self.state.waiting)

    def _problem(self, reason: str, waiting: int) -> None:
        self._again = False
        self._set(PrinterState(PrinterHealth.PROBLEM, reason, waiting))
        self._retry.start()

    def _set(self, state: PrinterState) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def stop(self) -> None:
        self._retry.stop()
        self.enabled = False


# a few words for the status bar, saying what to do; the whole message is in the log
SHORT_WORDS: tuple[tuple[type[DeviceProblem], str], ...] = (
    (PrinterOutOfPaper, N_("out of paper: load a new roll")),
    (PrinterCoverOpen, N_("cover open: close it")),
    (PrinterOfflineStatus, N_("offline: check paper and cover")),
    (PrinterError, N_("printer error: switch it off and on")),
    (PrinterInterrupted, N_("stopped mid-receipt: it prints again")),
    (PrinterOffline, N_("not answering: check power and cable")),
    (PrinterPaperLow, N_("paper low: have a roll ready")),
)


def _print_pending(spooler: ReceiptSpooler) -> tuple[PrintStatus, DeviceProblem | None]:
    """On the printer worker: print what is queued, and what the printer warned of after."""
    status = spooler.print_pending()
    warning = getattr(spooler.printer, "warning", None)
    return status, warning if status.problem is None and isinstance(warning, DeviceProblem) else None


def _reason(error: BaseException) -> str:
    for kind, words in SHORT_WORDS:
        if isinstance(error, kind):
            describe_problem(error)  # logs it
            return _(words)
    if isinstance(error, DeviceProblem) and error.fields.get("reason"):
        describe_problem(error)  # logs it
        return str(error.fields["reason"])
    return describe_problem(error)
