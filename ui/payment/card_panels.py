"""The card states of the payment dialog, each a page of its stack:

- ``WaitPanel``: the customer is at the terminal ("Follow the terminal"), with a Cancel that
  asks the terminal to cancel (the answer comes back through the payment itself);
- ``CheckPanel``: the terminal did not say whether the customer paid: the sale stays open,
  never charged twice: "Ask the terminal again", and "Type the approval code" from its slip;
- ``CodePanel``: the approval code (and, if the cashier wishes, the card's last 4 digits)
  typed from a standalone terminal's slip (manual mode, or to settle a payment in doubt).
"""

from __future__ import annotations

from pos.i18n import _
from ui.dialogs import big_button
from ui.message_area import MessageArea
from ui.qt import QHBoxLayout, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget


def _title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionTitle")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _text(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class WaitPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardWaitPanel")
        self.amount = _text(self, "dueAmount")
        self.hint = _text(self, "subtleText")
        self.cancel_button = big_button(_("Esc  Cancel at the terminal"), self)
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(_title(_("Follow the terminal"), self))
        column.addWidget(self.amount)
        column.addWidget(self.hint)
        column.addStretch(1)
        column.addWidget(self.cancel_button)

    def waiting(self, amount_text: str) -> None:
        self.amount.setText(amount_text)
        self.hint.setText(_("The customer pays on the card terminal. The till waits for its answer."))
        self.cancel_button.setEnabled(True)

    def cancelling(self) -> None:
        self.hint.setText(_("Asking the terminal to cancel…"))
        self.cancel_button.setEnabled(False)


class CheckPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardCheckPanel")
        self.explanation = _text(self, "cardCheckText")
        self.message = MessageArea(self)
        self.ask_button = big_button(_("Enter  Ask the terminal again"), self, "primaryButton")
        self.code_button = big_button(_("F2  Type the approval code"), self)
        self.not_charged_button = big_button(_("F3  Not charged (manager)"), self)
        self.not_charged_button.setObjectName("notChargedButton")
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(_title(_("Check the terminal"), self))
        column.addWidget(self.explanation)
        column.addWidget(self.message)
        column.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ask_button)
        buttons.addWidget(self.code_button)
        buttons.addWidget(self.not_charged_button)
        column.addLayout(buttons)


class CodePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardCodePanel")
        self.amount = _text(self, "dueAmount")
        self.code_field = QLineEdit(self)
        self.code_field.setObjectName("approvalCodeField")
        self.code_field.setPlaceholderText(_("Approval code from the slip"))
        self.code_field.setMinimumHeight(56)
        self.digits_field = QLineEdit(self)
        self.digits_field.setObjectName("cardDigitsField")
        self.digits_field.setPlaceholderText(_("Card's last 4 digits (optional)"))
        self.digits_field.setMinimumHeight(56)
        self.message = MessageArea(self)
        self.pay_button = big_button(_("Enter  Pay by card"), self, "primaryButton")
        self.back_button = big_button(_("Esc  Back"), self)
        column = QVBoxLayout(self)
        column.addWidget(_title(_("Card payment on a standalone terminal"), self))
        column.addWidget(self.amount)
        column.addWidget(QLabel(_("Approval code"), self))
        column.addWidget(self.code_field)
        column.addWidget(QLabel(_("Card's last 4 digits"), self))
        column.addWidget(self.digits_field)
        column.addWidget(self.message)
        column.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pay_button)
        buttons.addWidget(self.back_button)
        column.addLayout(buttons)

    def start(self, amount_text: str) -> None:
        self.amount.setText(amount_text)
        self.code_field.clear()
        self.digits_field.clear()
        self.message.clear_message()
        self.code_field.setFocus()
