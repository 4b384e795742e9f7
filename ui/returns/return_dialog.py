"""The return dialog: what was sold, what is already back and what is left, a quantity per
line (typed or by the keypad), the refund per tender, the reason, then Return or Exchange.

Without a receipt (or for another till's sale the hub cannot be asked about) the goods are
scanned (or their code typed) into the same field, one line each.  Every preview and the
return itself run on the till worker (``pos.store_day.returns_desk``); when a manager must
approve, the approval prompt opens over the dialog and the return runs again with the
approval.  Keys: Up/Down choose a line, digits and Enter set its quantity (or add the code
scanned), F12 returns, F11 exchanges, Esc closes; every key has a button for touch."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pos.catalog import Product
from pos.errors import PosError
from pos.gift_cards.numbers import short_masked
from pos.gift_cards.records import GiftCardPayment
from pos.i18n import N_, _, active_locale
from pos.money import Money
from pos.quantity import parse_decimal
from pos.return_layout import refund_card
from pos.sale import SaleLine
from pos.store_day.day import NeedsApproval
from pos.store_day.returns import ReturnDocument
from pos.store_day.returns_desk import (
    FoundSale,
    ReturnAsked,
    UncheckedSale,
    exchange_due,
    make_exchange,
    make_return,
    preview,
    product_for,
)
from pos.store_day.tenders import CARD, EXCHANGE_CREDIT
from pos.tender import CASH
from pos.till import Till, TillResult
from ui import formatting
from ui.approval import ask_manager
from ui.dialogs import ENTER_KEYS, EntryDialog, big_button
from ui.errors import show_problem
from ui.formatting import decimal_point
from ui.keypad import Keypad
from ui.list_model import RowsModel, list_table, move_selection, selected_row
from ui.message_area import MessageArea
from ui.qt import QDialog, QGridLayout, QHBoxLayout, QKeyEvent, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget, qconnect
from ui.returns.return_printing import print_return

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions

SOLD_HEADERS = (N_("Item"), N_("Sold"), N_("Returned"), N_("Left"), N_("Return"))
GOODS_HEADERS = (N_("Item"), N_("Quantity"), N_("Price"))
METHOD_NAMES = {CASH: N_("Cash"), CARD: N_("Card"), EXCHANGE_CREDIT: N_("Exchange credit"),
                "points": N_("Loyalty points"), "gift_card": N_("Gift card")}


@dataclass(frozen=True, slots=True)
class SoldRow:
    line: SaleLine
    back: Decimal  # already returned
    left: Decimal
    chosen: Decimal


@dataclass(frozen=True, slots=True)
class GoodsRow:
    product: Product
    quantity: Decimal


class ReturnDialog(QDialog):
    def __init__(self, actions: SaleActions, found: FoundSale | UncheckedSale | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent or actions.window)
        self.setObjectName("returnDialog")
        self.setWindowTitle(_("Return or exchange"))
        self.setModal(True)
        self.sale_actions = actions
        self.session = actions.session
        self.found = found
        self.ui_locale = actions.session.services.ui_locale
        day = actions.session.services.store_day
        self.reasons = day.rules.reasons.reasons if day is not None else ()
        self.reason = ""
        self.in_cash = False
        self.busy = False
        self.closed = False
        self.quantities: dict[uuid.UUID, Decimal] = {}
        self.goods: list[GoodsRow] = []
        self.recorded: ReturnDocument | None = None
        self._build()
        self._refresh()

    # -- layout ------------------------------------------------------------------------
    @property
    def by_lines(self) -> bool:
        return isinstance(self.found, FoundSale)

    @property
    def gift_cards(self) -> tuple[GiftCardPayment, ...]:
        """The original sale's gift card payments: the cards its gift card refunds go back on."""
        return self.found.sale.gift_card_payments if isinstance(self.found, FoundSale) else ()

    def _build(self) -> None:
        self.heading = QLabel(self._heading(), self)
        self.heading.setObjectName("returnHeading")
        self.heading.setWordWrap(True)
        if self.by_lines:
            self.model: RowsModel[Any] = RowsModel(SOLD_HEADERS, self._sold_cells, frozenset({1, 2, 3, 4}), self)
        else:
            self.model = RowsModel(GOODS_HEADERS, self._goods_cells, frozenset({1, 2}), self)
        self.table = list_table(self.model, 0, self)
        self.table.setObjectName("returnLines")
        self.field = QLineEdit(self)
        self.field.setObjectName("returnField")
        self.field.setMinimumHeight(56)
        self.field.setPlaceholderText(_("Quantity, then Enter") if self.by_lines
                                      else _("Scan or type a code"))
        qconnect(self.field.returnPressed, self.enter)
        keypad = Keypad(self, with_point=True, point=decimal_point(self.ui_locale or active_locale()))
        keypad.target = self.field
        qconnect(keypad.enter_pressed, self.enter)
        self.plan = QLabel(self)
        self.plan.setObjectName("refundPlan")
        self.plan.setWordWrap(True)
        self.message = MessageArea(self)

        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(self.table, 1)
        left.addWidget(self.plan)
        left.addWidget(self.message)
        right = QVBoxLayout()
        right.addWidget(self.field)
        right.addWidget(keypad, 1)
        if self.by_lines:
            everything = big_button(_("All of the line"), self, "allOfLine")
            qconnect(everything.clicked, self.all_of_line)
            right.addWidget(everything)
        else:
            remove = big_button(_("F8  Remove the line"), self, "removeLine")
            qconnect(remove.clicked, self.remove_line)
            right.addWidget(remove)
        top = QHBoxLayout()
        top.addLayout(left, 2)
        top.addLayout(right, 1)

        reasons = QGridLayout()
        self.reason_buttons = []
        for index, reason in enumerate(self.reasons):
            button = big_button(reason.label, self, "reasonButton")
            button.setCheckable(True)
            button.setMinimumSize(120, 44)
            qconnect(button.clicked, lambda _checked=False, code=reason.code: self.choose_reason(code))
            reasons.addWidget(button, index // 3, index % 3)
            self.reason_buttons.append(button)

        self.cash_button = big_button(_("Refund in cash"), self, "refundInCash")
        self.cash_button.setCheckable(True)
        qconnect(self.cash_button.clicked, self.toggle_cash)
        self.return_button = big_button(_("F12  Return"), self, "primaryButton")
        qconnect(self.return_button.clicked, lambda _checked=False: self.give_back())
        self.exchange_button = big_button(_("F11  Exchange"), self, "exchangeButton")
        qconnect(self.exchange_button.clicked, lambda _checked=False: self.exchange())
        close = big_button(_("Esc  Cancel"), self)
        qconnect(close.clicked, self.reject)
        buttons = QHBoxLayout()
        for button in (self.cash_button, self.return_button, self.exchange_button, close):
            buttons.addWidget(button)

        column = QVBoxLayout(self)
        column.addLayout(top, 1)
        column.addWidget(QLabel(_("Reason"), self))
        column.addLayout(reasons)
        column.addLayout(buttons)
        self.resize(1000, 740)
        self.field.setFocus()

    def _heading(self) -> str:
        found = self.found
        if isinstance(found, FoundSale):
            sale = found.sale
            when = formatting.store_time(sale.completed_at, self.session.services.store.timezone, self.ui_locale)
            text = _("Receipt {number} of till {till}, {when}, {cashier}").format(
                number=sale.receipt_number, till=sale.till_id, when=when, cashier=sale.cashier.name)
            return text + "\n" + _("Choose a line and type how many come back.")
        if isinstance(found, UncheckedSale):
            return _("A sale of till {till}: the hub cannot check it now. Scan the goods brought back; "
                     "a manager approves, with a reason.").format(till=found.code.till_id)
        return _("Without a receipt: scan the goods brought back; a manager approves, with a reason.")

    def _sold_cells(self, row: SoldRow) -> tuple[str, ...]:
        weighed = row.line.sold_by_weight
        q = lambda value: formatting.quantity(value, weighed, self.ui_locale)  # noqa: E731
        return (row.line.name, q(row.line.quantity), q(row.back), q(row.left), q(row.chosen) if row.chosen else "")

    def _goods_cells(self, row: GoodsRow) -> tuple[str, ...]:
        return (row.product.name, formatting.quantity(row.quantity, row.product.sold_by_weight, self.ui_locale),
                formatting.money(row.product.price, self.ui_locale))

    # -- what the cashier chose --------------------------------------------------------
    def asked(self) -> ReturnAsked:
        return ReturnAsked(self.found, dict(self.quantities), tuple((g.product, g.quantity) for g in self.goods),
                           self.reason, self.in_cash)

    def _rows(self) -> list[Any]:
        found = self.found
        if isinstance(found, FoundSale):
            left = found.left()
            return [SoldRow(line, found.already_returned.get(line.line_id, Decimal(0)), left[line.line_id],
                            self.quantities.get(line.line_id, Decimal(0)))
                    for line in found.sale.lines if not line.voided]
        return list(self.goods)

    def _refresh(self, select: int | None = None) -> None:
        row = selected_row(self.table) if select is None else select
        self.model.set_items(self._rows())
        if self.model.rowCount():
            self.table.selectRow(min(row or 0, self.model.rowCount() - 1))
        self._preview()

    def _preview(self) -> None:
        """The refund plan of what is chosen now (on the till worker)."""
        if not (self.quantities or self.goods):
            self.plan.setText(_("Nothing chosen yet."))
            return
        asked, terminal = self.asked(), self._terminal()
        if not self.reason and not self.by_lines:
            asked = replace(asked, reason="-")  # the plan is shown before the reason is chosen
        self.session.query(lambda till, _j: preview(till, asked, terminal=terminal)).success(
            self._show_plan).failure(self._failed).run()

    def _show_plan(self, returned: ReturnDocument) -> None:
        if self.closed:
            return
        self.message.clear_message()
        self.plan.setText(plan_text(returned, self.ui_locale, self.gift_cards))

    def enter(self) -> None:
        text = self.field.text().strip()
        if not text:
            return
        if self.by_lines:
            self._set_quantity(text)
        else:
            self.session.query(lambda till, _j: product_for(till, text)).success(self._add_goods).failure(
                self._failed).run()

    def _set_quantity(self, text: str) -> None:
        row = selected_row(self.table)
        item = self.model.item(row) if row is not None else None
        if not isinstance(item, SoldRow):
            self.message.show_error(_("Choose a line first (Up/Down)."))
            return
        try:
            quantity = parse_decimal(formatting.as_typed(text, self.ui_locale))
        except PosError as error:
            self._failed(error)
            return
        if quantity:
            self.quantities[item.line.line_id] = quantity
        else:
            self.quantities.pop(item.line.line_id, None)
        self.field.clear()
        self._refresh(row)

    def all_of_line(self) -> None:
        row = selected_row(self.table)
        item = self.model.item(row) if row is not None else None
        if isinstance(item, SoldRow) and item.left > 0:
            self.quantities[item.line.line_id] = item.left
            self._refresh(row)

    def remove_line(self) -> None:
        """Take a goods line scanned by mistake off the return."""
        row = selected_row(self.table)
        if row is None or not 0 <= row < len(self.goods):
            self.message.show_error(_("Choose a line first (Up/Down)."))
            return
        del self.goods[row]
        self._refresh(max(row - 1, 0))

    def _add_goods(self, found: tuple[Product, Decimal]) -> None:
        if self.closed:
            return
        product, quantity = found
        self.goods.append(GoodsRow(product, quantity))
        self.field.clear()
        self._refresh(len(self.goods) - 1)

    def choose_reason(self, code: str) -> None:
        self.reason = code
        for button, reason in zip(self.reason_buttons, self.reasons, strict=True):
            button.setChecked(reason.code == code)
        self._preview()

    def toggle_cash(self) -> None:
        self.in_cash = self.cash_button.isChecked()
        self._preview()

    # -- doing it ----------------------------------------------------------------------
    def give_back(self, approval_id: uuid.UUID | None = None) -> None:
        if self.busy:
            return
        self.busy = True
        asked, terminal = self.asked(), self._terminal()
        self.session.query(lambda till, _j: make_return(till, asked, approval_id=approval_id, terminal=terminal)
                           ).success(self._returned).failure(lambda error: self._refused(error, self.give_back)).run()

    def _returned(self, returned: ReturnDocument) -> None:
        self.busy = False
        self.recorded = returned
        after_return(self.sale_actions, returned, gift_cards=self.gift_cards)
        if not self.closed:
            self.accept()

    def exchange(self) -> None:
        """The credit pays for the goods on the till: what the customer pays (or gets back)
        is said first; Enter with the cash received (empty: exact) records both."""
        if self.busy:
            return
        asked, terminal = self.asked(), self._terminal()
        self.busy = True

        def check(till: Till, _journal: object) -> Money:
            due = exchange_due(till, asked, terminal)
            assert till.day is not None
            till.day.authorise(till.staff(), asked.action, amount=preview(till, asked, terminal=terminal).total,
                               sale_id=asked.sale_id)  # nothing is spent: a NeedsApproval says who must approve
            return due

        self.session.query(check).success(lambda due: self._confirm_exchange(due, None)).failure(
            lambda error: self._refused(error, lambda approval_id: self._exchange_approved(approval_id))).run()

    def _exchange_approved(self, approval_id: uuid.UUID | None) -> None:
        asked, terminal = self.asked(), self._terminal()
        self.busy = True
        self.session.query(lambda till, _j: exchange_due(till, asked, terminal)).success(
            lambda due: self._confirm_exchange(due, approval_id)).failure(self._failed).run()

    def _confirm_exchange(self, due: Money, approval_id: uuid.UUID | None) -> None:
        self.busy = False
        if self.closed:
            return
        if due.amount > 0:
            prompt = _("The customer pays {amount}: cash received (Enter: exactly that).").format(
                amount=formatting.money_with_currency(due, self.ui_locale))
        else:
            prompt = _("The customer gets {amount} back. Enter records the exchange.").format(
                amount=formatting.money_with_currency(Money.zero(due.currency) - due, self.ui_locale))
        asked, terminal = self.asked(), self._terminal()
        kept: list[tuple[ReturnDocument, TillResult]] = []

        def submit(text: str) -> Any:
            def work(till: Till) -> TillResult:
                done = make_exchange(till, asked, text if due.amount > 0 else "", approval_id=approval_id,
                                     terminal=terminal)
                kept.append((done.returned, done.result))
                return done.result
            return self.session.change(work)

        entry = EntryDialog(_("Exchange"), prompt, "", submit, self, self.ui_locale)
        entry.setObjectName("exchangeCashDialog")

        def finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted and kept:
                returned, result = kept[0]
                self.recorded = returned
                cash_taken = result.sale is not None and any(p.method == CASH for p in result.sale.payments)
                after_return(self.sale_actions, returned, cash_taken=cash_taken, gift_cards=self.gift_cards)
                self.accept()

        qconnect(entry.finished, finished)
        entry.open()

    def _refused(self, error: BaseException, again: Callable[[uuid.UUID], None]) -> None:
        """A manager must approve: the prompt opens over the dialog; approved, it runs again."""
        self.busy = False
        if self.closed:
            show_problem(None, error)
            return
        if not isinstance(error, NeedsApproval):
            self._failed(error)
            return
        ask_manager(self.sale_actions, error, again)
        prompt = self.sale_actions.dialog
        if prompt is not None and prompt is not self:
            qconnect(prompt.finished, lambda _code: self._back_on_top())

    def _back_on_top(self) -> None:
        if not self.closed:
            self.sale_actions.dialog = self  # the sale screen's one open dialog is this one again
            self.field.setFocus()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        if self.closed:
            show_problem(None, error)
            return
        show_problem(self.message, error)
        self.field.selectAll()
        self.field.setFocus()

    def _terminal(self) -> Any:
        return self.session.services.payment_terminal

    # -- keys --------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            move_selection(self.table, -1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_F12:
            self.give_back()
        elif key == Qt.Key.Key_F11:
            self.exchange()
        elif key == Qt.Key.Key_F8 and not self.by_lines:
            self.remove_line()
        elif key in ENTER_KEYS:
            return  # Enter in the field adds or sets through the field; never a default button
        else:
            super().keyPressEvent(event)

    def done(self, code: int) -> None:
        self.closed = True
        super().done(code)


def plan_text(returned: ReturnDocument, ui_locale: str, gift_cards: tuple[GiftCardPayment, ...] = ()) -> str:
    """"Back to the customer: Card 120,00; Cash 30,00 (rounding 0,02)" in the UI's language; a
    gift card refund names its card: "Back on gift card **** 9015 100,00"."""
    parts = [_("{method} {amount}").format(method=_refund_name(f.payment.method, refund_card(f, gift_cards)),
                                          amount=formatting.money(f.payment.amount, ui_locale))
             for f in returned.refunds]
    text = _("Returned goods: {total}. Back to the customer: {refunds}").format(
        total=formatting.money_with_currency(returned.total, ui_locale), refunds="; ".join(parts) or "-")
    if not returned.rounding.is_zero():
        text += " " + _("(cash rounding {amount})").format(amount=formatting.money(returned.rounding, ui_locale))
    return text


def _refund_name(method: str, card_number: str) -> str:
    if card_number:
        return _("Back on gift card {card}").format(card=short_masked(card_number))
    return _(METHOD_NAMES.get(method, method))


def after_return(actions: SaleActions, returned: ReturnDocument, *, cash_taken: bool = False,
                 gift_cards: tuple[GiftCardPayment, ...] = ()) -> None:
    """Said on the sale screen; the return receipt printed; the drawer opened for cash given
    back (or, in an exchange, taken for the rest)."""
    services = actions.session.services
    cash = sum((f.payment.amount.amount for f in returned.refunds if f.payment.method == CASH), Decimal(0))
    actions.screen.message.show_notice(_("Return {number} saved: give back {amount} in cash.").format(
        number=returned.return_number,
        amount=formatting.money_with_currency(Money(cash, returned.currency), services.ui_locale))
        if cash else _("Return {number} saved.").format(number=returned.return_number))
    day = services.store_day
    spooler = services.spooler
    if (cash or cash_taken) and day is not None and day.rules.open_drawer and hasattr(spooler, "open_drawer"):
        pin = day.rules.drawer_pin
        actions.session.printing(lambda s: s.open_drawer(pin)).failure(actions.problem).run()
    if services.printing_enabled and hasattr(spooler, "print_return"):
        label = next((r.label for r in day.rules.reasons.reasons if r.code == returned.reason), "") if day else ""
        actions.session.printing(lambda s: print_return(s, returned, label, gift_cards)).failure(
            actions.problem).run()
    if services.sync_worker is not None:
        services.sync_worker.wake()
    status = getattr(actions.window, "status", None)
    if status is not None and hasattr(status, "refresh_counts"):
        status.refresh_counts()  # what waits for the hub now counts the return too
