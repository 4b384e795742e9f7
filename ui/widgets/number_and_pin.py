"""A person's number and PIN typed at a prompt (a manager's approval, unlocking the till), with a
keypad that types into the field touched last: Enter in the number moves to the PIN (or submits
when the PIN is typed already), Enter in the PIN or on the keypad there submits."""

from __future__ import annotations

from pos.i18n import _
from ui.keypad import Keypad
from ui.qt import QEvent, QLabel, QLineEdit, QObject, QVBoxLayout, QWidget, Signal, qconnect


class NumberAndPin(QObject):
    submitted = Signal()

    def __init__(self, parent: QWidget, *, number_label: str, code_name: str, pin_name: str) -> None:
        super().__init__(parent)
        self.number_label = number_label
        self.code_field = QLineEdit(parent)
        self.code_field.setObjectName(code_name)
        self.code_field.setPlaceholderText(number_label)
        self.pin_field = QLineEdit(parent)
        self.pin_field.setObjectName(pin_name)
        self.pin_field.setPlaceholderText(_("PIN"))
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        for field in (self.code_field, self.pin_field):
            field.setMinimumHeight(56)
            field.installEventFilter(self)
        qconnect(self.code_field.returnPressed, self._code_entered)
        qconnect(self.pin_field.returnPressed, self.submitted.emit)
        self.keypad = Keypad(parent)
        self.keypad.target = self.code_field
        qconnect(self.keypad.enter_pressed, self._keypad_enter)

    def add_to(self, form: QVBoxLayout) -> None:
        """The two fields, each under its label (the keypad is placed by the prompt)."""
        parent = self.code_field.parentWidget()
        form.addWidget(QLabel(self.number_label, parent))
        form.addWidget(self.code_field)
        form.addWidget(QLabel(_("PIN"), parent))
        form.addWidget(self.pin_field)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keypad.target = watched
        return super().eventFilter(watched, event)

    def _code_entered(self) -> None:
        if self.pin_field.text():
            self.submitted.emit()
        else:
            self.pin_field.setFocus()
            self.keypad.target = self.pin_field

    def _keypad_enter(self) -> None:
        if self.keypad.target is self.code_field:
            self._code_entered()
        else:
            self.submitted.emit()
