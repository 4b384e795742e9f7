"""The strip at the bottom: link state, sales waiting to send, last catalog update,
printer, cashier, next receipt number, store and till.  The counts are read on the till
worker after every sale and every 10 seconds; on a till linked to a hub, the link state
and the queue come from the sync worker's ``SyncStatus`` (``ui.link_state``).  The status
bar itself only shows what it is told."""

from __future__ import annotations

from hardware.serial_scanner import ScannerState
from pos.i18n import _
from pos.sale import Cashier
from sync.link import Link, SyncStatus
from ui.errors import log_problem
from ui.link_state import LinkWatch, link_word, pull_words, waiting_words
from ui.printing import PrinterHealth, PrinterState
from ui.qt import QLabel, QSizePolicy, QStatusBar, QTimer, QWidget, Qt, qconnect
from ui.widgets.elided_label import ElidedLabel
from ui.session import TillSession

REFRESH_MS = 10_000


MAX_REASON = 40  # characters of a printer's complaint in the bar; the tooltip has it all


class TillStatusBar(QStatusBar):
    def __init__(self, session: TillSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tillStatusBar")
        self.setSizeGripEnabled(False)
        self.session = session
        self.link: LinkWatch | None = None
        store = session.services.store
        self.link_label = self._label("linkState", _("Offline"))
        self.waiting_label = self._label("waitingToSend", "")
        self.pull_label = self._label("lastPull", "")
        self.pull_label.setVisible(session.services.sync is not None)
        self.printer_label = self._label("printerState", "")
        self.cashier_label = self._label("cashierName", _("Nobody signed in"))
        self.receipt_label = self._label("nextReceipt", "")
        self.scanner_label: QLabel | None = None  # a serial scanner's state (show_scanner)
        self.store_label = self._label("storeTill", _("Store {store} / Till {till}").format(store=store.store_id, till=store.till_id))
        self.show_counts("…", "…")  # until the journal answers
        self.show_printer(PrinterState(PrinterHealth.READY))
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        qconnect(self._timer.timeout, self.refresh_counts)
        self._timer.start()
        self._asking = False
        sync = session.services.sync
        if sync is not None:
            self.link = LinkWatch(sync.monitor, self)
            qconnect(self.link.changed, self.show_link)
            self.show_link(self.link.status())

    def _label(self, name: str, text: str) -> QLabel:
        """Every label but the link state elides on a narrow screen (the whole text in its
        tooltip), so none of them sets the window's width; the link state stays whole."""
        if name == "linkState":
            label = QLabel(text, self)
        else:  # a label that ends in a figure keeps it: "Очікують…ня: 3"
            middle = name in ("waitingToSend", "nextReceipt", "cashierName")
            label = ElidedLabel(
                text, self, min_chars=9 if middle else 4,
                elide=Qt.TextElideMode.ElideMiddle if middle else Qt.TextElideMode.ElideRight,
            )
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # store names and printer complaints are data, not markup
        if name == "storeTill":  # the least urgent: it gives way first on a narrow screen
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(0)
            self.addPermanentWidget(label, 1)
        else:
            self.addWidget(label)
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
        if self.link is None:  # an offline-only till: the journal's count
            self.waiting_label.setText(_("Waiting to send: {count}").format(count=unsent))
        else:
            self.show_link(self.link.status())  # the oldest sale's age moves on
        self.receipt_label.setText(_("Next receipt: {number}").format(number=next_receipt))

    def show_link(self, status: SyncStatus) -> None:
        """Link state, queue and last catalog update, as the sync worker last said."""
        self.link_label.setText(link_word(status.link))
        self.link_label.setToolTip(status.problem or status.hub)
        self.link_label.setProperty("online", status.link is Link.ONLINE)
        self.link_label.style().unpolish(self.link_label)
        self.link_label.style().polish(self.link_label)
        self.waiting_label.setText(waiting_words(status))
        self.pull_label.setText(pull_words(status, self.session.services.store.timezone))

    def show_cashier(self, cashier: Cashier | None) -> None:
        self.cashier_label.setText(
            _("Cashier: {name}").format(name=cashier.name) if cashier else _("Nobody signed in")
        )

    def show_printer(self, state: PrinterState) -> None:
        if state.health is PrinterHealth.PROBLEM:
            reason = state.reason if len(state.reason) <= MAX_REASON else state.reason[: MAX_REASON - 1] + "…"
            text = _("Printer problem: {reason} — retrying").format(reason=reason)
        elif state.health is PrinterHealth.DISABLED:
            text = _("Printing disabled")
        elif state.reason:  # ready, with a warning (paper low)
            text = _("Printer ready; {reason}").format(reason=state.reason)
        else:
            text = _("Printer ready")
        self.printer_label.setText(text)
        self.printer_label.setProperty("problem", state.health is PrinterHealth.PROBLEM)
        self.printer_label.style().unpolish(self.printer_label)
        self.printer_label.style().polish(self.printer_label)
        description = self.session.services.printer_description
        self.printer_label.setToolTip(f"{description}: {state.reason}" if state.reason else description)

    def show_scanner(self, state: ScannerState) -> None:
        """A serial scanner's state (``hardware.serial_scanner.ScannerState``), in plain words;
        the port and the system's reason in the tooltip.  No label on a till without one."""
        from ui.scanning.serial import scanner_words

        if self.scanner_label is None:
            self.scanner_label = self._label("scannerState", "")
        self.scanner_label.setText(scanner_words(state))
        self.scanner_label.setToolTip(f"{state.port}: {state.reason}" if state.reason else state.port)

    def stop(self) -> None:
        self._timer.stop()
