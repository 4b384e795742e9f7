"""Taking cash: the amount due (and its cash rounding), what the customer hands over, quick
buttons for exact money and the usual notes.  Enter pays; a refused amount keeps the dialog
open with the reason; Esc cancels the payment and the sale goes back to scanning."""

from __future__ import annotations

from decimal import Decimal

from pos.i18n import _
from pos.money import Money
from pos.till import BasketView, TillResult
from ui import formatting
from ui.dialogs import TillDialog, big_button
from ui.qt import QGridLayout, QHBoxLayout, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget, qconnect
from ui.session import TillSession

NOTES = {
    "UAH": ("50", "100", "200", "500", "1000"),
    "EUR": ("5", "10", "20", "50", "100", "200"),
    "USD": ("5", "10", "20", "50", "100"),
    "PLN": ("10", "20", "50", "100", "200", "500"),
    "GEL": ("5", "10", "20", "50", "100", "200"),
    "AZN": ("5", "10", "20", "50", "100", "200"),
}
DEFAULT_NOTES = ("10", "20", "50", "100", "200", "500")


class PaymentDialog(TillDialog):
    def __init__(self, session: TillSession, view: BasketView, parent: QWidget | None = None) -> None:
        super().__init__(_("Pay cash"), parent)
        self.setObjectName("paymentDialog")
        self.session = session
        self.view = view
        self.sale_result: TillResult | None = None
        ui_locale = session.services.ui_locale
        due = view.cash_due

        caption = QLabel(_("To pay"), self)
        caption.setObjectName("sectionTitle")
        self.due_label = QLabel(formatting.money_with_currency(due, ui_locale), self)
        self.due_label.setObjectName("dueAmount")
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.rounding_label = QLabel(self._rounding_text(view, ui_locale), self)
        self.rounding_label.setObjectName("subtleText")
        self.rounding_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.rounding_label.setWordWrap(True)

        self.tendered_field = QLineEdit(self)
        self.tendered_field.setObjectName("tenderedField")
        self.tendered_field.setPlaceholderText(_("Cash received (empty = exact)"))
        self.tendered_field.setToolTip(self.tendered_field.placeholderText())  # Qt elides a long placeholder
        self.tendered_field.setMinimumHeight(64)
        self.tendered_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        qconnect(self.tendered_field.returnPressed, self.pay)

        column = QVBoxLayout(self)
        column.addWidget(caption)
        column.addWidget(self.due_label)
        column.addWidget(self.rounding_label)
        column.addWidget(QLabel(_("Cash received"), self))
        column.addWidget(self.tendered_field)
        column.addLayout(self._quick_buttons(due))
        column.addWidget(self.message)
        pay = big_button(_("Enter  Pay"), self, "primaryButton")
        qconnect(pay.clicked, self.pay)
        cancel = big_button(_("Esc  Cancel payment"), self)
        qconnect(cancel.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(pay)
        buttons.addWidget(cancel)
        column.addLayout(buttons)
        self.resize(560, 560)
        self.tendered_field.setFocus()

    @staticmethod
    def _rounding_text(view: BasketView, ui_locale: str) -> str:
        rounding = view.cash_due - view.total
        if rounding.is_zero():
            return ""
        return _("Total {total}, cash rounding {rounding}").format(
            total=formatting.money(view.total, ui_locale), rounding=formatting.money(rounding, ui_locale)
        )

    def _quick_buttons(self, due: Money) -> QGridLayout:
        ui_locale = self.session.services.ui_locale
        grid = QGridLayout()
        grid.setSpacing(8)
        exact = big_button(_("Exact"), self)
        qconnect(exact.clicked, lambda _c=False: self.pay_amount(""))
        grid.addWidget(exact, 0, 0)
        for i, note in enumerate(NOTES.get(due.currency, DEFAULT_NOTES), start=1):
            button = big_button(formatting.count(Decimal(note), ui_locale), self)  # 1 000 in uk
            button.setEnabled(Decimal(note) >= due.amount)  # a note smaller than the bill cannot pay it
            qconnect(button.clicked, lambda _c=False, amount=note: self.pay_amount(amount))
            grid.addWidget(button, i // 4, i % 4)
        return grid

    # -- paying ------------------------------------------------------------------------
    def pay(self) -> None:
        """What was typed, read as the screen writes amounts (``1,234.50`` en, ``1.234,50`` az)."""
        self.pay_amount(formatting.as_typed(self.tendered_field.text(), self.session.services.ui_locale))

    def pay_amount(self, text: str) -> None:
        self.run_then_close(self.session.change(lambda till: till.pay_cash(text)), self._paid)

    def _paid(self, result: TillResult) -> None:
        self.sale_result = result

    def failed(self, error: BaseException) -> None:
        super().failed(error)
        if self.closed:
            return
        self.tendered_field.selectAll()
        self.tendered_field.setFocus()

    def reject(self) -> None:
        """Esc: give the basket back to scanning (unless a payment is on its way)."""
        if self.busy:
            return
        self.session.change(lambda till: till.cancel_payment()).run()
        super().reject()
