"""The strip at the bottom: link state, sales waiting to send, printer, cashier, next
receipt number, store and till.  The counts are read on the till worker after every sale
and every 10 seconds; the status bar itself only shows what it is told."""

from __future__ import annotations

from pos.i18n import _
from pos.sale import Cashier
from ui.errors import log_problem
from ui.printing import PrinterHealth, PrinterState
from ui.qt import QLabel, QStatusBar, QTimer, QWidget, qconnect
from ui.session import TillSession

REFRESH_MS = 10_000


class TillStatusBar(QStatusBar):
    def __init__(self, session: TillSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tillStatusBar")
        self.setSizeGripEnabled(False)
        self.session = session
        store = session.services.store
        self.link_label = self._label("linkState", _("Offline"))
        self.waiting_label = self._label("waitingToSend", "")
        self.printer_label = self._label("printerState", "")
        self.cashier_label = self._label("cashierName", _("Nobody signed in"))
        self.receipt_label = self._label("nextReceipt", "")
        self.store_label = self._label("storeTill", _("Store {store} / Till {till}").format(store=store.store_id, till=store.till_id))
        self.show_counts("…", "…")  # until the journal answers
        self.show_printer(PrinterState(PrinterHealth.READY))
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        qconnect(self._timer.timeout, self.refresh_counts)
        self._timer.start()
        self._asking = False

    def _label(self, name: str, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        self.addPermanentWidget(label) if name == "storeTill" else self.addWidget(label)
        return label

    def refresh_counts(self) -> None:
        """Ask the journal (on the till worker) how many sales wait and what comes next."""
        if self._asking:
            return
        self._asking = True

        def done(counts: tuple[int, int]) -> None:
            self._asking = False
            self.show_counts(*counts)

        def failed(error: BaseException) -> None:
            self._asking = False
            log_problem(error)

        (
            self.session.query(lambda _till, journal: (journal.unsent_count(), journal.next_receipt_number()))
            .success(done)
            .failure(failed)
            .run()
        )

    def show_counts(self, unsent: int | str, next_receipt: int | str) -> None:
        self.waiting_label.setText(_("Waiting to send: {count}").format(count=unsent))
        self.receipt_label.setText(_("Next receipt: {number}").format(number=next_receipt))

    def show_cashier(self, cashier: Cashier | None) -> None:
        self.cashier_label.setText(
            _("Cashier: {name}").format(name=cashier.name) if cashier else _("Nobody signed in")
        )

    def show_printer(self, state: PrinterState) -> None:
        if state.health is PrinterHealth.PROBLEM:
            text = _("Printer problem: {reason} — retrying").format(reason=state.reason)
        elif state.health is PrinterHealth.DISABLED:
            text = _("Printing disabled")
        else:
            text = _("Printer ready")
        self.printer_label.setText(text)
        self.printer_label.setProperty("problem", state.health is PrinterHealth.PROBLEM)
        self.printer_label.style().unpolish(self.printer_label)
        self.printer_label.style().polish(self.printer_label)
        description = self.session.services.printer_description
        self.printer_label.setToolTip(description)

    def stop(self) -> None:
        self._timer.stop()
