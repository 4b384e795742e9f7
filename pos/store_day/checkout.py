"""Paying the open sale with cash, card and both (split): the use cases the payment dialog
runs on the till worker, one call at a time.

    begin(till, terminal, log)            -> CheckoutView (recovers card payments of this sale)
    add_cash(till, "200")                 -> CheckoutView ("" = the cash that settles the rest)
    pay_card(till, "", terminal, log)     -> CheckoutView ("" = the rest; blocks on the terminal)
    pay_card_manually(till, "", "A1B2C3", "", log)  (manual mode: the code from the slip)
    check_terminal(till, terminal, log)   -> CheckoutView (the "check the terminal" state)
    finish(till)                          -> TillResult with the recorded sale
    cancel(till)                          -> TillResult (refused while a card payment is taken)
    cards_taken(till, log)                -> Money (what a cancel or park of the sale must respect)

What is paid so far is a ``Settlement`` (pos.store_day.tenders) kept per basket beside the
till.  Card payments survive a crash: each one's payment id is derived from the basket's id
and its turn (``card_payment_id``), and is written in the card log before the terminal is
asked (``pos.card_payments.take_card_payment``).  When the reopened basket is paid again,
``begin`` finds its card payments in the log: an approved one goes back into the
settlement (its details asked of the terminal again), one still unknown is the "check the
terminal" state.  Cash handed over before a crash is not recorded anywhere: the cashier
takes it again.  A sale is never recorded with a card payment still unknown, and an unknown
payment is never taken again under a new id while it is pending.

Gift cards (``pos.gift_cards.paying``): a gift card tender is a hold at the hub, kept like a
card tender when the total changes; ``begin`` finds this basket's holds again in the gift card
log (``pos.gift_cards.holds.recover``); ``cancel`` gives them back to the cards, and is refused
while the hub cannot be reached (``GiftCardHoldsStay``).
"""

from __future__ import annotations

import logging
import uuid
import weakref
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Protocol, cast

from pos.card_manual_entry import manual_card_payment
from pos.card_payments import CardPaymentLog, PendingCardPayment, check_card_payment, take_card_payment
from pos.errors import PosError
from pos.gift_cards import holds
from pos.i18n import N_
from pos.money import BadAmount, Money, money_sum, parse_amount
from pos.payment_terminal import (
    CardApproved,
    CardNotReceived,
    CardCheckTerminal,
    CardResult,
    PaymentTerminal,
)
from pos.quantity import shown
from pos.store_day.roles import Action
from pos.store_day.paid_sale import card_approvals, sale_paid_with
from pos.store_day.tenders import CARD, NothingLeftToPay, Settlement, Tender, TenderAboveRest, TenderNotPositive
from pos.sale import Sale
from pos.store_day.tenders import CardApproval
from pos.till import BadCashAmount, Till, TillResult
from pos.tender import CASH

log = logging.getLogger(__name__)

MAX_CARD_TURNS = 50  # card attempts looked for in the log per sale (declined ones included)
CARD_IDS = uuid.UUID("5f0c1c8e-7b0e-4d55-9a57-3f3c2a1d9b10")  # namespace of card payment ids


class BadCardAmount(PosError):
    message = N_("“{text}” is not an amount to pay by card.")


class CardPaymentUnknown(PosError):
    message = N_(
        "The card terminal has not said whether {amount} was paid. Ask the terminal again, or type the "
        "approval code from its slip: nothing else can be paid until then."
    )


class CardPaymentTaken(PosError):
    message = N_(
        "A card payment of {amount} is already taken for this sale: finish the sale (the rest in cash or "
        "by card); the payment cannot be cancelled here."
    )


class NoCardTerminal(PosError):
    message = N_("No card terminal is connected: type the approval code from the standalone terminal's slip.")


class NothingToCheck(PosError):
    message = N_("No card payment is waiting for the terminal.")


class CardPaymentsExceedTotal(PosError):
    message = N_(
        "The card payments of {paid} taken for this sale are more than its total {total} now: "
        "put the goods back in the sale, then pay."
    )


class CheckoutLog(CardPaymentLog, Protocol):
    """The card log (local_db.card_payment_log.SqlCardPaymentLog) as the checkout reads it."""

    def outcome(self, payment_id: uuid.UUID) -> str | None:
        """The kind of the settled outcome ("CardApproved"...), None while pending or unknown."""
        ...

    def remembered(self, payment_id: uuid.UUID) -> PendingCardPayment | None:
        """The payment written down under this id, settled or not; None if never."""
        ...


@dataclass(frozen=True, slots=True)
class CheckoutView:
    """What the payment dialog shows: the tenders so far, the rest, a card payment in doubt."""

    total: Money
    tenders: tuple[Tender, ...]
    paid: Money
    rest: Money  # exact rest (0 once settled)
    cash_due: Money  # the cash that settles the rest (rounded to the smallest coin)
    change: Money
    settled: bool
    pending: PendingCardPayment | None  # "check the terminal"
    last: CardResult | None = None  # the terminal's last answer, for the message


@dataclass(slots=True)
class _Checkout:
    basket_id: uuid.UUID
    settlement: Settlement
    pending: PendingCardPayment | None = None
    turns: int = 0  # card payment ids used for this basket (the next id is card_payment_id(basket, turns))
    recovered: bool = False
    gifts_recovered: bool = False  # the gift card holds of the log looked at
    lookups: set[uuid.UUID] = field(default_factory=set)  # approved in the log, details to ask again


_CHECKOUTS: weakref.WeakKeyDictionary[Till, _Checkout] = weakref.WeakKeyDictionary()


def card_payment_id(basket_id: uuid.UUID, turn: int) -> uuid.UUID:
    """The id of the basket's ``turn``-th card payment: the same after a restart."""
    return uuid.uuid5(CARD_IDS, f"{basket_id}/card/{turn}")


# -- the use cases ---------------------------------------------------------------------------
def begin(till: Till, terminal: PaymentTerminal | None = None, log_: CheckoutLog | None = None) -> CheckoutView:
    """Start (or resume) paying the open basket: it is frozen, and card payments made for it
    before a restart, a park or a closed dialog are found again in the card log."""
    if till.day is not None:
        till.day.require_selling()
    till.begin_payment()
    checkout = _checkout(till)
    if log_ is not None and not checkout.recovered:
        _recover(checkout, terminal, log_)
        checkout.recovered = True
    if not checkout.gifts_recovered:
        holds.recover(till, checkout.settlement)
        checkout.gifts_recovered = True
    last = None
    if checkout.pending is not None and terminal is not None and log_ is not None:
        last = _check(checkout, terminal, log_)
    return _view(checkout, last)


def add_cash(till: Till, tendered_text: str = "") -> CheckoutView:
    """Cash handed over (``""``: exactly the cash that settles the rest).  Less than the rest is
    a part payment; more gives change.  The amount must be one the shop's coins make."""
    checkout = _checkout(till)
    _require_no_doubt(checkout)
    settlement = checkout.settlement
    tendered = settlement.cash_due() if not tendered_text.strip() else _cash(tendered_text, settlement.total.currency)
    settlement.add_cash(tendered)
    return _view(checkout)


def pay_card(till: Till, amount_text: str, terminal: PaymentTerminal | None, log_: CheckoutLog,
             *, approval_code: str = "", card_digits: str = "",
             sent: _Sent | None = None) -> CheckoutView:
    """A card payment of ``amount_text`` (``""``: the rest).  With a terminal: written in the
    log, then asked of the terminal (blocking until the customer is done; ``sent(payment)``
    is called first, so the window can offer to cancel it).  Without one (manual mode): the
    approval code the standalone terminal printed."""
    if terminal is None:
        return pay_card_manually(till, amount_text, approval_code, card_digits, log_)
    checkout = _checkout(till)
    _require_no_doubt(checkout)
    payment = _next_payment(checkout, till, amount_text)
    if sent is not None:
        sent(payment)
    result = take_card_payment(terminal, log_, payment.amount, payment.payment_id)
    return _view(checkout, _take(checkout, result))


def pay_card_manually(till: Till, amount_text: str, approval_code: str, card_digits: str,
                      log_: CheckoutLog) -> CheckoutView:
    """Manual mode, or the answer to "check the terminal": the approval code from the slip.
    With a payment in doubt, the code settles that payment (its amount); otherwise a new one."""
    checkout = _checkout(till)
    if checkout.pending is not None:
        payment = checkout.pending
    else:
        payment = _next_payment(checkout, till, amount_text)
    result = manual_card_payment(payment.payment_id, payment.amount, approval_code, card_digits)  # refused first
    if checkout.pending is None:
        log_.remember(payment)
    log_.settle(payment.payment_id, result)
    return _view(checkout, _take(checkout, result))


def check_terminal(till: Till, terminal: PaymentTerminal | None, log_: CheckoutLog) -> CheckoutView:
    """Ask the terminal again what became of the payment in doubt."""
    checkout = _checkout(till)
    if checkout.pending is None:
        raise NothingToCheck()
    if terminal is None:
        raise NoCardTerminal()
    return _view(checkout, _check(checkout, terminal, log_))


def not_charged(till: Till, log_: CheckoutLog, approval_id: uuid.UUID | None = None) -> CheckoutView:
    """The terminal cannot be asked any more (broken, replaced) and a manager has seen on it, or
    on its end-of-day list, that the payment in doubt was not charged: it is settled in the log as
    not received, under a manager's approval bound to its amount and this sale (journalled, so
    the audit shows who said so); the sale then goes on.  Never for a payment the terminal
    can still be asked about: ask it again first."""
    checkout = _checkout(till)
    pending = checkout.pending
    if pending is None:
        raise NothingToCheck()
    if till.day is not None:
        till.day.authorise(till.staff(), Action.CARD_NOT_CHARGED, approval_id=approval_id, amount=pending.amount,
                           sale_id=till.basket.basket_id)
    result = CardNotReceived(pending.payment_id)
    log_.settle(pending.payment_id, result)
    log.warning("card payment %s of %s declared not charged by %s", pending.payment_id, pending.amount,
                till.staff().cashier.cashier_id)
    return _view(checkout, _take(checkout, result))


def cancel_at_terminal(terminal: PaymentTerminal, payment: PendingCardPayment) -> CardResult:
    """The cashier's Cancel while the customer is at the terminal.  Runs on its own thread (the
    till worker is waiting on ``pay``); ``pay`` then answers cancelled, or approved if the
    customer had already paid (cancelling never refunds)."""
    return terminal.cancel(payment.payment_id, payment.amount)


def view(till: Till) -> CheckoutView:
    return _view(_checkout(till))


def add_exact(till: Till, method: str, amount: Money) -> CheckoutView:
    """A tender that settles exactly, without change, at most the rest (loyalty points:
    ``pos.loyalty.paying``, which checks the amount first)."""
    checkout = _checkout(till)
    _require_no_doubt(checkout)
    checkout.settlement._exact(method, amount, None)
    return _view(checkout)


def settlement_of(till: Till) -> Settlement:
    """The open basket's settlement, for another tender's use case (``pos.gift_cards.paying``);
    refused while a card payment is in doubt."""
    checkout = _checkout(till)
    _require_no_doubt(checkout)
    return checkout.settlement


def cards_taken(till: Till, log_: CheckoutLog) -> Money:
    """What the open basket has had taken by card, approved or in doubt, in this session or
    before a restart (the log): a sale with such payments must be paid, not cancelled or
    parked (the customer's money is with the store).  Zero when there is none."""
    basket_id = till.basket.basket_id
    amounts: dict[uuid.UUID, Money] = {}
    checkout = _CHECKOUTS.get(till)
    if checkout is not None and checkout.basket_id == basket_id:
        amounts.update({t.payment.payment_id: t.payment.amount for t in checkout.settlement.tenders
                        if t.payment.method == CARD})
        if checkout.pending is not None:
            amounts[checkout.pending.payment_id] = checkout.pending.amount
    for turn in range(MAX_CARD_TURNS):
        payment_id = card_payment_id(basket_id, turn)
        payment = log_.remembered(payment_id)
        if payment is None:
            break
        if log_.outcome(payment_id) in (None, CardApproved.__name__):
            amounts[payment_id] = payment.amount
    return money_sum(list(amounts.values()), till.settings.store.currency)


def finish(till: Till) -> TillResult:
    """Record the settled sale with its card approvals (one transaction), then a new basket."""
    checkout = _checkout(till)
    _require_no_doubt(checkout)
    day = till.day
    if day is None:
        raise ValueError("paying with a settlement needs the store's day")
    cashier = till.staff().cashier  # signed in, not locked (the shift was checked above)
    settled = checkout.settlement.settle()
    sale = sale_paid_with(till.basket, settled, **till.pricing_of_sale(), store_id=till.settings.store.store_id,
                          till_id=till.settings.store.till_id, cashier=cashier, completed_at=till.clock.now())
    sale = till.with_points(sale)  # loyalty points earned, and spent by its "points" tenders
    journal = cast(_PaidSales, day.journal)  # local_db.store_day_journal.SqlStoreDay
    recorded = journal.record_paid_sale(sale, card_approvals(settled))
    log.info("sale %s paid with %d tenders recorded as receipt %d", recorded.sale_id, len(settled.tenders),
             recorded.receipt_number)
    _CHECKOUTS.pop(till, None)
    return till.complete(recorded)


def cancel(till: Till) -> TillResult:
    """Back to the sale: cash taken so far is handed back, gift card holds given back to the
    cards.  Refused once a card payment is taken or in doubt (the money is with the store: the
    sale must be finished), and while a gift card hold cannot be given back (no link)."""
    checkout = _CHECKOUTS.get(till)
    if checkout is not None and checkout.basket_id == till.basket.basket_id:
        _require_no_doubt(checkout)
        cards = [t for t in checkout.settlement.tenders if t.payment.method == CARD]
        if cards:
            raise CardPaymentTaken(amount=money_sum([t.payment.amount for t in cards], checkout.settlement.total.currency))
        holds.release_all(till, checkout.settlement)
        del _CHECKOUTS[till]
    else:
        holds.release_all(till, None)
    return till.cancel_payment()


# -- inside ----------------------------------------------------------------------------------
class _PaidSales(Protocol):
    def record_paid_sale(self, sale: Sale, cards: Mapping[uuid.UUID, CardApproval] | None = None) -> Sale: ...


def _cash(text: str, currency: str) -> Money:
    try:
        return parse_amount(text, currency)
    except BadAmount:
        raise BadCashAmount(text=shown(text)) from None


class _Sent(Protocol):
    def __call__(self, payment: PendingCardPayment) -> None: ...


def _checkout(till: Till) -> _Checkout:
    """The settlement of the open basket, made anew when the basket or its total changed
    (its card tenders kept: the customer paid them)."""
    if till.day is not None:
        till.day.require_selling()
    basket = till.basket
    total = till.priced().total
    checkout = _CHECKOUTS.get(till)
    if checkout is None or checkout.basket_id != basket.basket_id:
        checkout = _Checkout(basket.basket_id, Settlement(total, till.settings.cash))
        _CHECKOUTS[till] = checkout
    elif checkout.settlement.total != total:
        cards = [t for t in checkout.settlement.tenders if t.payment.method == CARD or t.gift_card is not None]
        checkout.settlement = _with_cards(Settlement(total, till.settings.cash), cards)
    return checkout


def _with_cards(settlement: Settlement, cards: list[Tender]) -> Settlement:
    paid = money_sum([t.payment.amount for t in cards], settlement.total.currency)
    if paid > settlement.total:
        raise CardPaymentsExceedTotal(paid=paid, total=settlement.total)
    for tender in cards:
        if tender.gift_card is not None:
            settlement.add_gift_card(tender.payment.amount, tender.gift_card)
            continue
        assert tender.card is not None
        settlement.add_card(tender.payment.amount, tender.card, tender.payment.payment_id)
    return settlement


def _require_no_doubt(checkout: _Checkout) -> None:
    if checkout.pending is not None:
        raise CardPaymentUnknown(amount=checkout.pending.amount)


def _next_payment(checkout: _Checkout, till: Till, amount_text: str) -> PendingCardPayment:
    settlement = checkout.settlement
    rest = settlement.rest()
    if amount_text.strip():
        try:
            amount = parse_amount(amount_text, settlement.total.currency)
        except BadAmount:
            raise BadCardAmount(text=shown(amount_text)) from None
    else:
        amount = rest
    if settlement.is_settled():
        raise NothingLeftToPay()
    if amount.amount <= 0:
        raise TenderNotPositive()
    if amount > rest:
        raise TenderAboveRest(amount=amount, rest=rest)
    payment = PendingCardPayment(card_payment_id(checkout.basket_id, checkout.turns), amount)
    checkout.turns += 1
    return payment


def _take(checkout: _Checkout, result: CardResult) -> CardResult:
    """The terminal's answer to a payment of this checkout."""
    if isinstance(result, CardApproved):
        checkout.pending = None
        if not any(t.payment.payment_id == result.payment_id for t in checkout.settlement.tenders):
            checkout.settlement.add_approved_card(result)
    elif isinstance(result, CardCheckTerminal):
        checkout.pending = PendingCardPayment(result.payment_id, result.amount)
    else:  # declined, cancelled, not received: nothing was charged
        checkout.pending = None
    return result


def _check(checkout: _Checkout, terminal: PaymentTerminal, log_: CheckoutLog) -> CardResult:
    assert checkout.pending is not None
    return _take(checkout, check_card_payment(terminal, log_, checkout.pending))


def _recover(checkout: _Checkout, terminal: PaymentTerminal | None, log_: CheckoutLog) -> None:
    """The card payments the log holds for this basket (after a restart, a park, a closed dialog)."""
    known = {t.payment.payment_id for t in checkout.settlement.tenders}
    for turn in range(MAX_CARD_TURNS):
        payment_id = card_payment_id(checkout.basket_id, turn)
        payment = log_.remembered(payment_id)
        if payment is None:
            checkout.turns = max(checkout.turns, turn)
            return
        if payment_id in known:
            continue
        outcome = log_.outcome(payment_id)
        if outcome is None or outcome == CardApproved.__name__:
            log.warning("card payment %s of basket %s found in the log (%s)", payment_id, checkout.basket_id,
                        outcome or "pending")
            checkout.pending = payment  # approved: its details are asked again; pending: checked
            if terminal is not None:
                _take(checkout, check_card_payment(terminal, log_, payment))
            if checkout.pending is not None:
                checkout.turns = turn + 1
                return  # one payment in doubt at a time: settle it first
    checkout.turns = MAX_CARD_TURNS


def _view(checkout: _Checkout, last: CardResult | None = None) -> CheckoutView:
    s = checkout.settlement
    zero = Money.zero(s.total.currency)
    return CheckoutView(
        total=s.total,
        tenders=tuple(s.tenders),
        paid=s.paid(),
        rest=s.rest(),
        cash_due=s.cash_due() if not s.is_settled() else zero,
        change=money_sum([t.payment.change for t in s.tenders if t.payment.method == CASH], s.total.currency),
        settled=s.is_settled(),
        pending=checkout.pending,
        last=last,
    )
