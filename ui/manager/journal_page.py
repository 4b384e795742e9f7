"""Journal search: sales and returns by receipt number, days, amount, cashier and tender (each
field optional; Enter searches), newest first.  The chosen one opens (F5) to be read and
printed again.  A field that cannot be read is said under the fields; nothing is searched."""

from __future__ import annotations

from datetime import datetime

from local_db.journal_search import RETURN, SALE, Found, JournalEntry, JournalQuery, ShiftEntry
from pos.errors import PosError
from pos.i18n import N_, _
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.keypad import Keypad
from ui.list_model import RowsModel, list_table, move_selection, selected_row
from ui.manager.common import TABLE_STYLE, Desk, TwoLineHeaders, open_over, tender_name
from ui.manager.document_view import DocumentDialog
from ui.manager.search_form import SearchFields, read_query
from ui.message_area import MessageArea
from ui.qt import (
    QEvent, QGridLayout, QHBoxLayout, QKeyEvent, QLabel, QLineEdit, QObject, Qt, QVBoxLayout, QWidget,
    qconnect,
)

HEADERS = (N_("Document"), N_("Time"), N_("Cashier"), N_("Amount"), N_("Paid by"), N_("Hub"))
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
TENDER_CHOICES = (None, "cash", "card", "exchange_credit", "points", "gift_card")
KIND_CHOICES = ("all", SALE, RETURN)
KIND_NAMES = {"all": N_("Sales and returns"), SALE: N_("Sales"), RETURN: N_("Returns")}


def entry_name(entry: JournalEntry) -> str:
    if entry.kind == SALE:
        return _("Receipt {number}").format(number=entry.number)
    if entry.original_receipt:
        return _("Return {number} (receipt {receipt})").format(number=entry.number, receipt=entry.original_receipt)
    return _("Return {number}").format(number=entry.number)


def hub_state(entry: JournalEntry) -> str:
    if entry.sent:
        return _("sent")
    return _("refused") if entry.quarantined else _("waiting")


class JournalPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journalPage")
        self.desk = desk
        self.shift: ShiftEntry | None = None  # only this shift's documents
        self.tender_index, self.kind_index = 0, 0
        self.fields: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        labels = {"number": _("Receipt no."), "first_day": _("From day"), "last_day": _("To day"),
                  "amount": _("Amount"), "cashier": _("Cashier")}
        for index, (name, label) in enumerate(labels.items()):
            field = QLineEdit(self)
            field.setObjectName(f"{name}Field")
            field.setMinimumHeight(48)
            field.installEventFilter(self)
            self.fields[name] = field
            grid.addWidget(QLabel(label, self), index // 2, (index % 2) * 2)
            grid.addWidget(field, index // 2, (index % 2) * 2 + 1)
        example = "12/1/2026" if desk.ui_locale.startswith("en") else "01.12.2026"  # as the list writes days
        self.fields["first_day"].setPlaceholderText(example)
        self.fields["last_day"].setPlaceholderText(example)
        self.tender_button = big_button("", self, "tenderButton")
        self.kind_button = big_button("", self, "kindButton")
        qconnect(self.tender_button.clicked, self.next_tender)
        qconnect(self.kind_button.clicked, self.next_kind)
        grid.addWidget(self.tender_button, 2, 2, 1, 2)
        grid.addWidget(self.kind_button, 3, 2, 1, 2)
        self.keypad = Keypad(self, with_point=True, point=".")
        self.keypad.target = self.fields["number"]
        self.keypad.setMaximumWidth(260)
        qconnect(self.keypad.enter_pressed, self.search)
        self.shift_label = QLabel("", self)
        self.shift_label.setObjectName("hint")
        self.message = MessageArea(self)
        self.model: RowsModel[JournalEntry] = TwoLineHeaders(HEADERS, self._cells, frozenset({3}), self)
        self.table = list_table(self.model, 4, self)  # "Paid by" gives way first: a split reads "Card, Ca…"
        self.table.setStyleSheet(TABLE_STYLE)
        search = big_button(_("Enter  Search"), self, "primaryButton")
        clear = big_button(_("F6  Clear"), self)
        self.open_button = big_button(_("F5  Open"), self)
        qconnect(search.clicked, self.search)
        qconnect(clear.clicked, self.clear)
        qconnect(self.open_button.clicked, self.open_chosen)
        buttons = QHBoxLayout()
        for button in (search, clear, self.open_button):
            buttons.addWidget(button)
        top = QHBoxLayout()
        form = QVBoxLayout()
        form.addLayout(grid)
        form.addWidget(self.shift_label)
        form.addWidget(self.message)
        form.addLayout(buttons)
        top.addLayout(form, 1)
        top.addWidget(self.keypad)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        self._label_choices()
        self.found: Found | None = None

    # -- fields ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keypad.target = watched  # the keypad types where the manager last touched
        return super().eventFilter(watched, event)

    def _label_choices(self) -> None:
        tender = TENDER_CHOICES[self.tender_index]
        self.tender_button.setText(_("Paid by: {tender}").format(
            tender=_("any") if tender is None else tender_name(tender)))
        self.kind_button.setText(_(KIND_NAMES[KIND_CHOICES[self.kind_index]]))

    def next_tender(self) -> None:
        self.tender_index = (self.tender_index + 1) % len(TENDER_CHOICES)
        self._label_choices()

    def next_kind(self) -> None:
        self.kind_index = (self.kind_index + 1) % len(KIND_CHOICES)
        self._label_choices()

    def typed(self) -> SearchFields:
        text = {name: field.text() for name, field in self.fields.items()}
        return SearchFields(tender=TENDER_CHOICES[self.tender_index], kind=KIND_CHOICES[self.kind_index], **text)

    def clear(self) -> None:
        for field in self.fields.values():
            field.clear()
        self.tender_index = self.kind_index = 0
        self.shift = None
        self.shift_label.clear()
        self._label_choices()
        self.message.clear_message()
        self.search()

    def show_shift(self, shift: ShiftEntry) -> None:
        """Only the documents of ``shift`` (from the shift history), the other fields emptied."""
        for field in self.fields.values():
            field.clear()
        self.shift = shift
        self.shift_label.setText(_("Only the shift opened {opened} by {name} (F6 shows every shift).").format(
            opened=self.desk.time(shift.opened_at), name=shift.opened_by))
        self.search()

    # -- searching -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.found is None:
            self.search()
        self.fields["number"].setFocus()

    def search(self) -> None:
        desk = self.desk
        try:
            query = read_query(self.typed(), currency=desk.services.store.currency, zone=desk.zone,
                               today=datetime.now(desk.zone).date(), ui_locale=desk.ui_locale)
        except PosError as error:
            show_problem(self.message, error)
            return
        if self.shift is not None:
            query = JournalQuery(query.number, query.since, query.until, query.amount, query.cashier, query.tender,
                                 query.kinds, self.shift.shift_id)
        search = desk.search
        desk.session.query(lambda _t, _j: search.search(query)).success(self._show).failure(
            lambda error: show_problem(self.message, error)).run()

    def _show(self, found: Found) -> None:
        self.found = found
        self.model.set_items(found.entries)
        if found.entries:
            self.table.selectRow(0)
        if found.more:
            self.message.show_notice(_("Only the newest {count} are shown: narrow the search.").format(
                count=len(found.entries)))
        elif not found.entries:
            self.message.show_notice(_("Nothing in the journal matches."))
        else:
            self.message.show_notice(_("{count} found.").format(count=len(found.entries)))

    def _cells(self, e: JournalEntry) -> tuple[str, ...]:
        amount = self.desk.money(e.amount)
        return (entry_name(e), self.desk.time(e.at), e.cashier, amount if e.kind == SALE else f"−{amount}",
                ", ".join(tender_name(t) for t in e.tenders), hub_state(e))

    def open_chosen(self) -> None:
        row = selected_row(self.table)
        entry = self.model.item(row) if row is not None else None
        if entry is None:
            self.message.show_error(_("Search, then choose a receipt (Up/Down)."))
            return
        open_over(self.window(), DocumentDialog(self.desk, entry, self.window()))

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in ENTER_KEYS:
            self.search()
        elif key == Qt.Key.Key_F5:
            self.open_chosen()
        elif key == Qt.Key.Key_F6:
            self.clear()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            move_selection(self.table, -1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_PageDown:
            self.next_tender()
        elif key == Qt.Key.Key_PageUp:
            self.next_kind()
        else:
            return False
        return True

