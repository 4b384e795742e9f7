"""Unsent and quarantined documents: everything the hub has not acknowledged yet (sales,
returns, shift events, Z reports...), in the order written, with its age, attempts and last
problem; for every shift or for one (the open shift, or one chosen in the shift history).
S asks the sync worker to send now; Q opens the quarantine (the same dialog as Ctrl+Q) to
send a refused document again or export them for head office."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from local_db.journal_search import ShiftEntry, Unsent, UnsentDocument
from pos.i18n import N_, _
from pos.store_day.roles import Action
from pos.till import Till
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.list_model import RowsModel, list_table, move_selection, selected_row
from ui.manager.common import TABLE_STYLE, Desk, TwoLineHeaders, age, document_name, open_over
from ui.message_area import MessageArea
from ui.qt import QHBoxLayout, QKeyEvent, QLabel, Qt, QVBoxLayout, QWidget, qconnect
from ui.quarantine_dialog import QuarantineDialog

HEADERS = (N_("Document"), N_("Age"), N_("Tries"), N_("State"), N_("Last problem"))


class UnsentPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unsentPage")
        self.desk = desk
        self.shift: ShiftEntry | None = None  # None: every shift
        self.now = datetime.now(timezone.utc)
        self.summary = QLabel("", self)
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.scope = QLabel("", self)
        self.scope.setObjectName("hint")
        self.scope.setWordWrap(True)
        self.model: RowsModel[UnsentDocument] = TwoLineHeaders(HEADERS, self._cells, frozenset({1, 2}), self)
        self.table = list_table(self.model, 4, self)
        self.table.setStyleSheet(TABLE_STYLE)
        self.detail = QLabel("", self)
        self.detail.setObjectName("documentDetail")
        self.detail.setWordWrap(True)
        qconnect(self.table.selectionModel().selectionChanged, lambda *_a: self._describe())
        self.message = MessageArea(self)
        send = big_button(_("S  Send now"), self, "primaryButton")
        quarantine = big_button(_("Q  Quarantine"), self)
        every = big_button(_("A  All shifts"), self)
        current = big_button(_("O  Open shift"), self)
        qconnect(send.clicked, self.send_now)
        qconnect(quarantine.clicked, self.open_quarantine)
        qconnect(every.clicked, self.show_every_shift)
        qconnect(current.clicked, self.show_open_shift)
        buttons = QHBoxLayout()
        for button in (send, quarantine, every, current):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.summary)
        column.addWidget(self.scope)
        column.addWidget(self.table, 1)
        column.addWidget(self.detail)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.loaded = False

    def _cells(self, d: UnsentDocument) -> tuple[str, ...]:
        state = _("refused") if d.quarantined_at is not None else _("waiting")
        return (document_name(d.series, d.number), age(d.created_at, self.now), str(d.attempts), state, d.last_problem)

    def _describe(self) -> None:
        """The chosen document in full, under the list (a hub's reason is often long)."""
        row = selected_row(self.table)
        d = self.model.item(row) if row is not None else None
        if d is None:
            self.detail.clear()
            return
        text = _("{document}: written {time}, tried {attempts} times.").format(
            document=document_name(d.series, d.number), time=self.desk.time(d.created_at), attempts=d.attempts)
        if d.quarantined_at is not None:
            text += " " + _("Refused by the hub: {reason}").format(reason=d.last_problem)
        elif d.last_problem:
            text += " " + _("Last problem: {problem}").format(problem=d.last_problem)
        self.detail.setText(text)

    def refresh(self) -> None:
        search, shift = self.desk.search, self.shift
        self.scope.setText(_("Every shift") if shift is None else _("The shift opened {opened} by {name}").format(
            opened=self.desk.time(shift.opened_at), name=shift.opened_by))
        self.desk.session.query(lambda _t, _j: search.unsent(None if shift is None else shift.shift_id)).success(
            self._show).failure(lambda error: show_problem(self.message, error)).run()

    def _show(self, unsent: Unsent) -> None:
        self.now = datetime.now(timezone.utc)
        self.model.set_items(unsent.documents)
        if unsent.documents:
            self.table.selectRow(0)
        if not unsent.waiting and not unsent.quarantined:
            self.summary.setText(_("Everything has reached the hub."))
        else:
            self.summary.setText(_("{waiting} waiting to be sent · {held} refused by the hub").format(
                waiting=unsent.waiting, held=unsent.quarantined))
        if unsent.more:
            self.message.show_notice(_("Only the oldest {count} are listed.").format(count=len(unsent.documents)))
        self.loaded = True

    def show_shift(self, shift: ShiftEntry) -> None:
        self.shift = shift
        self.refresh()

    def show_every_shift(self) -> None:
        self.shift = None
        self.refresh()

    def show_open_shift(self) -> None:
        search = self.desk.search

        def chosen(shifts: tuple[ShiftEntry, ...]) -> None:
            opened = next((s for s in shifts if s.is_open), None)
            if opened is None:
                self.message.show_error(_("No shift is open on this till."))
                return
            self.show_shift(opened)

        self.desk.session.query(lambda _t, _j: search.shifts()).success(chosen).failure(
            lambda error: show_problem(self.message, error)).run()

    def send_now(self) -> None:
        worker = self.desk.services.sync_worker
        if worker is None:
            self.message.show_error(_("This till is not linked to a hub."))
            return
        worker.wake()
        self.message.show_notice(_("Sending now; the list shows what is left when you look again."))

    def open_quarantine(self) -> None:
        """The quarantine, for those whose role may see it (the screens may be open to more people:
        anyone else asks a manager with Ctrl+Q on the sale screen)."""
        services = self.desk.services
        sync = services.sync
        if sync is None:
            self.message.show_error(_("This till is not linked to a hub."))
            return

        def check(till: Till) -> None:
            if till.day is not None:
                till.day.rules.permissions.check(till.staff(), Action.QUARANTINE)

        def show(_ok: None) -> None:
            dialog = QuarantineDialog(self.desk.session, sync, services.export_folder or Path.home(), self.window())
            open_over(self.window(), dialog, self.refresh)

        self.desk.session.query(lambda till, _j: check(till)).success(show).failure(
            lambda error: show_problem(self.message, error)).run()

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        actions = {Qt.Key.Key_S: self.send_now, Qt.Key.Key_Q: self.open_quarantine, Qt.Key.Key_A: self.show_every_shift,
                   Qt.Key.Key_O: self.show_open_shift, Qt.Key.Key_F5: self.refresh}
        if key in actions:
            actions[Qt.Key(key)]()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            move_selection(self.table, -1 if key == Qt.Key.Key_Up else 1)
        else:
            return False
        return True
