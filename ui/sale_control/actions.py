"""The store menu's entries for the sale (ui.store_menu): park the sale, recall a parked one,
cancel the whole sale, lock the till.  Each runs on the till worker; a manager approves when
the cashier's role may not (``ui.approval``).

Before a sale is cancelled or parked, its gift card holds at the hub are given back to the
cards (``give_back_gift_cards``; parking does it in ``pos.store_day.parking.park``); while the
hub cannot be reached that is refused with the reason, and the sale stays as it was."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from local_db.journal import SqlJournal
from local_db.parked_sales import SqlParkedSales
from pos.basket import EmptyBasket
from pos.i18n import _, ngettext
from pos.card_payments import CardPaymentLog
from pos.gift_cards.paying import gift_cards_held, release_gift_cards
from pos.store_day.checkout import CardPaymentTaken, cards_taken
from pos.store_day.parking import ParkedSale, park, recall
from pos.till import BasketNotEmpty, Till, TillResult
from ui import formatting
from ui.approval import run_with_approval
from ui.dialogs import ConfirmDialog
from ui.qt import qconnect
from ui.sale_control.lock_screen import lock_till
from ui.sale_control.recall_dialog import RecallDialog

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions


def parked_sales(actions: SaleActions) -> SqlParkedSales | None:
    """The parked sales of this till's database (None on a till without one: tests' fakes)."""
    journal = actions.session.services.journal
    return SqlParkedSales(journal.db) if isinstance(journal, SqlJournal) else None


def _unavailable(actions: SaleActions) -> None:
    actions.screen.message.show_error(_("This is not available on this till yet."))


def park_sale(actions: SaleActions) -> None:
    """Put the open sale aside (durable before the screen says so); a new sale starts."""
    store = parked_sales(actions)
    if store is None:
        _unavailable(actions)
        return
    view = actions.screen.model.view
    if view is None or not any(not line.voided for line in view.lines):
        actions.problem(EmptyBasket())
        return

    def parked(_result: TillResult) -> None:
        actions.screen.message.show_notice(_("Sale parked. F10, 8 recalls it."))

    card_log = actions.session.services.card_log

    def park_it(till: Till, approval_id: uuid.UUID | None) -> TillResult:
        refuse_if_card_taken(till, card_log)
        return park(till, store, approval_id)

    run_with_approval(actions, park_it, parked)


def recall_sale(actions: SaleActions) -> None:
    """The list of parked sales; the one picked becomes the open sale."""
    store = parked_sales(actions)
    if store is None:
        _unavailable(actions)
        return
    view = actions.screen.model.view
    if view is not None and any(not line.voided for line in view.lines):
        actions.problem(BasketNotEmpty())
        return

    def listed(found: list[ParkedSale]) -> None:
        if not found:
            actions.screen.message.show_notice(_("No sales are parked."))
            return
        if actions.dialog is not None:
            return
        services = actions.session.services
        dialog = RecallDialog(found, services.ui_locale, services.store.timezone, actions.window)
        qconnect(dialog.chosen, lambda basket_id: _recall(actions, store, basket_id))
        actions.open_dialog(dialog)

    actions.session.query(lambda _till, _journal: store.parked()).success(listed).failure(actions.problem).run()


def _recall(actions: SaleActions, store: SqlParkedSales, basket_id: uuid.UUID) -> None:
    def recalled(result: TillResult) -> None:
        count = int(result.view.item_count)
        actions.screen.message.show_notice(ngettext(
            "Parked sale recalled: {count} item.", "Parked sale recalled: {count} items.", count,
        ).format(count=formatting.count(count, actions.session.services.ui_locale)))

    actions.session.change(lambda till: recall(till, store, basket_id)).success(recalled).failure(
        actions.problem).run()


def cancel_sale(actions: SaleActions) -> None:
    """Cancel the whole open sale, after the cashier confirms; recorded in the journal."""
    view = actions.screen.model.view
    if view is None or not view.lines:
        actions.problem(EmptyBasket())
        return
    ui_locale = actions.session.services.ui_locale
    count = int(view.item_count)
    question = ngettext(
        "Cancel the whole sale: {count} item, {total}?", "Cancel the whole sale: {count} items, {total}?", count,
    ).format(count=formatting.count(count, ui_locale), total=formatting.money_with_currency(view.total, ui_locale))
    dialog = ConfirmDialog(_("Cancel sale"), question, _("Cancel sale"), _("Keep"), actions.window)
    dialog.setObjectName("cancelSaleDialog")

    def cancelled(_result: TillResult) -> None:
        actions.screen.message.show_notice(_("Sale cancelled."))

    card_log = actions.session.services.card_log

    def cancel_it(till: Till, approval_id: uuid.UUID | None) -> TillResult:
        refuse_if_card_taken(till, card_log)
        give_back_gift_cards(till)
        return till.cancel_sale(approval_id)

    qconnect(dialog.accepted, lambda: run_with_approval(actions, cancel_it, cancelled))
    actions.open_dialog(dialog)


def refuse_if_card_taken(till: Till, card_log: CardPaymentLog | None) -> None:
    """A sale with a card payment taken (approved or in doubt, before a restart too) is paid,
    never cancelled or parked: the customer's money is with the store."""
    if card_log is None or till.day is None:
        return
    taken = cards_taken(till, card_log)  # type: ignore[arg-type]
    if taken.amount > 0:
        raise CardPaymentTaken(amount=taken)


def give_back_gift_cards(till: Till) -> None:
    """The open sale's gift card holds given back to the cards (their payments go too);
    ``GiftCardHoldsStay`` while the hub cannot be reached: the sale is finished instead."""
    if gift_cards_held(till).amount > 0:
        release_gift_cards(till)


def lock_now(actions: SaleActions) -> None:
    """Lock the till now (the cashier steps away): the same cashier or a manager unlocks it."""
    lock_till(actions)
