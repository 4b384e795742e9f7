"""The lock screen over the sale: the basket stays, hidden; the cashier who locked it or a
manager types their number and PIN (the sign-in rules apply: wrong PINs lock the number out,
every try is recorded) and the sale goes on.  Esc does not close it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.i18n import _
from pos.till import TillResult
from ui.dialogs import ENTER_KEYS
from ui.errors import show_problem
from ui.message_area import MessageArea
from ui.qt import (
    QCloseEvent, QDialog, QHBoxLayout, QKeyEvent, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget,
    qconnect,
)
from ui.widgets.number_and_pin import NumberAndPin

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions
    from ui.session import TillSession


def lock_till(actions: SaleActions) -> None:
    """Lock the till (``till.lock``) and show the lock screen; nothing happens when nobody is
    signed in or it is locked already."""

    def locked(result: TillResult) -> None:
        if result.cashier is None or isinstance(actions.dialog, LockScreen):
            return
        if actions.dialog is not None:
            actions.dialog.reject()  # Esc for whatever was open: nothing half done is kept
        actions.open_dialog(LockScreen(actions.session, result.cashier.name, actions.window))

    actions.session.change(lambda till: till.lock()).success(locked).failure(actions.problem).run()


class LockScreen(QDialog):
    def __init__(self, session: TillSession, locked_by: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setWindowTitle(_("Till locked"))
        self.setModal(True)
        self.session = session
        self.busy = False
        title = QLabel(_("Till locked"), self)
        title.setObjectName("screenTitle")
        who = QLabel(_("The till is locked: {name} or a manager signs in to unlock it.").format(name=locked_by), self)
        who.setWordWrap(True)
        self.entry = NumberAndPin(self, number_label=_("Cashier number"), code_name="unlockCodeField",
                                  pin_name="unlockPinField")
        self.code_field, self.pin_field, self.keypad = self.entry.code_field, self.entry.pin_field, self.entry.keypad
        qconnect(self.entry.submitted, self.unlock)
        self.message = MessageArea(self)
        form = QVBoxLayout()
        form.addWidget(title)
        form.addWidget(who)
        self.entry.add_to(form)
        form.addWidget(self.message)
        form.addStretch(1)
        row = QHBoxLayout(self)
        row.addLayout(form, 3)
        row.addWidget(self.keypad, 2)
        if parent is not None:
            self.resize(parent.window().size())  # covers the sale: the basket is not on show
        self.code_field.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape or event.key() in ENTER_KEYS:
            return  # only a number and PIN open the till
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        event.ignore()

    def reject(self) -> None:
        """Nothing closes the lock screen but an unlock."""

    def unlock(self) -> None:
        if self.busy:
            return
        code, pin = self.code_field.text().strip(), self.pin_field.text()
        if not code:
            self._ask_for(_("Type your cashier number."), self.code_field)
            return
        if not pin:
            self._ask_for(_("Type your PIN."), self.pin_field)
            return
        self.busy = True
        self.session.change(lambda till: till.unlock(code, pin)).success(self._unlocked).failure(self._refused).run()

    def _unlocked(self, result: TillResult) -> None:
        self.busy = False
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.busy = False
        show_problem(self.message, error)
        self.pin_field.clear()
        self.pin_field.setFocus()
        self.keypad.target = self.pin_field

    def _ask_for(self, text: str, field: QLineEdit) -> None:
        self.message.show_error(text)
        field.setFocus()
        self.keypad.target = field
