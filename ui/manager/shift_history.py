"""Shift history: this till's shifts, the newest first (opened and closed, by whom, float, Z
number, counted against expected, what is still unsent).  For the chosen shift: its Z report
(an X report while it is open) on screen and printed as a copy, its receipts in the journal,
its unsent documents."""

from __future__ import annotations

from collections.abc import Callable

from local_db.journal_search import ShiftEntry
from pos.i18n import N_, _
from pos.store_day.report import ReportKind, ShiftReport, compute_report
from pos.store_day.roles import Action
from pos.till import Till
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.list_model import RowsModel, list_table, move_selection, selected_row
from ui.manager.common import TABLE_STYLE, Desk, TwoLineHeaders, open_over, signed_money
from ui.manager.report_view import ReportDialog
from ui.message_area import MessageArea
from ui.qt import QHBoxLayout, QKeyEvent, QLabel, Qt, QVBoxLayout, QWidget, qconnect

HEADERS = (N_("Opened"), N_("Closed"), N_("Float"), N_("Z"), N_("Variance"), N_("Unsent"))  # who: under the list
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class NoReportYet(Exception):
    """A shift left open that is not the till's current one: it has no report to show."""


def report_of(till: Till, entry: ShiftEntry) -> ShiftReport:
    """The Z report of a closed shift; an X report (changing nothing) of the open one.  On the till worker."""
    day = till.day
    if day is None:
        raise NoReportYet()
    if not entry.is_open:
        found = day.journal.z_report(entry.shift_id)  # type: ignore[attr-defined]
        if found is None:
            raise NoReportYet()
        return found  # type: ignore[no-any-return]
    shift = day.shift
    if shift is None or shift.shift_id != entry.shift_id:
        raise NoReportYet()
    day.rules.permissions.check(till.staff(), Action.X_REPORT)  # the screens may be open to more people than X is
    return compute_report(ReportKind.X, day.journal.day_documents(shift))  # type: ignore[attr-defined]


class ShiftHistoryPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftHistoryPage")
        self.desk = desk
        self.show_receipts: Callable[[ShiftEntry], None] = lambda _entry: None
        self.show_unsent: Callable[[ShiftEntry], None] = lambda _entry: None
        self.model: RowsModel[ShiftEntry] = TwoLineHeaders(HEADERS, self._cells, frozenset({2, 3, 4, 5}), self)
        self.table = list_table(self.model, 1, self)
        self.table.setStyleSheet(TABLE_STYLE)
        self.detail = QLabel("", self)
        self.detail.setObjectName("shiftDetail")
        self.detail.setWordWrap(True)
        qconnect(self.table.selectionModel().selectionChanged, lambda *_a: self._describe())
        title = QLabel(_("Shifts of this till"), self)
        title.setObjectName("sectionTitle")
        hint = QLabel(_("Up/Down to choose · Enter: its report · R: its receipts · U: its unsent documents"), self)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.message = MessageArea(self)
        report = big_button(_("Enter  Report"), self, "primaryButton")
        receipts = big_button(_("R  Receipts"), self)
        unsent = big_button(_("U  Unsent"), self)
        qconnect(report.clicked, self.open_report)
        qconnect(receipts.clicked, lambda: self._with_chosen(self.show_receipts))
        qconnect(unsent.clicked, lambda: self._with_chosen(self.show_unsent))
        buttons = QHBoxLayout()
        for button in (report, receipts, unsent):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addWidget(hint)
        column.addWidget(self.table, 1)
        column.addWidget(self.detail)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.loaded = False

    def _cells(self, s: ShiftEntry) -> tuple[str, ...]:
        d = self.desk
        unsent = s.waiting + s.quarantined
        return (d.time(s.opened_at), _("open") if s.closed_at is None else d.time(s.closed_at),
                d.money(s.opening_float), str(s.z_number) if s.z_number else "",
                "" if s.variance is None else signed_money(s.variance, d.ui_locale),
                f"{unsent}!" if s.quarantined else str(unsent))

    def _describe(self) -> None:
        """The chosen shift in words, under the list (what the narrow columns leave out)."""
        s, d = self.chosen(), self.desk
        if s is None:
            self.detail.clear()
            return
        opened = _("Opened {time} by {name} with a float of {float}.").format(
            time=d.time(s.opened_at), name=s.opened_by, float=d.money(s.opening_float))
        if s.closed_at is None or s.counted is None or s.expected is None or s.variance is None:
            closed = _("Still open: {sales} sales, {returns} returns so far.").format(
                sales=s.sales_count, returns=s.returns_count)
        else:
            closed = _("Closed {time} by {name}: {sales} sales, {returns} returns; counted {counted} against "
                       "{expected} expected ({variance}).").format(
                time=d.time(s.closed_at), name=s.closed_by, sales=s.sales_count, returns=s.returns_count,
                counted=d.money(s.counted), expected=d.money(s.expected), variance=signed_money(s.variance, d.ui_locale))
        if s.waiting or s.quarantined:
            unsent = _("Not at the hub yet: {waiting} waiting, {held} refused (U shows them).").format(
                waiting=s.waiting, held=s.quarantined)
        else:
            unsent = _("Everything of this shift has reached the hub.")
        self.detail.setText(f"{opened} {closed} {unsent}")

    def refresh(self) -> None:
        search = self.desk.search
        self.desk.session.query(lambda _t, _j: search.shifts()).success(self._show).failure(self._problem).run()

    def _show(self, shifts: tuple[ShiftEntry, ...]) -> None:
        chosen = self.chosen()
        self.model.set_items(shifts)
        rows = [i for i, s in enumerate(shifts) if chosen is not None and s.shift_id == chosen.shift_id]
        if shifts:
            self.table.selectRow(rows[0] if rows else 0)
        else:
            self.message.show_notice(_("No shift has been opened on this till yet."))
        self.loaded = True

    def chosen(self) -> ShiftEntry | None:
        row = selected_row(self.table)
        return self.model.item(row) if row is not None else None

    def _with_chosen(self, then: Callable[[ShiftEntry], None]) -> None:
        entry = self.chosen()
        if entry is None:
            self.message.show_error(_("Choose a shift first (Up/Down)."))
            return
        then(entry)

    def open_report(self) -> None:
        entry = self.chosen()
        if entry is None:
            self.message.show_error(_("Choose a shift first (Up/Down)."))
            return
        self.desk.session.query(lambda till, _j: report_of(till, entry)).success(
            lambda report: self._show_report(entry, report)).failure(self._problem).run()

    def _show_report(self, entry: ShiftEntry, report: ShiftReport) -> None:
        open_over(self.window(), ReportDialog(self.desk, report, entry, self.window()))

    def _problem(self, error: BaseException) -> None:
        if isinstance(error, NoReportYet):
            self.message.show_error(_("This shift has no report to show: it was left open on this till."))
            return
        show_problem(self.message, error)

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in ENTER_KEYS:
            self.open_report()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            move_selection(self.table, -1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_R:
            self._with_chosen(self.show_receipts)
        elif key == Qt.Key.Key_U:
            self._with_chosen(self.show_unsent)
        else:
            return False
        return True
