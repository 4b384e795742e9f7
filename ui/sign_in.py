"""The sign-in screen: cashier number, PIN, a keypad for touch; Enter signs in."""

from __future__ import annotations

from pos.i18n import _
from ui.keypad import Keypad
from ui.message_area import MessageArea
from ui.qt import QEvent, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QObject, QVBoxLayout, QWidget, Qt, Signal, qconnect
from ui.widgets.elided_label import ElidedLabel


class SignInScreen(QWidget):
    sign_in_requested = Signal(str, str)  # cashier number, PIN

    def __init__(self, store_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInScreen")
        title = QLabel(_("Sign in"), self)
        title.setObjectName("screenTitle")
        store = ElidedLabel(store_title, self)  # a long store name or address elides, whole in the tooltip
        store.setObjectName("subtleText")

        self.cashier_field = QLineEdit(self)
        self.cashier_field.setObjectName("cashierField")
        self.cashier_field.setPlaceholderText(_("Cashier number"))
        self.pin_field = QLineEdit(self)
        self.pin_field.setObjectName("pinField")
        self.pin_field.setPlaceholderText(_("PIN"))
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        for field in (self.cashier_field, self.pin_field):
            field.setMinimumHeight(56)
            field.installEventFilter(self)
        self.message = MessageArea(self)
        self.keypad = Keypad(self)
        self.keypad.target = self.cashier_field

        qconnect(self.cashier_field.returnPressed, self._cashier_entered)
        qconnect(self.pin_field.returnPressed, self.submit)
        qconnect(self.keypad.enter_pressed, self._keypad_enter)
        self._busy = False
        self._lay_out(title, store)

    def _lay_out(self, title: QLabel, store: QLabel) -> None:
        form = QGridLayout()
        form.setVerticalSpacing(12)
        form.addWidget(QLabel(_("Cashier number"), self), 0, 0)
        form.addWidget(self.cashier_field, 1, 0)
        form.addWidget(QLabel(_("PIN"), self), 2, 0)
        form.addWidget(self.pin_field, 3, 0)
        form.addWidget(self.message, 4, 0)
        form.setRowStretch(5, 1)
        panel = QHBoxLayout()
        panel.setSpacing(32)
        panel.addLayout(form, 3)
        panel.addWidget(self.keypad, 2)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(store)
        column.addSpacing(16)
        column.addLayout(panel, 1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)

    # -- behaviour ---------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keypad.target = watched
        return super().eventFilter(watched, event)

    def reset(self) -> None:
        """Ready for the next cashier: empty fields, focus on the cashier number."""
        self._busy = False
        self.cashier_field.clear()
        self.pin_field.clear()
        self.cashier_field.setFocus()
        self.keypad.target = self.cashier_field

    def _cashier_entered(self) -> None:
        if self.pin_field.text():
            self.submit()
        else:
            self.pin_field.setFocus()
            self.keypad.target = self.pin_field

    def _keypad_enter(self) -> None:
        if self.keypad.target is self.cashier_field:
            self._cashier_entered()
        else:
            self.submit()

    def submit(self) -> None:
        if self._busy:
            return
        code, pin = self.cashier_field.text().strip(), self.pin_field.text()
        if not code:
            self.message.show_error(_("Type your cashier number."))
            self.cashier_field.setFocus()
            return
        if not pin:
            self.message.show_error(_("Type your PIN."))
            self.pin_field.setFocus()
            return
        self._busy = True
        self.sign_in_requested.emit(code, pin)

    def refused(self, text: str) -> None:
        """Sign-in failed: say why, clear the PIN, let the cashier try again."""
        self._busy = False
        self.message.show_error(text)
        self.pin_field.clear()
        self.pin_field.setFocus()
        self.keypad.target = self.pin_field

    def show_error(self, text: str) -> None:  # a ProblemArea, for ui.errors.show_problem
        self.refused(text)
