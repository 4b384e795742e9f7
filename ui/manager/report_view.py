"""An X or Z report on screen, figure by figure, with a copy printed on demand
(``ReceiptSpooler.print_report(report, copy=True)``; a till whose spooler has none says that
printing reports is not available, and the report stays on screen)."""

from __future__ import annotations

from local_db.journal_search import ShiftEntry
from pos.i18n import N_, _
from pos.printing import ReceiptSpooler
from pos.store_day.report import ReportKind, ShiftReport
from ui import formatting
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.list_model import RowsModel, list_table
from ui.manager.common import Desk, signed_money, tender_name
from ui.message_area import MessageArea
from ui.qt import QDialog, QHBoxLayout, QKeyEvent, QLabel, Qt, QVBoxLayout, QWidget, qconnect

HEADERS = (N_("Figure"), N_("Value"))


def can_print_reports() -> bool:
    return callable(getattr(ReceiptSpooler, "print_report", None))


def report_rows(report: ShiftReport, entry: ShiftEntry | None, desk: Desk) -> list[tuple[str, str]]:
    """The report's figures as (what, how much) rows in the UI's language."""
    m, loc = desk.money, desk.ui_locale

    def numbers(first: int | None, last: int | None) -> str:
        return "" if first is None else f"{first} – {last}"

    rows = []
    if entry is not None:
        rows.append((_("Opened"), f"{desk.time(entry.opened_at)} {entry.opened_by}"))
        if entry.closed_at is not None:
            rows.append((_("Closed"), f"{desk.time(entry.closed_at)} {entry.closed_by}"))
    rows += [
        (_("Sales"), f"{report.sales_count} · {m(report.sales_total)}"),
        (_("Returns"), f"{report.returns_count} · {m(report.returns_total)}"),
        (_("Net"), m(report.net_total)),
        (_("Voided lines"), f"{report.voided_lines_count} · {m(report.voided_lines_total)}"),
        (_("Cancelled sales"), f"{report.cancelled_count} · {m(report.cancelled_total)}"),
        (_("Discounts"), m(report.discounts_total)),
        (_("Cash rounding"), m(report.sales_rounding - report.returns_rounding)),
    ]
    for tender in report.tenders:
        rows.append((tender_name(tender.method), _("taken {taken} · refunded {refunded} · net {net}").format(
            taken=m(tender.taken), refunded=m(tender.refunded), net=m(tender.net))))
    rows += [(_("Cash in"), m(report.cash_in)), (_("Cash out"), m(report.cash_out))]
    for tax in report.vat:
        rows.append((_("VAT {rate}").format(rate=formatting.percent(tax.vat.percent, loc)),
                     _("gross {gross} · VAT {tax}").format(gross=m(tax.gross), tax=m(tax.tax))))
    rows += [
        (_("Receipts"), numbers(report.first_receipt, report.last_receipt)),
        (_("Return numbers"), numbers(report.first_return, report.last_return)),
        (_("Opening float"), m(report.opening_float)),
        (_("Expected cash"), m(report.expected_cash)),
    ]
    if entry is not None and entry.counted is not None and entry.variance is not None:
        rows += [(_("Counted cash"), m(entry.counted)), (_("Variance"), signed_money(entry.variance, loc))]
    return rows


def report_title(report: ShiftReport) -> str:
    if report.kind is ReportKind.Z:
        return _("Z report {number}").format(number=report.z_number)
    return _("X report (the shift stays open)")


class ReportDialog(QDialog):
    def __init__(self, desk: Desk, report: ShiftReport, entry: ShiftEntry | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(report_title(report))
        self.setModal(True)
        self.desk, self.report, self.entry = desk, report, entry
        title = QLabel(report_title(report), self)
        title.setObjectName("screenTitle")
        self.model: RowsModel[tuple[str, str]] = RowsModel(HEADERS, lambda row: row, frozenset({1}), self)
        self.model.set_items(report_rows(report, entry, desk))
        self.table = list_table(self.model, 1, self)
        self.table.verticalHeader().setDefaultSectionSize(36)
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
        if not can_print_reports():
            self.message.show_notice(_("Printing reports is not available on this till yet: the report is on screen."))
        self.resize(parent.size() if parent is not None else self.size())

    def print_copy(self) -> None:
        if not can_print_reports():
            self.message.show_error(_("Printing reports is not available on this till yet: the report is on screen."))
            return
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
