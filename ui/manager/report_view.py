"""An X or Z report on screen, figure by figure, with a copy printed on demand
(``ReceiptSpooler.print_report(report, copy=True)``).  The figures are the ones the shift's own
screens show (``ui.shift.report_view``), with who opened and closed the shift, the count and
the variance around them."""

from __future__ import annotations

from local_db.journal_search import ShiftEntry
from pos.i18n import _
from pos.store_day.report import ShiftReport
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.manager.common import Desk, signed_money
from ui.message_area import MessageArea
from ui.qt import QDialog, QHBoxLayout, QKeyEvent, QLabel, Qt, QVBoxLayout, QWidget, qconnect
from ui.shift.report_view import Row, report_title, report_table


def shift_rows(entry: ShiftEntry | None, desk: Desk) -> tuple[list[Row], list[Row]]:
    """The rows before the figures (who opened and closed the shift, when) and after them
    (what was counted, the variance)."""
    if entry is None:
        return [], []
    before: list[Row] = [(_("Opened"), f"{desk.time(entry.opened_at)} {entry.opened_by}", "")]
    if entry.closed_at is not None:
        before.append((_("Closed"), f"{desk.time(entry.closed_at)} {entry.closed_by}", ""))
    after: list[Row] = []
    if entry.counted is not None and entry.variance is not None:
        after = [(_("Counted cash"), "", desk.money(entry.counted)),
                 (_("Variance"), "", signed_money(entry.variance, desk.ui_locale))]
    return before, after


class ReportDialog(QDialog):
    def __init__(self, desk: Desk, report: ShiftReport, entry: ShiftEntry | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(report_title(report))
        self.setModal(True)
        self.desk, self.report, self.entry = desk, report, entry
        title = QLabel(report_title(report), self)
        title.setObjectName("screenTitle")
        before, after = shift_rows(entry, desk)
        self.table = report_table(report, desk.ui_locale, self, before=before, after=after)
        self.model = self.table.model()
        self.message = MessageArea(self)
        self.print_button = big_button(_("P  Print a copy"), self, "primaryButton")
        close = big_button(_("Esc  Close"), self)
        qconnect(self.print_button.clicked, self.print_copy)
        qconnect(close.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.resize(parent.size() if parent is not None else self.size())

    def print_copy(self) -> None:
        if not self.desk.printer.enabled:
            self.message.show_error(_("Printing is disabled on this till."))
            return
        report, counted = self.report, self.entry.counted if self.entry is not None else None
        self.desk.session.printing(lambda spooler: spooler.print_report(report, copy=True, counted=counted)).success(
            lambda _r: self.message.show_notice(_("Printing a copy of the report."))).failure(
            lambda error: show_problem(self.message, error)).run()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_P:
            self.print_copy()
        else:
            super().keyPressEvent(event)
