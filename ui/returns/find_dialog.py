"""The first step of a return: scan the receipt's code (or type its number), or choose
"Without receipt".  The sale is looked for on the till worker with the dialog open: a
damaged code, another store's sale, a number no receipt has... is said under the field with
the text selected, to be scanned or typed again."""

from __future__ import annotations

from collections.abc import Callable

from pos.i18n import _
from pos.store_day.returns_desk import FoundSale, UncheckedSale
from ui.dialogs import TillDialog, big_button
from ui.keypad import Keypad
from ui.qt import QHBoxLayout, QKeyEvent, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget, qconnect

Found = FoundSale | UncheckedSale | None


class FindReturnDialog(TillDialog):
    """``look_up(text, found)`` runs the search and calls ``found`` with the sale (the dialog
    closes) or ``self.failed`` with the problem (it stays open)."""

    def __init__(self, look_up: Callable[[str], None], without_receipt: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Return or exchange"), parent)
        self.setObjectName("findReturnDialog")
        self._look_up = look_up
        self._without_receipt = without_receipt
        hint = QLabel(_("Scan the code on the receipt, or type the receipt number and press Enter."), self)
        hint.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setObjectName("receiptField")
        self.field.setMinimumHeight(56)
        self.field.setPlaceholderText(_("Receipt code or number"))
        qconnect(self.field.returnPressed, self.submit)
        keypad = Keypad(self)
        keypad.target = self.field
        qconnect(keypad.enter_pressed, self.submit)
        no_receipt = big_button(_("F2  Without receipt"), self, "withoutReceipt")
        qconnect(no_receipt.clicked, self.no_receipt)
        cancel = big_button(_("Esc  Cancel"), self)
        qconnect(cancel.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(no_receipt)
        buttons.addWidget(cancel)
        column = QVBoxLayout(self)
        column.addWidget(hint)
        column.addWidget(self.field)
        column.addWidget(self.message)
        column.addWidget(keypad, 1)
        column.addLayout(buttons)
        self.resize(520, 640)
        self.field.setFocus()

    def submit(self) -> None:
        text = self.field.text().strip()
        if not text:
            self.message.show_error(_("Scan the receipt's code or type its number first."))
            return
        if self.busy:
            return
        self.busy = True
        self.message.clear_message()
        self._look_up(text)

    def found(self) -> None:
        self.busy = False
        if not self.closed:
            self.accept()

    def failed(self, error: BaseException) -> None:
        super().failed(error)
        self.field.selectAll()
        self.field.setFocus()

    def no_receipt(self) -> None:
        self.accept()
        self._without_receipt()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_F2:
            self.no_receipt()
        else:
            super().keyPressEvent(event)
