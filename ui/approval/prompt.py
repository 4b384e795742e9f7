"""The manager approval prompt: who asks, for what and how much; the manager's number, PIN
(masked) and a reason from the chain's list; a keypad for touch.

Opening it asks the store's day for a one-time request (``till.day.ask``) on the till worker;
Enter sends the manager's number, PIN and reason (``till.day.approve``, through the sign-in
rules: wrong PINs lock the number out and every try is recorded).  A refusal (wrong PIN,
lockout, the asker approving their own request, not a manager, no reason) is said in the
prompt, which stays open with the PIN cleared.  Once approved the prompt closes and
``then(approval_id)`` runs the action.  Esc drops the request (``till.day.drop``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from pos.i18n import _
from pos.store_day.approval import Approval, ApprovalRequest, ApprovalUnknown, ReasonCode, RequestExpired
from pos.store_day.day import NeedsApproval
from pos.store_day.roles import ACTION_NAMES
from pos.till import Till
from ui import formatting
from ui.dialogs import ENTER_KEYS, big_button
from ui.errors import show_problem
from ui.message_area import MessageArea
from ui.qt import (
    QDialog, QGridLayout, QHBoxLayout, QKeyEvent, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout,
    QWidget, qconnect,
)
from ui.widgets.number_and_pin import NumberAndPin

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions

CHOSEN_REASON = "QPushButton#reasonButton:checked { background: #cfe0f7; border: 3px solid #1f4e8c; font-weight: bold; }"


def open_prompt(actions: SaleActions, needed: NeedsApproval, then: Callable[[uuid.UUID], None]) -> ApprovalPrompt:
    """Open the prompt over the sale screen; ``then(approval_id)`` once a manager approved."""
    prompt = ApprovalPrompt(actions, needed, then, actions.window)
    underneath = actions.dialog  # a dialog that asked (a return): the sale screen's dialog again after
    actions.open_dialog(prompt)
    if underneath is not None:
        qconnect(prompt.finished, lambda _code: _back_to(actions, underneath))
    prompt.ask()
    return prompt


def _back_to(actions: SaleActions, dialog: QDialog) -> None:
    try:
        still_open = dialog.isVisible()
    except RuntimeError:  # already deleted
        return
    if still_open and actions.dialog is None:
        actions.dialog = dialog


def request_text(needed: NeedsApproval, ui_locale: str) -> str:
    """"Olena asks: Void a line, 120,00 UAH" in the UI's language."""
    what = _(ACTION_NAMES[needed.action])
    if needed.amount is not None:
        what = _("{action}, {amount}").format(action=what, amount=formatting.money_with_currency(needed.amount, ui_locale))
    return _("{name} asks: {action}").format(name=needed.who.cashier.name, action=what)


class ApprovalPrompt(QDialog):
    def __init__(self, actions: SaleActions, needed: NeedsApproval, then: Callable[[uuid.UUID], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalPrompt")
        self.setWindowTitle(_("Manager approval"))
        self.setModal(True)
        self.session = actions.session
        self.needed = needed
        self._then = then
        self._request: ApprovalRequest | None = None  # set and read on the till worker only
        self.approval_id: uuid.UUID | None = None
        self.busy = False
        self.closed = False
        day = actions.session.services.store_day
        self.reasons: tuple[ReasonCode, ...] = day.rules.reasons.reasons if day is not None else ()
        self.reason: ReasonCode | None = None
        self._build(actions.session.services.ui_locale)
        self.setStyleSheet(CHOSEN_REASON)

    # -- layout ------------------------------------------------------------------------
    def _build(self, ui_locale: str) -> None:
        title = QLabel(_("Manager approval"), self)
        title.setObjectName("screenTitle")
        asks = QLabel(request_text(self.needed, ui_locale), self)
        asks.setObjectName("approvalRequest")
        asks.setWordWrap(True)
        self.entry = NumberAndPin(self, number_label=_("Manager number"), code_name="managerCodeField",
                                  pin_name="managerPinField")
        self.code_field, self.pin_field, self.keypad = self.entry.code_field, self.entry.pin_field, self.entry.keypad
        qconnect(self.entry.submitted, self.approve)
        self.message = MessageArea(self)

        form = QVBoxLayout()
        self.entry.add_to(form)
        hint = QLabel(_("Reason (touch one, or Up/Down):"), self)
        hint.setObjectName("subtleText")
        form.addWidget(hint)
        form.addLayout(self._reason_buttons())
        form.addWidget(self.message)
        form.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(form, 3)
        top.addWidget(self.keypad, 2)
        approve = big_button(_("Enter  {action}").format(action=_("Approve")), self, "primaryButton")
        qconnect(approve.clicked, self.approve)
        cancel = big_button(_("Esc  Cancel"), self)
        qconnect(cancel.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(approve)
        buttons.addWidget(cancel)
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(asks)
        column.addLayout(top, 1)
        column.addLayout(buttons)
        self.resize(960, 700)
        self.code_field.setFocus()

    def _reason_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        self.reason_buttons: list[QPushButton] = []
        for index, reason in enumerate(self.reasons):
            button = big_button(reason.label, self, "reasonButton")
            button.setCheckable(True)
            qconnect(button.clicked, lambda _checked=False, i=index: self.choose_reason(i))
            grid.addWidget(button, index // 2, index % 2)
            self.reason_buttons.append(button)
        return grid

    # -- behaviour ---------------------------------------------------------------------
    def choose_reason(self, index: int) -> None:
        if not self.reasons:
            return
        index %= len(self.reasons)
        self.reason = self.reasons[index]
        for i, button in enumerate(self.reason_buttons):
            button.setChecked(i == index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.reasons:
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            current = self.reasons.index(self.reason) if self.reason is not None else (-1 if step > 0 else 0)
            self.choose_reason(current + step)
            return
        if event.key() in ENTER_KEYS:
            return  # Enter in a field submits through the field; never the dialog's default button
        super().keyPressEvent(event)

    def ask(self) -> None:
        """A fresh one-time request on the till worker (again after one expired)."""
        needed = self.needed

        def ask(till: Till, _journal: object) -> ApprovalRequest:
            assert till.day is not None  # NeedsApproval comes from the store's day
            self._request = till.day.ask(needed)
            return self._request

        self.session.query(ask).failure(self._failed).run()

    def approve(self) -> None:
        if self.busy or self.approval_id is not None:
            return
        code, pin = self.code_field.text().strip(), self.pin_field.text()
        if not code:
            self._refuse(_("Type the manager's number."), self.code_field)
            return
        if not pin:
            self._refuse(_("Type the manager's PIN."), self.pin_field)
            return
        if self.reason is None:
            self.message.show_error(_("Choose a reason."))
            return
        reason = self.reason.code
        self.busy = True

        def approve(till: Till, _journal: object) -> Approval:
            assert till.day is not None
            if self._request is None:  # the request could not be made: ask again, then approve
                self._request = till.day.ask(self.needed)
            return till.day.approve(self._request.request_id, code, pin, reason)

        self.session.query(approve).success(self._approved).failure(self._failed).run()

    def _approved(self, approval: Approval) -> None:
        self.busy = False
        if self.closed:
            return  # closed meanwhile (Esc): the request was dropped, nothing is done
        self.approval_id = approval.request.request_id
        self.accept()
        self._then(self.approval_id)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        if self.closed:
            show_problem(None, error)  # logged; the prompt is gone
            return
        show_problem(self.message, error)
        self.pin_field.clear()
        self.pin_field.setFocus()
        self.keypad.target = self.pin_field
        if isinstance(error, (RequestExpired, ApprovalUnknown)):
            self._request = None  # read on the worker: the next approve asks again first

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.message.show_error(text)
        field.setFocus()
        self.keypad.target = field

    def done(self, code: int) -> None:
        if code != QDialog.DialogCode.Accepted and self.approval_id is None:
            self.session.query(self._drop).run()
        self.closed = True
        super().done(code)

    def _drop(self, till: Till, _journal: object) -> None:
        if till.day is not None and self._request is not None:
            till.day.drop(self._request.request_id)
