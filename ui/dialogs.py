"""Small dialogs of the till: a base that runs one op and stays open on failure, an entry
dialog (quantity, weight) and a yes/no confirmation (Enter = yes, Esc = no).

Dialogs open with ``open()`` (window-modal, no nested event loop) and report through
``accepted``/``rejected``; the scan field gets the keyboard back when they close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos.i18n import _, active_locale
from ui.errors import show_problem
from ui.formatting import decimal_point
from ui.keypad import Keypad
from ui.message_area import MessageArea
from ui.operations import Op
from ui.qt import QDialog, QHBoxLayout, QKeyEvent, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget, qconnect
from ui.widgets.fitting_button import FittingButton

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def big_button(text: str, parent: QWidget, name: str = "dialogButton") -> QPushButton:
    """A touch-sized button that never takes the keyboard or acts as the default button."""
    button = FittingButton(text, parent)  # long words take a smaller font rather than lose letters
    button.setObjectName(name)
    button.setMinimumSize(120, 56)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    button.setDefault(False)
    return button


class TillDialog(QDialog):
    """A dialog that runs one op at a time: closes on success, shows the problem on failure."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.message = MessageArea(self)
        self.busy = False
        self.closed = False  # results that arrive after closing are ignored
        self.result_value: Any = None

    def done(self, code: int) -> None:
        self.closed = True
        super().done(code)

    def run_then_close(self, op: Op[Any], on_success: Callable[[Any], None] | None = None) -> None:
        if self.busy:
            return
        self.busy = True

        def succeeded(result: Any) -> None:
            self.busy = False
            if self.closed:
                return
            self.result_value = result
            if on_success:
                on_success(result)
            self.accept()

        op.success(succeeded).failure(self.failed).run()

    def failed(self, error: BaseException) -> None:
        self.busy = False
        if self.closed:
            show_problem(None, error)  # logged; the dialog is gone
            return
        show_problem(self.message, error)


class EntryDialog(TillDialog):
    """One number to type (a quantity, a weight): Enter submits, Esc closes."""

    def __init__(
        self,
        title: str,
        prompt: str,
        initial: str,
        submit: Callable[[str], Op[Any]],
        parent: QWidget | None = None,
        ui_locale: str | None = None,
    ) -> None:
        """``initial`` is written as ``ui_locale`` (the UI's language if None) writes numbers;
        the keypad's point key types that locale's decimal sign, which the till reads back."""
        super().__init__(title, parent)
        self.setObjectName("entryDialog")
        self._submit = submit
        prompt_label = QLabel(prompt, self)
        prompt_label.setWordWrap(True)
        self.field = QLineEdit(initial, self)
        self.field.setObjectName("entryField")
        self.field.setMinimumHeight(56)
        self.field.selectAll()
        keypad = Keypad(self, with_point=True, point=decimal_point(ui_locale or active_locale()))
        keypad.target = self.field
        qconnect(keypad.enter_pressed, self.submit)
        qconnect(self.field.returnPressed, self.submit)
        cancel = big_button(_("Esc  Cancel"), self)
        qconnect(cancel.clicked, self.reject)
        column = QVBoxLayout(self)
        column.addWidget(prompt_label)
        column.addWidget(self.field)
        column.addWidget(self.message)
        column.addWidget(keypad)
        column.addWidget(cancel)
        self.resize(480, 640)  # room for a two-line prompt above the keypad (768 px screens)

    def submit(self) -> None:
        self.run_then_close(self._submit(self.field.text()))


class ConfirmDialog(QDialog):
    """A yes/no question: Enter (or the first button) says yes, Esc (or the second) says no."""

    def __init__(self, title: str, question: str, yes: str, no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        label = QLabel(question, self)
        label.setObjectName("question")
        label.setWordWrap(True)
        yes_button = big_button(_("Enter  {action}").format(action=yes), self, "dangerButton")
        no_button = big_button(_("Esc  {action}").format(action=no), self)
        qconnect(yes_button.clicked, self.accept)
        qconnect(no_button.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(yes_button)
        buttons.addWidget(no_button)
        column = QVBoxLayout(self)
        column.addWidget(label)
        column.addLayout(buttons)
        self.resize(520, 220)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in ENTER_KEYS:
            self.accept()
        else:
            super().keyPressEvent(event)
