"""The hub's holds on gift cards for the open sale, as the checkout keeps them.

- A hold is asked under ``redemption_id(basket_id, turn)``, written in the till's redemption log
  (``RedemptionLog``, local_db.gift_card_log) BEFORE the hub is asked: a crash or a lost answer
  asks the same id again, and the hub never holds twice.  Its tender's payment id is
  ``gift_payment_id(basket_id, turn)``.
- ``recover``: when paying begins (after a restart, a park, a closed dialog) the holds the log
  says the hub made for this basket are tenders again; one asked but never answered is asked
  again under its id (the hub answers the hold it made, or refuses; never a second hold).
- ``release_all``: cancelling paying gives every hold of the basket back; while the hub cannot
  be reached the cancel is refused (``GiftCardHoldsStay``), the sale must be finished.

What a till uses for gift cards (the hub's service, the log, the chain's policy) is attached
to it by the composition root (``attach``), so the checkout finds them without the window
passing them.
"""

from __future__ import annotations

import logging
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pos.errors import PosError
from pos.gift_cards.policy import GiftCardPolicy
from pos.gift_cards.records import GiftCardPayment
from pos.gift_cards.service import GiftCardService, GiftCardsNeedTheHub, Redeemed
from pos.i18n import N_
from pos.money import Money, money_sum

if TYPE_CHECKING:
    from pos.store_day.tenders import Settlement
    from pos.till import Till

log = logging.getLogger(__name__)

GIFT_IDS = uuid.UUID("0b7e2f44-3c1d-4f7a-9a0e-6d5c4b3a2f19")  # namespace of redemption and payment ids
HELD, REFUSED, RELEASED = "held", "refused", "released"


class GiftCardHoldsStay(PosError):
    message = N_("The gift card payments of {amount} cannot be given back to the cards while the link to head "
                 "office is down: finish the sale, or cancel again when the link is back.")


class RedemptionConflict(PosError):
    """The hub holds this redemption id for another card, amount or code (409 redemption_conflict):
    the till gives that hold back and asks under a new id."""

    message = N_("Head office holds this gift card payment with other details: try again.")


def redemption_id(basket_id: uuid.UUID, turn: int) -> uuid.UUID:
    """The id of the basket's ``turn``-th gift card hold: the same after a restart."""
    return uuid.uuid5(GIFT_IDS, f"{basket_id}/gift/{turn}")


def gift_payment_id(basket_id: uuid.UUID, turn: int) -> uuid.UUID:
    """The sale's payment id of the tender of that hold."""
    return uuid.uuid5(GIFT_IDS, f"{basket_id}/gift-payment/{turn}")


@dataclass(frozen=True, slots=True)
class AskedRedemption:
    redemption_id: uuid.UUID
    basket_id: uuid.UUID
    turn: int
    card_number: str
    amount: Money


@dataclass(frozen=True, slots=True)
class LoggedRedemption:
    asked: AskedRedemption
    outcome: str | None  # None: asked, no answer known; HELD, REFUSED or RELEASED
    approval_code: str = ""

    def tender(self) -> tuple[Money, GiftCardPayment]:
        """The amount and the payment of a held redemption's tender."""
        a = self.asked
        return a.amount, GiftCardPayment(gift_payment_id(a.basket_id, a.turn), a.card_number, a.redemption_id)


class RedemptionLog(Protocol):
    """The till's log of the holds asked (local_db.gift_card_log.SqlGiftCardLog)."""

    def remember(self, asked: AskedRedemption) -> None:
        """Written durably before the hub is asked (asking again the same id: nothing changes)."""
        ...

    def held(self, redeemed: Redeemed) -> None: ...

    def refused(self, redemption_id: uuid.UUID, refusal: str) -> None: ...

    def released(self, redemption_id: uuid.UUID) -> None: ...

    def of_basket(self, basket_id: uuid.UUID) -> list[LoggedRedemption]:
        """The basket's redemptions in the order of their turns."""
        ...


@dataclass(frozen=True, slots=True)
class GiftCardDesk:
    """What one till uses for gift cards; ``service`` None: an offline-only till."""

    service: GiftCardService | None
    log: RedemptionLog | None
    policy: Callable[[], GiftCardPolicy | None]  # the chain's policy as pulled now (None: online only)


_DESKS: weakref.WeakKeyDictionary[Till, GiftCardDesk] = weakref.WeakKeyDictionary()


def attach(till: Till, service: GiftCardService | None, log_: RedemptionLog | None,
           policy: Callable[[], GiftCardPolicy | None] = lambda: None) -> GiftCardDesk:
    desk = GiftCardDesk(service, log_, policy)
    _DESKS[till] = desk
    return desk


def desk_of(till: Till) -> GiftCardDesk:
    return _DESKS.get(till) or GiftCardDesk(None, None, lambda: None)


def recover(till: Till, settlement: Settlement) -> None:
    """The holds of the open basket the log knows, as tenders again.  One asked but never
    answered is asked again under its id (the hub answers the hold it made, never a second one;
    an electronic card's code is not asked again: the hub holds it or refuses it); while the hub
    cannot be reached it stays in doubt (and is asked again by the next payment of that card and
    amount, or given back by a cancel)."""
    desk = desk_of(till)
    if desk.log is None:
        return
    known = {t.payment.payment_id for t in settlement.tenders}
    for logged in desk.log.of_basket(till.basket.basket_id):
        if logged.outcome is None and desk.service is not None:
            logged = _ask_again(desk, desk.log, logged)
        if logged.outcome == HELD:
            amount, payment = logged.tender()
            if payment.payment_id not in known and amount <= settlement.rest():
                log.warning("gift card hold %s of basket %s found in the log", logged.asked.redemption_id,
                            logged.asked.basket_id)
                settlement.add_gift_card(amount, payment)


def _ask_again(desk: GiftCardDesk, log_: RedemptionLog, logged: LoggedRedemption) -> LoggedRedemption:
    a = logged.asked
    assert desk.service is not None
    try:
        redeemed = desk.service.redeem(a.redemption_id, a.basket_id, a.card_number, a.amount, "")
    except GiftCardsNeedTheHub:
        log.warning("gift card hold %s is still in doubt: the hub cannot be reached", a.redemption_id)
        return logged
    except PosError as refusal:
        log_.refused(a.redemption_id, type(refusal).__name__)
        return LoggedRedemption(a, REFUSED)
    log_.held(redeemed)
    return LoggedRedemption(a, HELD, redeemed.approval_code)


def release_all(till: Till, settlement: Settlement | None) -> list[uuid.UUID]:
    """Give back every hold of the open basket (its tenders' and those in doubt in the log), their
    tenders taken off ``settlement``; the payment ids of those tenders.  ``GiftCardHoldsStay``
    when some cannot be (those stay)."""
    desk = desk_of(till)
    holds: dict[uuid.UUID, tuple[uuid.UUID | None, Money]] = {}
    if settlement is not None:
        for t in settlement.tenders:
            if t.gift_card is not None and t.gift_card.redemption_id is not None:
                holds[t.gift_card.redemption_id] = (t.payment.payment_id, t.payment.amount)
    if desk.log is not None:
        for logged in desk.log.of_basket(till.basket.basket_id):
            if logged.outcome in (HELD, None) and logged.asked.redemption_id not in holds:
                holds[logged.asked.redemption_id] = (None, logged.asked.amount)
    released: list[uuid.UUID] = []
    stay: list[Money] = []
    for rid, (payment_id, amount) in holds.items():
        if desk.service is None:
            stay.append(amount)
            continue
        try:
            _release(desk, rid)
        except GiftCardsNeedTheHub:
            stay.append(amount)
            continue
        if payment_id is not None:
            released.append(payment_id)
    if settlement is not None:  # the holds given back are no tenders any more
        settlement.tenders[:] = [t for t in settlement.tenders if t.payment.payment_id not in released]
    if stay:
        raise GiftCardHoldsStay(amount=money_sum(stay, stay[0].currency))
    return released


def release(till: Till, redemption: uuid.UUID) -> None:
    """Give one hold back (the hub, then the log)."""
    desk = desk_of(till)
    if desk.service is None:
        raise GiftCardsNeedTheHub()
    _release(desk, redemption)


def _release(desk: GiftCardDesk, redemption: uuid.UUID) -> None:
    assert desk.service is not None
    desk.service.release(redemption)
    if desk.log is not None:
        desk.log.released(redemption)
    log.info("gift card hold %s released", redemption)
