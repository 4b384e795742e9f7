"""Paying with a gift card (F8 on the payment dialog, a store's day with the hub's gift card
service): a page of the dialog's stack.  The cashier scans the card or types the customer's
phone; the page lists the card(s) found (masked number, balance: several cards for one phone,
the cashier picks one); an electronic card needs the code sent to the customer's phone (F2
sends it, the code field takes it); the amount (empty: the most, the smaller of the rest and
the balance); Enter pays (a hold at head office).  A wrong code says the tries left, a locked
card says so.  When head office cannot be reached and the chain allows it, "Offline" pays a
plastic card up to the chain's cap with a manager's approval.  Every call runs on the till
worker (``pos.gift_cards.paying``); the page only shows."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from pos.gift_cards import holds
from pos.gift_cards.holds import GiftCardDesk, RedemptionLog
from pos.gift_cards.numbers import looks_like_card_number
from pos.gift_cards.paying import OfflineOffer, find_gift_card, offline_offer, pay_gift_card, \
    pay_gift_card_offline, remove_gift_card, send_code
from pos.gift_cards.service import CodeSent, GiftCardFound, GiftCardService, GiftCardsNeedTheHub, WrongGiftCardCode
from pos.i18n import _
from pos.store_day.checkout import CheckoutView
from pos.store_day.day import NeedsApproval
from pos.store_day.tenders import Tender
from pos.till import Till
from ui import formatting
from ui.approval import ask_manager
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.gift_cards.payment_view import GiftCardView
from ui.qt import QKeyEvent, QPushButton, Qt, QWidget, qconnect

if TYPE_CHECKING:
    from ui.payment_dialog import PaymentDialog


def desk(till: Till) -> GiftCardDesk:
    """The hub's gift card service, this till's redemption log and the chain's policy, as the
    composition root attached them to the till (``pos.gift_cards.holds.attach``); on the worker."""
    return holds.desk_of(till)


def gift_cards_here(dialog: PaymentDialog) -> bool:
    """Whether this till takes gift cards: a store's day and the hub's gift card service."""
    services = dialog.session.services
    return dialog.store_day and (services.gift_cards is not None or holds.desk_of(services.till).service is not None)


class GiftCardPanel(GiftCardView):
    def __init__(self, dialog: PaymentDialog) -> None:
        super().__init__(dialog.session.services.ui_locale, dialog)
        self.dialog = dialog

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """F2 sends the code to an electronic card's phone; Esc goes back (the dialog's own)."""
        if event.key() == Qt.Key.Key_F2 and self.code_button.isVisible():
            send_card_code(self.dialog)
        else:
            super().keyPressEvent(event)


def gift_card_button(dialog: PaymentDialog) -> QPushButton | None:
    """The F8 button of the pay page, when this till has the gift card service (else None)."""
    if not gift_cards_here(dialog):
        return None
    button = big_button(_("F8  Gift card"), dialog)
    button.setObjectName("giftCardButton")
    qconnect(button.clicked, lambda _c=False: open_gift_card(dialog))
    return button


def add_gift_card_page(dialog: PaymentDialog) -> GiftCardPanel:
    """The gift card page in the dialog's stack, its buttons wired."""
    panel = GiftCardPanel(dialog)
    dialog.pages.addWidget(panel)
    qconnect(panel.lookup_field.returnPressed, lambda: find_cards(dialog))
    qconnect(panel.find_button.clicked, lambda _c=False: find_cards(dialog))
    qconnect(panel.code_button.clicked, lambda _c=False: send_card_code(dialog))
    qconnect(panel.code_field.returnPressed, lambda: submit_gift_card(dialog))
    qconnect(panel.amount_field.returnPressed, lambda: submit_gift_card(dialog))
    qconnect(panel.pay_button.clicked, lambda _c=False: submit_gift_card(dialog))
    qconnect(panel.offline_button.clicked, lambda _c=False: pay_offline(dialog))
    qconnect(panel.back_button.clicked, lambda _c=False: dialog.back_to_paying())
    return panel


def open_gift_card(dialog: PaymentDialog) -> None:
    """F8: the gift card page, waiting for the card (or the phone)."""
    panel = dialog.gift_card_panel
    if dialog.busy or dialog.shown is None or panel is None:
        return
    panel.start(dialog.shown.rest)
    panel.show_paid(dialog.shown.tenders, lambda tender: remove_payment(dialog, tender))
    dialog.pages.setCurrentWidget(panel)
    panel.lookup_field.setFocus()


def scanned_gift_card(dialog: PaymentDialog, text: str) -> bool:
    """A gift card scanned (or typed) in the cash field: the gift card page opens with it found,
    instead of reading its number as cash.  False when ``text`` is no gift card number."""
    if dialog.gift_card_panel is None or dialog.busy or dialog.shown is None or not looks_like_card_number(text):
        return False
    dialog.tendered_field.clear()
    open_gift_card(dialog)
    dialog.gift_card_panel.lookup_field.setText(text.strip())
    find_cards(dialog)
    return True


def find_cards(dialog: PaymentDialog) -> None:
    """The card scanned, or the phone typed: the hub's active cards for it."""
    panel = dialog.gift_card_panel
    if panel is None or panel.busy or not panel.lookup_field.text().strip():
        return
    typed = panel.lookup_field.text()
    panel.busy = True

    def found(cards: tuple[GiftCardFound, ...]) -> None:
        panel.busy = False
        if not dialog.closed:
            panel.show_cards(cards)

    def refused(error: BaseException) -> None:
        panel.busy = False
        if dialog.closed:
            return
        panel.show_cards(())
        show_problem(panel.message, error)
        if isinstance(error, GiftCardsNeedTheHub):
            offer_offline(dialog)
        panel.lookup_field.selectAll()
        panel.lookup_field.setFocus()

    dialog.session.query(lambda till, _journal: find_gift_card(till, _service(till), typed)).success(found).failure(
        refused).run()


def send_card_code(dialog: PaymentDialog) -> None:
    """F2: a new code to the card's phone (the older one stops working)."""
    panel = dialog.gift_card_panel
    if panel is None or panel.chosen is None or not panel.chosen.needs_code or panel.busy:
        return
    number = panel.chosen.card_number
    panel.busy = True

    def sent(answer: CodeSent) -> None:
        panel.busy = False
        if not dialog.closed:
            panel.code_sent(answer)

    def refused(error: BaseException) -> None:
        panel.busy = False
        if not dialog.closed:
            show_problem(panel.message, error)

    dialog.session.query(lambda till, _journal: send_code(till, _service(till), number)).success(sent).failure(
        refused).run()


def submit_gift_card(dialog: PaymentDialog) -> None:
    """Enter: the chosen card pays the amount typed (empty: the most) with the code it needs."""
    panel = dialog.gift_card_panel
    if panel is None or panel.busy:
        return
    for field in (panel.amount_field, panel.code_field):  # another card scanned where the focus was
        if looks_like_card_number(field.text()):
            panel.lookup_field.setText(field.text().strip())
            field.clear()
            find_cards(dialog)
            return
    if panel.chosen is None:
        find_cards(dialog)
        return
    if panel.chosen.needs_code and not panel.code_field.text().strip():
        panel.message.show_error(_("Type the code the customer received by SMS (F2 sends one)."))
        panel.code_field.setFocus()
        return
    number, code = panel.chosen.card_number, panel.code_field.text().strip()
    amount = formatting.as_typed(panel.amount_field.text(), dialog.session.services.ui_locale)

    def refused(error: BaseException) -> None:
        show_problem(panel.message, error)
        if isinstance(error, WrongGiftCardCode):
            panel.code_field.clear()
            panel.code_field.setFocus()
            return
        if isinstance(error, GiftCardsNeedTheHub):
            offer_offline(dialog)
        panel.amount_field.selectAll()
        panel.amount_field.setFocus()

    dialog._run(lambda till: pay_gift_card(till, _service(till), _log(till), number, amount, code=code),
                lambda shown: paid(dialog, shown), refused)


def remove_payment(dialog: PaymentDialog, tender: Tender) -> None:
    """Remove: the gift card payment goes, its hold given back to the card first (refused while
    head office cannot be reached: the sale is then finished with it)."""
    panel = dialog.gift_card_panel
    if panel is None:
        return
    payment_id = tender.payment.payment_id

    def removed(shown: CheckoutView) -> None:
        panel.start(shown.rest)
        panel.show_paid(shown.tenders, lambda t: remove_payment(dialog, t))
        panel.message.show_notice(_("Gift card payment removed: its amount is back on the card."))
        panel.lookup_field.setFocus()

    dialog._run(lambda till: remove_gift_card(till, desk(till).service, desk(till).log, payment_id), removed,
                lambda error: show_problem(panel.message, error))


def offer_offline(dialog: PaymentDialog) -> None:
    """Head office cannot be reached: the offline button, if the chain's policy allows it and the
    card is a plastic one (scanned: an electronic card, found by phone, needs its code)."""
    panel = dialog.gift_card_panel
    if panel is None:
        return
    plastic = not panel.chosen.needs_code if panel.chosen is not None else \
        looks_like_card_number(panel.lookup_field.text())
    if not plastic:
        return

    def offered(offer: OfflineOffer) -> None:
        if not dialog.closed:
            panel.show_offline(offer)

    dialog.session.query(lambda till, _journal: offline_offer(till)).success(offered).run()


def pay_offline(dialog: PaymentDialog, approval_id: uuid.UUID | None = None) -> None:
    """A plastic card paid without head office: a manager approves (at most the chain's cap);
    head office debits the card when the sale arrives."""
    panel = dialog.gift_card_panel
    if panel is None:
        return
    number = panel.chosen.card_number if panel.chosen is not None else panel.lookup_field.text().strip()
    amount = formatting.as_typed(panel.amount_field.text(), dialog.session.services.ui_locale)

    def refused(error: BaseException) -> None:
        actions = getattr(dialog.parent(), "sale_actions", None)
        if isinstance(error, NeedsApproval) and approval_id is None and actions is not None:
            ask_manager(actions, error, lambda approved: pay_offline(dialog, approved))
        else:
            show_problem(panel.message, error)

    dialog._run(lambda till: pay_gift_card_offline(till, number, amount, approval_id),
                lambda shown: paid(dialog, shown), refused)


def _service(till: Till) -> GiftCardService:
    service = desk(till).service
    if service is None:  # an offline-only till: no hub to ask
        raise GiftCardsNeedTheHub()
    return service


def _log(till: Till) -> RedemptionLog:
    log = desk(till).log
    if log is None:  # no redemption log: never ask the hub for a hold it could not find again
        raise GiftCardsNeedTheHub()
    return log


def paid(dialog: PaymentDialog, shown: CheckoutView) -> None:
    """Back on the pay page, the gift card listed among the tenders (or the sale done)."""
    dialog.pages.setCurrentWidget(dialog.pay_page)
    dialog._after_tender(shown)
