"""The shift's close, once the blind count is recorded: what the drawer should hold, what was
counted and the variance (short in red, over in amber, right in green), the Z report, whether
it printed, and how many of the shift's documents have still to reach head office."""

from __future__ import annotations

from collections.abc import Callable

from pos.i18n import _, ngettext
from pos.store_day.report import ShiftReport
from pos.store_day.shift import ShiftClose
from ui import formatting
from ui.dialogs import big_button
from ui.message_area import MessageArea
from ui.qt import QDialog, QGridLayout, QHBoxLayout, QKeyEvent, QLabel, Qt, QVBoxLayout, QWidget, qconnect
from ui.shift.report_view import report_table, report_title

SHORT, OVER, RIGHT = "#b42318", "#9a5b00", "#1f7a3a"


def variance_words(closed: ShiftClose, ui_locale: str) -> tuple[str, str]:
    """What the variance says, and its colour."""
    variance = closed.variance
    amount = formatting.money_with_currency(variance if variance.amount >= 0 else -variance, ui_locale)
    if variance.amount < 0:
        return _("Short by {amount}").format(amount=amount), SHORT
    if variance.amount > 0:
        return _("Over by {amount}").format(amount=amount), OVER
    return _("The drawer is right"), RIGHT


class CloseResultDialog(QDialog):
    def __init__(self, closed: ShiftClose, report: ShiftReport, ui_locale: str,
                 print_again: Callable[[], None] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closeResultDialog")
        self.setWindowTitle(_("Shift closed"))
        self.setModal(True)
        self.closed_shift = closed
        self.report = report
        self._print_again = print_again
        heading = QLabel(_("Shift closed: {report}").format(report=report_title(report)), self)
        heading.setObjectName("screenTitle")

        figures = QGridLayout()
        words, colour = variance_words(closed, ui_locale)
        rows = (
            (_("The drawer should hold"), formatting.money_with_currency(closed.expected, ui_locale), "expectedCash"),
            (_("Counted"), formatting.money_with_currency(closed.counted.total, ui_locale), "countedCash"),
            (_("Variance"), words, "varianceWords"),
        )
        values: dict[str, QLabel] = {}
        for index, (caption, value, name) in enumerate(rows):
            figures.addWidget(QLabel(caption, self), index, 0)
            label = QLabel(value, self)
            label.setObjectName(name)
            label.setStyleSheet("font-size: 22pt; font-weight: bold;")
            figures.addWidget(label, index, 1)
            values[name] = label
        self.variance_label = values["varianceWords"]
        self.variance_label.setStyleSheet(f"font-size: 22pt; font-weight: bold; color: {colour};")
        figures.setColumnStretch(1, 1)

        self.unsent_label = QLabel(_("Counting what is still to send…"), self)
        self.unsent_label.setObjectName("unsentDocuments")
        self.unsent_label.setWordWrap(True)
        self.message = MessageArea(self)
        buttons = QHBoxLayout()
        if print_again is not None:
            again = big_button(_("P  Print again"), self)
            again.setObjectName("printAgain")
            qconnect(again.clicked, print_again)
            buttons.addWidget(again)
        done = big_button(_("Enter  Done"), self, "primaryButton")
        qconnect(done.clicked, self.accept)
        buttons.addWidget(done)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addLayout(figures)
        column.addWidget(report_table(report, ui_locale, self), 1)
        column.addWidget(self.unsent_label)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.resize(1000, 740)

    def show_unsent(self, count: int) -> None:
        """How many of the shift's documents (its sales, cash movements, the close and the Z
        report...) the hub has not acknowledged yet, quarantined ones included."""
        if count == 0:
            self.unsent_label.setText(_("Everything of this shift has reached head office."))
            return
        self.unsent_label.setText(ngettext(
            "{count} document of this shift (a sale, the Z report…) is still to reach head office: "
            "it is sent once the till is online; the manager's screens (F10, M) list it.",
            "{count} documents of this shift (sales, the Z report…) are still to reach head office: "
            "they are sent once the till is online; the manager's screens (F10, M) list them.",
            count).format(count=count))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_P and self._print_again is not None:
            self._print_again()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return
        super().keyPressEvent(event)
