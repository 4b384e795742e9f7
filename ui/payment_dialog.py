"""Taking payment: the amount due (and its cash rounding), what the customer hands over, typed or
given by touch alone: an on-screen keypad, note buttons that each add that note to the cash
received (Clear starts again) and Exact for exact money.  Enter pays; a refused amount (too
little, or one the shop's coins cannot make) keeps the dialog open with the reason; Esc
cancels the payment and the sale goes back to scanning.

With a store's day (``till.day``) the sale is paid through ``pos.store_day.checkout``: cash,
**Card** (F5: the amount typed, or the rest) and any split of them; the tenders paid so far
and the rest are listed, and the sale is recorded once they settle it.  A card payment waits
on the terminal ("Follow the terminal", Cancel asks the terminal to cancel), or takes the
approval code a standalone terminal printed (manual mode); a terminal that did not say
whether the customer paid leaves the sale open in "Check the terminal" (ui/payment/)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from pos.card_payments import PendingCardPayment
from pos.errors import DeviceProblem, PosError
from pos.i18n import _
from pos.money import Money, parse_amount
from pos.payment_terminal import CardApproved, CardCheckTerminal, CardResult
from pos.store_day import checkout
from pos.store_day.checkout import CheckoutLog, CheckoutView
from pos.store_day.day import NeedsApproval
from pos.till import BasketView, Till, TillResult
from ui import formatting
from ui.approval import ask_manager
from ui.dialogs import TillDialog, big_button
from ui.errors import describe_problem, show_problem
from ui.keypad import Keypad
from ui.payment.card_panels import CheckPanel, CodePanel, WaitPanel
from ui.payment.points_panel import PointsPanel, add_points_page, open_points
from ui.payment.gift_card_panel import (GiftCardPanel, add_gift_card_page, gift_card_button, open_gift_card,
                                        scanned_gift_card)
from ui.payment.tenders_list import TendersList
from ui.qt import (
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    qconnect,
)
from ui.session import TillSession

log = logging.getLogger(__name__)

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
        services = session.services
        self.store_day = services.store_day is not None and services.card_log is not None
        super().__init__(_("Pay") if self.store_day else _("Pay cash"), parent)
        self.setObjectName("paymentDialog")
        self.session = session
        self.view = view
        self.sale_result: TillResult | None = None
        self._code_amount = ""
        self._card_text: str | None = None  # the amount of the card payment on its way
        self.terminal = services.payment_terminal
        self.card_log = cast("CheckoutLog | None", services.card_log)  # local_db's SqlCardPaymentLog
        self.shown: CheckoutView | None = None  # what is paid so far (a store's day)
        self._in_flight: PendingCardPayment | None = None  # set on the till worker when the card request leaves
        self._cancel_wanted = False
        ui_locale = session.services.ui_locale
        due = view.cash_due

        caption = QLabel(_("To pay"), self)
        self.caption = caption
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
        self.tendered_field.setPlaceholderText(
            _("Empty = the whole rest, in cash or by card") if self.store_day else _("Cash received (empty = exact)"))
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
        self.tenders_list = TendersList(ui_locale, self)
        left.addWidget(self.tenders_list)
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
        pay_page = QWidget(self) if self.store_day else self  # a store's day: the first page of a stack
        column = QVBoxLayout(pay_page)
        if self.store_day:
            column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        pay = big_button(_("Enter  Pay cash") if self.store_day else _("Enter  Pay"), self, "primaryButton")
        qconnect(pay.clicked, self.pay)
        cancel = big_button(_("Esc  Cancel payment"), self)
        qconnect(cancel.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(pay)
        self.card_button: QWidget | None = None
        if self.store_day:
            self.card_button = big_button(_("F5  Card"), self, "primaryButton")
            self.card_button.setObjectName("cardButton")
            qconnect(self.card_button.clicked, self.pay_by_card)
            buttons.addWidget(self.card_button)
        self.points_panel: PointsPanel | None = None  # loyalty points: a store's day with a customer
        if self.store_day and view.customer is not None:
            points = big_button(_("F7  Points"), self)
            points.setObjectName("pointsButton")
            qconnect(points.clicked, lambda _c=False: open_points(self))
            buttons.addWidget(points)
        self.gift_card_panel: GiftCardPanel | None = None  # gift cards: a store's day with the hub's service
        self.gift_card_button = gift_card_button(self)  # ui/payment/gift_card_panel.py
        if self.gift_card_button is not None:
            buttons.addWidget(self.gift_card_button)
        buttons.addWidget(cancel)
        column.addLayout(buttons)
        self.pay_page = pay_page
        if self.store_day:
            self._card_pages()
        if self.store_day:
            self.resize(920, 700)  # the tenders listed too: still fits a 1024×768 screen
        else:
            self.resize(880, 600)  # the keypad beside the amounts: fits a 1024×768 screen
        self.tendered_field.setFocus()
        if self.store_day:
            self._run(lambda till: checkout.begin(till, self.terminal, self.card_log), self._shown_first)

    def _card_pages(self) -> None:
        """The pay page and the card panels as pages of one stack (a store's day only)."""
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.pay_page)
        self.wait_panel = WaitPanel(self)
        self.check_panel = CheckPanel(self)
        self.code_panel = CodePanel(self)
        for page in (self.wait_panel, self.check_panel, self.code_panel):
            self.pages.addWidget(page)
        qconnect(self.wait_panel.cancel_button.clicked, self.cancel_at_terminal)
        qconnect(self.check_panel.ask_button.clicked, self.ask_terminal_again)
        qconnect(self.check_panel.code_button.clicked, lambda _c=False: self.type_approval_code())
        qconnect(self.check_panel.not_charged_button.clicked, lambda _c=False: self.declare_not_charged())
        qconnect(self.code_panel.pay_button.clicked, self.submit_approval_code)
        qconnect(self.code_panel.back_button.clicked, self.back_to_paying)
        qconnect(self.code_panel.code_field.returnPressed, self.submit_approval_code)
        qconnect(self.code_panel.digits_field.returnPressed, self.submit_approval_code)
        if self.view.customer is not None:
            self.points_panel = add_points_page(self)  # ui/payment/points_panel.py
        if self.gift_card_button is not None:
            self.gift_card_panel = add_gift_card_page(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)

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
        if scanned_gift_card(self, self.tendered_field.text()):  # a gift card scanned here: it pays
            return
        self.pay_amount(formatting.as_typed(self.tendered_field.text(), self.session.services.ui_locale))

    def pay_amount(self, text: str) -> None:
        if self.store_day:
            self._run(lambda till: checkout.add_cash(till, text), self._after_tender)
            return
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
        """Esc: give the basket back to scanning (unless a payment is on its way).  With a card
        payment taken or in doubt the sale must be paid: the dialog says so and stays."""
        if self.store_day and self.pages.currentWidget() is self.wait_panel:
            self.cancel_at_terminal()
            return
        if self.store_day and self.pages.currentWidget() in (self.code_panel, self.points_panel, self.gift_card_panel):
            self.back_to_paying()
            return
        if self.busy:
            return
        if self.store_day:
            self.busy = True
            self.session.change(checkout.cancel).success(self._cancelled).failure(self._refused).run()
            return
        self.session.change(lambda till: till.cancel_payment()).run()
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """F5 pays by card; on "Check the terminal" Enter asks again and F2 types the code."""
        if not self.store_day:
            super().keyPressEvent(event)
            return
        page = self.pages.currentWidget()
        key = event.key()
        if key == Qt.Key.Key_F5 and page is self.pay_page:
            self.pay_by_card()
        elif key == Qt.Key.Key_F7 and page is self.pay_page and self.points_panel is not None:
            open_points(self)
        elif key == Qt.Key.Key_F8 and page is self.pay_page and self.gift_card_panel is not None:
            open_gift_card(self)
        elif page is self.check_panel and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.check_panel.ask_button.isEnabled():
                self.ask_terminal_again()
        elif page is self.check_panel and key == Qt.Key.Key_F2:
            self.type_approval_code()
        elif page is self.check_panel and key == Qt.Key.Key_F3:
            self.declare_not_charged()
        else:
            super().keyPressEvent(event)

    # -- a store's day: cash, card and split -----------------------------------------------
    def pay_by_card(self) -> None:
        """The amount typed in the field (empty: the rest), by the terminal or, without one,
        by the approval code from a standalone terminal's slip."""
        if self.busy or self.shown is None:
            return
        text = formatting.as_typed(self.tendered_field.text(), self.session.services.ui_locale)
        if self.terminal is None:
            self.type_approval_code(text)
            return
        self._in_flight, self._cancel_wanted, self._card_text = None, False, text
        self.wait_panel.waiting(self._amount_text(text))
        self.pages.setCurrentWidget(self.wait_panel)
        terminal, card_log = self.terminal, self.card_log
        assert card_log is not None
        self._run(lambda till: checkout.pay_card(till, text, terminal, card_log, sent=self._sent), self._card_answer,
                  self._card_failed)

    def _sent(self, payment: PendingCardPayment) -> None:
        """On the till worker, just before the request leaves: what Cancel will cancel."""
        self._in_flight = payment
        if self._cancel_wanted and self.terminal is not None:
            _cancel_quietly(self.terminal, payment)  # fenced off before pay: pay answers cancelled

    def cancel_at_terminal(self) -> None:
        """Ask the terminal to cancel on a thread of its own (the till worker waits on pay)."""
        terminal, payment = self.terminal, self._in_flight
        self.wait_panel.cancelling()
        self._cancel_wanted = True
        if terminal is not None and payment is not None:
            threading.Thread(target=_cancel_quietly, args=(terminal, payment), daemon=True,
                             name="card-cancel").start()

    def ask_terminal_again(self) -> None:
        terminal, card_log = self.terminal, self.card_log
        assert card_log is not None
        self.check_panel.message.show_notice(_("Asking the terminal…"))
        self._run(lambda till: checkout.check_terminal(till, terminal, card_log), self._card_answer,
                  lambda error: show_problem(self.check_panel.message, error))

    def declare_not_charged(self, approval_id: uuid.UUID | None = None) -> None:
        """F3: the terminal cannot be asked any more and a manager saw the payment was not charged
        (``checkout.not_charged``); anyone but a manager is asked for the manager's approval."""
        card_log = self.card_log
        assert card_log is not None

        def refused(error: BaseException) -> None:
            actions = getattr(self.parent(), "sale_actions", None)
            if isinstance(error, NeedsApproval) and approval_id is None and actions is not None:
                ask_manager(actions, error, lambda approved: self.declare_not_charged(approved))
            else:
                show_problem(self.check_panel.message, error)

        self._run(lambda till: checkout.not_charged(till, card_log, approval_id), self._card_answer, refused)

    def type_approval_code(self, amount_text: str = "") -> None:
        self._code_amount = amount_text
        pending = self.shown.pending if self.shown is not None else None
        shown = formatting.money_with_currency(pending.amount, self.session.services.ui_locale) if pending else \
            self._amount_text(amount_text)
        self.code_panel.start(shown)
        self.pages.setCurrentWidget(self.code_panel)
        self.code_panel.code_field.setFocus()

    def submit_approval_code(self) -> None:
        panel, card_log, amount_text = self.code_panel, self.card_log, self._code_amount
        code, digits = panel.code_field.text(), panel.digits_field.text()
        assert card_log is not None
        self._run(lambda till: checkout.pay_card_manually(till, amount_text, code, digits, card_log),
                  self._card_answer, lambda error: show_problem(panel.message, error))

    def back_to_paying(self) -> None:
        if self.shown is not None and self.shown.pending is not None:
            self.pages.setCurrentWidget(self.check_panel)
            return
        self.pages.setCurrentWidget(self.pay_page)
        self.tendered_field.setFocus()

    def _run(self, work: Callable[[Till], CheckoutView], done: Callable[[CheckoutView], None],
             failed: Callable[[BaseException], object] | None = None) -> None:
        if self.busy:
            return
        self.busy = True

        def succeeded(shown: CheckoutView) -> None:
            self.busy = False
            if not self.closed:
                self._show(shown)
                done(shown)

        def refused(error: BaseException) -> None:
            self.busy = False
            if self.closed:
                show_problem(None, error)
            elif failed is not None:
                failed(error)
            else:
                self.failed(error)

        self.session.query(lambda till, _journal: work(till)).success(succeeded).failure(refused).run()

    def _show(self, shown: CheckoutView) -> None:
        self.shown = shown
        ui_locale = self.session.services.ui_locale
        self.due_label.setText(formatting.money_with_currency(shown.cash_due, ui_locale))
        rounding = shown.cash_due - shown.rest
        self.rounding_label.setText("" if rounding.is_zero() or shown.settled else _(
            "Rest {rest}, cash rounding {rounding}").format(rest=formatting.money(shown.rest, ui_locale),
                                                            rounding=formatting.money(rounding, ui_locale)))
        self.tenders_list.show_checkout(shown)
        self.caption.setText(_("Still to pay") if shown.tenders else _("To pay"))

    def _shown_first(self, shown: CheckoutView) -> None:
        if shown.settled and shown.pending is None:  # nothing to pay, or card payments found cover it
            self._finish()
        elif shown.pending is not None:
            self._doubt(shown)
        elif shown.last is not None:
            self._card_answer(shown)

    def _after_tender(self, shown: CheckoutView) -> None:
        if shown.settled:
            self._finish()
            return
        self.tendered_field.clear()
        self.message.clear_message()
        self.tendered_field.setFocus()

    def _card_answer(self, shown: CheckoutView) -> None:
        last = shown.last
        if shown.pending is not None:
            self._doubt(shown)
            return
        self.pages.setCurrentWidget(self.pay_page)
        self.tendered_field.setFocus()
        if isinstance(last, CardApproved):
            if shown.settled:
                self._finish()
                return
            self.tendered_field.clear()
            self.message.show_notice(self._said(last))
        elif last is not None:
            self.message.show_error(self._said(last))

    def _card_failed(self, error: BaseException) -> None:
        """Refused before the terminal took anything.  A terminal that cannot be reached leaves
        the standalone terminal: the approval code panel opens with the reason."""
        if isinstance(error, DeviceProblem) and self._card_text is not None:
            self.type_approval_code(self._card_text)
            show_problem(self.code_panel.message, error)
            return
        self.pages.setCurrentWidget(self.pay_page)
        self.failed(error)

    def _doubt(self, shown: CheckoutView) -> None:
        panel = self.check_panel
        last = shown.last
        if isinstance(last, CardCheckTerminal):
            panel.explanation.setText(self._said(last))
        else:
            assert shown.pending is not None
            panel.explanation.setText(_(
                "A card payment of {amount} for this sale is not settled: look at the terminal's screen or slip. "
                "Do not take the payment again.").format(
                    amount=formatting.money_with_currency(shown.pending.amount, self.session.services.ui_locale)))
        panel.message.clear_message()
        panel.ask_button.setEnabled(self.terminal is not None)
        self.pages.setCurrentWidget(panel)

    def _finish(self) -> None:
        self.run_then_close(self.session.change(checkout.finish), self._paid)

    def _cancelled(self, _result: TillResult) -> None:
        self.busy = False
        if not self.closed:
            super().reject()

    def _refused(self, error: BaseException) -> None:
        self.busy = False
        if not self.closed:
            on_check = self.pages.currentWidget() is self.check_panel
            show_problem(self.check_panel.message if on_check else self.message, error)

    def _said(self, result: CardResult) -> str:
        ui_locale = self.session.services.ui_locale
        return result.user_message(show=lambda value: formatting.message_field(value, ui_locale))

    def _amount_text(self, typed: str) -> str:
        ui_locale = self.session.services.ui_locale
        shown = self.shown
        if typed.strip() or shown is None:
            try:
                return formatting.money_with_currency(parse_amount(typed, self.view.total.currency), ui_locale)
            except PosError:
                return typed
        return formatting.money_with_currency(shown.rest, ui_locale)


def _cancel_quietly(terminal: Any, payment: PendingCardPayment) -> None:
    """The cancel's own answer is not needed: the payment's answer says what happened."""
    try:
        checkout.cancel_at_terminal(terminal, payment)
    except Exception as error:  # noqa: BLE001 - logged; the pay call still answers
        log.warning("asking the card terminal to cancel %s failed: %s", payment.payment_id, describe_problem(error))
