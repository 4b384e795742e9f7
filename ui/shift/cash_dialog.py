"""Cash put into the drawer or taken out: the amount (typed, or the keypad by touch) and a
reason from the list (touched, or its F-key).  Enter records it; a refused amount or a missing
reason keeps the dialog open with what is wrong."""

from __future__ import annotations

from collections.abc import Callable

from pos.i18n import _
from pos.store_day.shift_desk import CashReason
from ui import formatting
from ui.dialogs import big_button
from ui.errors import describe_problem
from ui.keypad import Keypad
from ui.message_area import MessageArea
from ui.qt import QDialog, QGridLayout, QHBoxLayout, QKeyEvent, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget, qconnect

REASON_KEYS = (Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5, Qt.Key.Key_F6)


class CashDialog(QDialog):
    """``submit(amount_text, reason_code)`` runs on Enter; the caller closes the dialog
    (``accept``) or shows a problem in it (``failed``)."""

    def __init__(self, title: str, reasons: tuple[CashReason, ...], currency: str, ui_locale: str,
                 submit: Callable[[str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.ui_locale = ui_locale
        self._submit = submit
        self.busy = False
        self.reason: str | None = None
        heading = QLabel(title, self)
        heading.setObjectName("screenTitle")
        self.amount_field = QLineEdit(self)
        self.amount_field.setObjectName("cashAmountField")
        self.amount_field.setPlaceholderText(_("Amount in {currency}").format(currency=currency))
        self.amount_field.setMinimumHeight(64)
        self.amount_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        qconnect(self.amount_field.returnPressed, self.submit)
        self.keypad = Keypad(self, with_point=True, point=formatting.decimal_point(ui_locale))
        self.keypad.target = self.amount_field
        qconnect(self.keypad.enter_pressed, self.submit)
        self.message = MessageArea(self)
        self.reason_buttons: dict[str, QPushButton] = {}
        reasons_grid = QGridLayout()
        for index, reason in enumerate(reasons[:len(REASON_KEYS)]):
            button = big_button(f"F{index + 1}  {_(reason.label)}", self)
            button.setObjectName(f"reason_{reason.code}")
            button.setCheckable(True)
            qconnect(button.clicked, lambda _c=False, code=reason.code: self.choose(code))
            reasons_grid.addWidget(button, index // 2, index % 2)
            self.reason_buttons[reason.code] = button
        self._reasons = reasons
        record = big_button(_("Enter  Record"), self, "primaryButton")
        qconnect(record.clicked, self.submit)
        cancel = big_button(_("Esc  Cancel"), self)
        qconnect(cancel.clicked, self.reject)

        left = QVBoxLayout()
        left.addWidget(QLabel(_("Amount"), self))
        left.addWidget(self.amount_field)
        reason_title = QLabel(_("Reason"), self)
        reason_title.setObjectName("sectionTitle")
        left.addWidget(reason_title)
        left.addLayout(reasons_grid)
        left.addWidget(self.message)
        left.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addWidget(self.keypad, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(record)
        buttons.addWidget(cancel)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addLayout(top, 1)
        column.addLayout(buttons)
        self.resize(900, 620)
        self.amount_field.setFocus()

    def choose(self, code: str) -> None:
        self.reason = code
        for other, button in self.reason_buttons.items():
            button.setChecked(other == code)
        self.amount_field.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in REASON_KEYS[:len(self._reasons)]:
            self.choose(self._reasons[REASON_KEYS.index(event.key())].code)
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        if self.busy:
            return
        if self.reason is None:
            self.message.show_error(_("Choose a reason for the cash from the list."))
            return
        self.busy = True
        self._submit(formatting.as_typed(self.amount_field.text(), self.ui_locale), self.reason)

    def reject(self) -> None:
        """Esc: nothing is recorded (not while the count or amount is on its way)."""
        if not self.busy:
            super().reject()

    def failed(self, error: BaseException) -> None:
        self.busy = False
        self.message.show_error(describe_problem(error))
        self.amount_field.selectAll()
        self.amount_field.setFocus()
