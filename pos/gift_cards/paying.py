"""Paying part of the open sale with a gift card (the payment dialog's "Gift card"), on the
till worker like the other tenders of ``pos.store_day.checkout``.

    find_gift_card(till, service, "9900123456789015" or "050 123 45 67") -> tuple[GiftCardFound, ...]
    send_code(till, service, card_number)                 -> CodeSent (electronic cards)
    pay_gift_card(till, service, log, card_number, "", code="123456") -> CheckoutView ("" = the rest,
                                                             at most the card's balance)
    remove_gift_card(till, service, log, payment_id)      -> CheckoutView (the hold given back)
    offline_offer(till)                                   -> OfflineOffer (allowed? the cap left)
    pay_gift_card_offline(till, card_number, "100", approval_id=None) -> CheckoutView
                                                             (raises NeedsApproval first: a manager)

Online (the normal case) a gift card payment is a hold at the hub, asked under
``holds.redemption_id(basket, turn)``, written in the log before the hub is asked.  An answer
that never came (``GiftCardsNeedTheHub`` after the client's retries) leaves the hold in doubt:
the next ``pay_gift_card`` of the same card and amount asks the same id again (the hub never
holds twice); another card or amount first gives the one in doubt back.  The amount is at most
the rest and at most the card's balance (``""``: the smaller of the two); an electronic card needs
the code the customer got by SMS (``send_code`` first).

Offline (``GiftCardsNeedTheHub``) only under the chain's ``gift_cards`` policy: a plastic card
(the cashier holds it; the till cannot ask the hub which kind it is), at most the policy's cap
for all the sale's offline gift card payments together, each approved by a manager
(``Action.GIFT_CARD_OFFLINE`` bound to its amount and the sale).  It is recorded with
``redemption_id`` None and ``approved_by`` the manager; the hub debits the card when the sale
arrives.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from pos.errors import PosError
from pos.gift_cards import holds
from pos.gift_cards.holds import HELD, AskedRedemption, RedemptionConflict, RedemptionLog
from pos.gift_cards.numbers import masked, read_card_number
from pos.gift_cards.policy import no_offline
from pos.gift_cards.records import GiftCardPayment
from pos.gift_cards.selling import store_region
from pos.gift_cards.service import (
    CodeSent,
    GiftCardFound,
    GiftCardLocked,
    GiftCardService,
    GiftCardsNeedTheHub,
    NotEnoughOnGiftCard,
)
from pos.i18n import N_
from pos.money import BadAmount, Money, money_sum, parse_amount
from pos.phone import normalise_phone
from pos.quantity import shown
from pos.store_day import checkout
from pos.store_day.checkout import CheckoutView
from pos.store_day.roles import Action
from pos.store_day.tenders import NothingLeftToPay, SettledByCash, Settlement, TenderAboveRest, TenderNotPositive
from pos.till import Till

log = logging.getLogger(__name__)


class BadGiftCardAmount(PosError):
    message = N_("“{text}” is not an amount to pay by gift card.")


class GiftCardNeedsCode(PosError):
    message = N_("Gift card {card} is electronic: send the code to the customer's phone and type the code they got.")


class GiftCardOfflineRefused(PosError):
    message = N_("Gift cards need the link to head office, which is down, and this chain takes none offline: "
                 "take another payment.")


class GiftCardOfflineAboveCap(PosError):
    message = N_("Offline, gift cards may pay at most {cap} of a sale; {left} is left of it.")


class GiftCardAlreadyInSale(PosError):
    message = N_("Gift card {card} already pays part of this sale.")


class NoSuchGiftCardPayment(PosError):
    message = N_("That gift card payment is not part of this sale.")


@dataclass(frozen=True, slots=True)
class OfflineOffer:
    allowed: bool  # the chain's policy lets a manager approve an offline gift card payment
    cap: Money  # the most one such payment may be now: the policy's cap less this sale's offline ones


def find_gift_card(till: Till, service: GiftCardService, text: str) -> tuple[GiftCardFound, ...]:
    """The active cards of a number (scanned or typed, spaces and dashes allowed) or of a phone
    (typed any way, read in the store's country).  Raises BadGiftCardNumber, PhoneNumberProblem,
    GiftCardUnknown, NoGiftCardForPhone, GiftCardsNeedTheHub."""
    compact = "".join(ch for ch in text.strip() if ch not in " -")
    if compact.isdigit() and (len(compact) >= 14 or compact.startswith("9900")):
        return service.find(card_number=read_card_number(text))  # a card: BadGiftCardNumber says what is wrong
    return service.find(phone=normalise_phone(text, store_region(till)))


def send_code(till: Till, service: GiftCardService, card_number: str) -> CodeSent:
    """A new one-time code to the electronic card's phone (the older one stops working)."""
    return service.send_code(read_card_number(card_number))


def pay_gift_card(till: Till, service: GiftCardService, log_: RedemptionLog, card_number: str, amount_text: str,
                  code: str = "") -> CheckoutView:
    """A hold of ``amount_text`` (``""``: the rest, at most the balance) on the card, as a tender."""
    number = read_card_number(card_number)
    settlement = checkout.settlement_of(till)
    if any(t.gift_card is not None and t.gift_card.card_number == number for t in settlement.tenders):
        raise GiftCardAlreadyInSale(card=masked(number))
    rest = _rest(settlement)
    found = next((c for c in service.find(card_number=number) if c.card_number == number), None)
    if found is None:
        raise GiftCardsNeedTheHub()  # the hub answered for another card: never pay on that
    if found.locked:
        raise GiftCardLocked(card=found.masked)
    if found.needs_code and not code.strip():
        raise GiftCardNeedsCode(card=found.masked)
    amount = _amount(amount_text, rest, default=min(rest, found.balance))
    if amount > found.balance:
        raise NotEnoughOnGiftCard(card=found.masked, balance=found.balance, amount=amount)
    asked = _asked(till, service, log_, number, amount)
    try:
        try:
            redeemed = service.redeem(asked.redemption_id, till.basket.basket_id, number, amount, code.strip())
        except RedemptionConflict:  # the id in doubt was asked with another code: give it back, ask anew
            service.release(asked.redemption_id)
            log_.released(asked.redemption_id)
            asked = _asked(till, service, log_, number, amount)
            redeemed = service.redeem(asked.redemption_id, till.basket.basket_id, number, amount, code.strip())
    except GiftCardsNeedTheHub:
        log.warning("gift card hold %s: no answer from the hub (in doubt)", asked.redemption_id)
        raise
    except PosError as refusal:
        log_.refused(asked.redemption_id, type(refusal).__name__)
        raise
    log_.held(redeemed)
    log.info("gift card %s holds %s for sale %s (%s)", masked(number), redeemed.amount, till.basket.basket_id,
             asked.redemption_id)
    payment = GiftCardPayment(holds.gift_payment_id(asked.basket_id, asked.turn), number, asked.redemption_id)
    settlement.add_gift_card(redeemed.amount, payment)
    return checkout.view(till)


def remove_gift_card(till: Till, service: GiftCardService | None, log_: RedemptionLog | None,
                     payment_id: uuid.UUID) -> CheckoutView:
    """Take a gift card tender off: its hold is given back to the card first (refused while the
    hub cannot be reached: ``GiftCardsNeedTheHub``); an offline one just goes."""
    settlement = checkout.settlement_of(till)
    tender = next((t for t in settlement.tenders if t.payment.payment_id == payment_id and t.gift_card), None)
    if tender is None or tender.gift_card is None:
        raise NoSuchGiftCardPayment()
    if settlement.rounding is not None:
        raise SettledByCash()
    redemption = tender.gift_card.redemption_id
    if redemption is not None:
        if service is None:
            raise GiftCardsNeedTheHub()
        service.release(redemption)
        if log_ is not None:
            log_.released(redemption)
    settlement.remove_gift_card(payment_id)
    return checkout.view(till)


def offline_offer(till: Till) -> OfflineOffer:
    """May a manager let a gift card pay offline now, and how much at most."""
    currency = till.settings.store.currency
    policy = holds.desk_of(till).policy() or no_offline(currency)
    cap = policy.cap_in(currency)
    if cap.is_zero() or till.day is None:
        return OfflineOffer(False, Money.zero(currency))
    settlement = checkout.settlement_of(till)
    taken = money_sum([t.payment.amount for t in settlement.tenders if t.gift_card is not None and t.gift_card.offline],
                      currency)
    left = max(cap - taken, Money.zero(currency))
    return OfflineOffer(not left.is_zero(), left)


def pay_gift_card_offline(till: Till, card_number: str, amount_text: str,
                          approval_id: uuid.UUID | None = None) -> CheckoutView:
    """A plastic card's payment while the hub cannot be reached: ``""`` = the rest, at most what
    the cap leaves.  Without ``approval_id`` a cashier gets ``NeedsApproval`` (a manager's, for
    this amount and sale); with it, the approval is spent and recorded, then the tender added."""
    number = read_card_number(card_number)
    offer = offline_offer(till)
    if not offer.allowed or till.day is None:
        raise GiftCardOfflineRefused()
    settlement = checkout.settlement_of(till)
    if any(t.gift_card is not None and t.gift_card.card_number == number for t in settlement.tenders):
        raise GiftCardAlreadyInSale(card=masked(number))
    rest = _rest(settlement)
    amount = _amount(amount_text, rest, default=min(rest, offer.cap))
    if amount > offer.cap:
        policy_cap = (holds.desk_of(till).policy() or no_offline(rest.currency)).cap_in(rest.currency)
        raise GiftCardOfflineAboveCap(cap=policy_cap, left=offer.cap)
    staff = till.staff()
    record = till.day.authorise(staff, Action.GIFT_CARD_OFFLINE, approval_id=approval_id, amount=amount,
                                sale_id=till.basket.basket_id)
    approved_by = record.approved_by if record is not None else staff.cashier.cashier_id
    settlement.add_gift_card(amount, GiftCardPayment(uuid.uuid4(), number, None, approved_by))
    log.warning("gift card %s pays %s offline for sale %s, approved by %s", masked(number), amount,
                till.basket.basket_id, approved_by)
    return checkout.view(till)


def gift_cards_held(till: Till) -> Money:
    """What the open sale holds on gift cards at the hub (its tenders and those in doubt in the
    log): a cancel or a park of the sale should give it back first (``release_gift_cards``)."""
    desk = holds.desk_of(till)
    currency = till.settings.store.currency
    if desk.log is None:
        return Money.zero(currency)
    return money_sum([r.asked.amount for r in desk.log.of_basket(till.basket.basket_id) if r.outcome in (HELD, None)],
                     currency)


def release_gift_cards(till: Till) -> None:
    """Give back every hold of the open sale (before cancelling or parking it from the sale
    screen); ``GiftCardHoldsStay`` while the hub cannot be reached.  Their tenders go too."""
    holds.release_all(till, checkout.settlement_of(till))


# -- inside ----------------------------------------------------------------------------------
def _rest(settlement: Settlement) -> Money:
    if settlement.is_settled():
        raise NothingLeftToPay()
    return settlement.rest()


def _amount(text: str, rest: Money, *, default: Money) -> Money:
    if not text.strip():
        amount = default
    else:
        try:
            amount = parse_amount(text, rest.currency)
        except BadAmount:
            raise BadGiftCardAmount(text=shown(text)) from None
    if amount.amount <= 0:
        raise TenderNotPositive()
    if amount > rest:
        raise TenderAboveRest(amount=amount, rest=rest)
    return amount


def _asked(till: Till, service: GiftCardService, log_: RedemptionLog, number: str, amount: Money) -> AskedRedemption:
    """The redemption to ask: the one in doubt again if it is this card and amount; otherwise
    the one in doubt is given back first and the next turn is written down."""
    basket_id = till.basket.basket_id
    logged = log_.of_basket(basket_id)
    for entry in logged:
        if entry.outcome is not None:
            continue
        if entry.asked.card_number == number and entry.asked.amount == amount:
            return entry.asked
        service.release(entry.asked.redemption_id)
        log_.released(entry.asked.redemption_id)
    turn = max((e.asked.turn for e in logged), default=-1) + 1
    asked = AskedRedemption(holds.redemption_id(basket_id, turn), basket_id, turn, number, amount)
    log_.remember(asked)
    return asked
