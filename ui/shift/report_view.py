"""An X or Z report on screen: one row per figure (what it is, how many, how much), in the
UI's language and number format, in a table that scrolls; and the X report's dialog (shown,
printed when the printer can print reports, printed again on P)."""

from __future__ import annotations

from collections.abc import Callable

from pos.i18n import _, N_
from pos.money import Money
from pos.store_day.report import ReportKind, ShiftReport
from ui import formatting
from ui.dialogs import big_button
from ui.list_model import RowsModel, list_table
from ui.message_area import MessageArea
from ui.qt import QDialog, QHBoxLayout, QKeyEvent, QLabel, QTableView, Qt, QVBoxLayout, QWidget, qconnect

Row = tuple[str, str, str]  # what, how many, how much

TENDER_NAMES = {"cash": N_("Cash"), "card": N_("Card"), "exchange_credit": N_("Exchange credit"),
                "points": N_("Loyalty points"), "gift_card": N_("Gift card")}


def report_title(report: ShiftReport) -> str:
    if report.kind is ReportKind.Z:
        return _("Z report {number}").format(number=report.z_number)
    return _("X report (not a close)")


def report_rows(report: ShiftReport, ui_locale: str) -> list[Row]:
    def money(amount: Money) -> str:
        return formatting.money(amount, ui_locale)

    def count(value: int) -> str:
        return formatting.count(value, ui_locale)

    def numbers(first: int | None, last: int | None) -> str:
        return "—" if first is None or last is None else f"{first} – {last}"

    rows: list[Row] = [
        (_("Sales"), count(report.sales_count), money(report.sales_total)),
        (_("Returns"), count(report.returns_count), money(report.returns_total)),
        (_("Net sales"), "", money(report.net_total)),
        (_("Voided lines"), count(report.voided_lines_count), money(report.voided_lines_total)),
        (_("Cancelled sales"), count(report.cancelled_count), money(report.cancelled_total)),
        (_("Discounts"), "", money(report.discounts_total)),
        (_("Cash rounding on sales"), "", money(report.sales_rounding)),
        (_("Cash rounding on returns"), "", money(report.returns_rounding)),
    ]
    for tender in report.tenders:
        name = _(TENDER_NAMES.get(tender.method, tender.method))
        rows.append((_("{tender}: taken").format(tender=name), "", money(tender.taken)))
        if not tender.refunded.is_zero():
            rows.append((_("{tender}: refunded").format(tender=name), "", money(tender.refunded)))
    rows += [
        (_("Cash in"), "", money(report.cash_in)),
        (_("Cash out"), "", money(report.cash_out)),
    ]
    for tax in report.vat:
        rate = f"{tax.vat.code} {formatting.percent(tax.vat.percent, ui_locale)}"
        rows.append((_("VAT {rate}: net {net}").format(rate=rate, net=money(tax.net)), "", money(tax.tax)))
    rows += [
        (_("Receipt numbers"), numbers(report.first_receipt, report.last_receipt), ""),
        (_("Return numbers"), numbers(report.first_return, report.last_return), ""),
        (_("Opening float"), "", money(report.opening_float)),
        (_("Cash the drawer should hold"), "", money(report.expected_cash)),
    ]
    return rows


def report_table(report: ShiftReport, ui_locale: str, parent: QWidget, *, before: list[Row] | None = None,
                 after: list[Row] | None = None) -> QTableView:
    """The report's figures as a table (``before`` and ``after``: rows a screen adds around them)."""
    model: RowsModel[Row] = RowsModel((N_("Report"), N_("Count"), N_("Amount")), lambda row: row,
                                      right_aligned=frozenset({1, 2}), parent=parent)
    model.set_items([*(before or []), *report_rows(report, ui_locale), *(after or [])])
    table = list_table(model, 0, parent)
    table.setObjectName("reportTable")
    table.verticalHeader().setDefaultSectionSize(32)
    return table


class ReportDialog(QDialog):
    """The X report: on screen, with P to print it again (when the printer can print reports)."""

    def __init__(self, report: ShiftReport, currency_note: str, ui_locale: str,
                 print_again: Callable[[], None] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(report_title(report))
        self.setModal(True)
        self.report = report
        heading = QLabel(report_title(report), self)
        heading.setObjectName("screenTitle")
        note = QLabel(currency_note, self)
        note.setObjectName("subtleText")
        self.message = MessageArea(self)
        self.table = report_table(report, ui_locale, self)
        self._print_again = print_again
        buttons = QHBoxLayout()
        if print_again is not None:
            again = big_button(_("P  Print again"), self)
            again.setObjectName("printAgain")
            qconnect(again.clicked, print_again)
            buttons.addWidget(again)
        close = big_button(_("Enter  Close"), self, "primaryButton")
        qconnect(close.clicked, self.accept)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(note)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.resize(900, 720)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_P and self._print_again is not None:
            self._print_again()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return
        super().keyPressEvent(event)
