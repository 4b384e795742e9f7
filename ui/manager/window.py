"""The manager's window: a column of big buttons (F1-F4, or touch) choosing one of four pages,
each its own module; Esc closes.  It fills the till's window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pos.i18n import _
from ui.dialogs import big_button
from ui.manager.common import Desk
from ui.manager.day_view import DayViewPage
from ui.manager.journal_page import JournalPage
from ui.manager.shift_history import ShiftHistoryPage
from ui.manager.unsent_page import UnsentPage
from ui.qt import QDialog, QHBoxLayout, QKeyEvent, QPushButton, QStackedWidget, Qt, QVBoxLayout, QWidget, qconnect

PAGE_KEYS = (Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4)
STYLE = "QPushButton:checked { background: #1f6feb; color: white; font-weight: bold; }"


class Page(Protocol):
    def refresh(self) -> None: ...

    def handle_key(self, event: QKeyEvent) -> bool: ...


class ManagerWindow(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerWindow")
        self.setWindowTitle(_("Manager screens"))
        self.setModal(True)
        self.setStyleSheet(STYLE)
        self.desk = desk
        self.shifts = ShiftHistoryPage(desk, self)
        self.journal = JournalPage(desk, self)
        self.unsent = UnsentPage(desk, self)
        self.day = DayViewPage(desk, self)
        self.shifts.show_receipts = lambda entry: self._then(1, lambda: self.journal.show_shift(entry))
        self.shifts.show_unsent = lambda entry: self._then(2, lambda: self.unsent.show_shift(entry))
        self.pages: tuple[QWidget, ...] = (self.shifts, self.journal, self.unsent, self.day)
        self.stack = QStackedWidget(self)
        for page in self.pages:
            self.stack.addWidget(page)
        side = QVBoxLayout()
        self.buttons: list[QPushButton] = []
        labels = (_("F1  Shifts"), _("F2  Journal"), _("F3  Unsent"), _("F4  Day view"))
        names = ("shiftsButton", "journalButton", "unsentButton", "dayButton")
        for index, (label, name) in enumerate(zip(labels, names, strict=True)):
            button = big_button(label, self, name)
            button.setCheckable(True)
            button.setMinimumWidth(170)
            qconnect(button.clicked, lambda _checked=False, i=index: self.show_page(i))
            side.addWidget(button)
            self.buttons.append(button)
        side.addStretch(1)
        close = big_button(_("Esc  Close"), self)
        qconnect(close.clicked, self.reject)
        side.addWidget(close)
        row = QHBoxLayout(self)
        row.addLayout(side)
        row.addWidget(self.stack, 1)
        if parent is not None:
            self.resize(parent.size())
        else:
            self.resize(1024, 768)
        self.show_page(0)

    def show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        for i, button in enumerate(self.buttons):
            button.setChecked(i == index)
        self._page(index).refresh()

    def _then(self, index: int, work: Callable[[], None]) -> None:
        """Go to page ``index`` showing what ``work`` sets (a shift's receipts, its unsent documents)."""
        self.stack.setCurrentIndex(index)
        for i, button in enumerate(self.buttons):
            button.setChecked(i == index)
        work()

    def _page(self, index: int) -> Page:
        page = self.pages[index]
        assert isinstance(page, (ShiftHistoryPage, JournalPage, UnsentPage, DayViewPage))
        return page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in PAGE_KEYS:
            self.show_page(PAGE_KEYS.index(Qt.Key(event.key())))
            return
        if self._page(self.stack.currentIndex()).handle_key(event):
            return
        super().keyPressEvent(event)
