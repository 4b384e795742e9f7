"""Taking cash: the amount due (and its cash rounding), what the customer hands over, typed or
given by touch alone: an on-screen keypad, note buttons that each add that note to the cash
received (Clear starts again) and Exact for exact money.  Enter pays; a refused amount (too
little, or one the shop's coins cannot make) keeps the dialog open with the reason; Esc
cancels the payment and the sale goes back to scanning."""

from __future__ import annotations

from decimal import Decimal

from pos.errors import PosError
from pos.i18n import _
from pos.money import Money, parse_amount
from pos.till import BasketView, TillResult
from ui import formatting
from ui.dialogs import TillDialog, big_button
from ui.keypad import Keypad
from ui.errors import show_problem
from ui.qt import QGridLayout, QHBoxLayout, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget, qconnect
from ui.session import TillSession

NOTES = {
    "UAH": ("10", "20", "50", "100", "200", "500", "1000"),
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

        self.keypad = Keypad(self, with_point=True, point=formatting.decimal_point(ui_locale), with_enter=False)
        self.keypad.target = self.tendered_field  # the dialog's own Enter button pays

        left = QVBoxLayout()
        left.addWidget(caption)
        left.addWidget(self.due_label)
        left.addWidget(self.rounding_label)
        left.addWidget(QLabel(_("Cash received"), self))
        left.addWidget(self.tendered_field)
        notes_hint = QLabel(_("Each note adds to the cash received"), self)
        notes_hint.setObjectName("subtleText")
        notes_hint.setWordWrap(True)
        left.addWidget(notes_hint)
        left.addLayout(self._quick_buttons(due))
        left.addWidget(self.message)
        left.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addWidget(self.keypad, 2)
        column = QVBoxLayout(self)
        column.addLayout(top)
        pay = big_button(_("Enter  Pay"), self, "primaryButton")
        qconnect(pay.clicked, self.pay)
        cancel = big_button(_("Esc  Cancel payment"), self)
        qconnect(cancel.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(pay)
        buttons.addWidget(cancel)
        column.addLayout(buttons)
        self.resize(880, 600)  # the keypad beside the amounts: fits a 1024×768 screen
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
        notes = NOTES.get(due.currency, DEFAULT_NOTES)
        for i, note in enumerate(notes, start=1):
            button = big_button(formatting.count(Decimal(note), ui_locale), self)  # 1 000 in uk
            button.setObjectName("noteButton")
            qconnect(button.clicked, lambda _c=False, amount=note: self.add_note(Money.of(amount, due.currency)))
            grid.addWidget(button, i // 4, i % 4)
        clear = big_button(_("Clear"), self)
        clear.setObjectName("clearButton")
        qconnect(clear.clicked, self.clear_tendered)
        end = len(notes) + 1
        grid.addWidget(clear, end // 4, end % 4)
        return grid

    # -- touch -------------------------------------------------------------------------
    def add_note(self, note: Money) -> None:
        """A note handed over: added to the cash received so far (an empty field is nothing yet)."""
        ui_locale = self.session.services.ui_locale
        text = formatting.as_typed(self.tendered_field.text(), ui_locale)
        try:
            so_far = parse_amount(text, note.currency) if text.strip() else Money.zero(note.currency)
        except PosError as error:
            show_problem(self.message, error)
            return
        self.tendered_field.setText(formatting.money(so_far + note, ui_locale))
        self.message.clear_message()

    def clear_tendered(self) -> None:
        """Start the cash received again (from nothing: an empty field pays the exact amount)."""
        self.tendered_field.clear()
        self.message.clear_message()
        self.tendered_field.setFocus()

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
