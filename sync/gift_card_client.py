"""The hub's gift card service over HTTP (``pos.gift_cards.service.GiftCardService``):
``POST /v1/gift-cards/find``, ``/code``, ``/redeem`` and ``/release`` on the till's ``HubClient``
(its credential, TLS, timeouts, bounded answers and error kinds; docs/gift-cards.md).

* The cashier is waiting: each request has a short timeout (``GIFT_CARD_TIMEOUT``).  ``find``,
  ``redeem`` and ``release`` are idempotent (a redeem by its redemption id) and are tried again
  on a transport failure or a busy hub, a few times quickly; ``code`` is tried once (another
  try would send another SMS, and the first code would stop working).
* Whatever leaves the request's outcome unknown or the hub out of reach (refused, timed out,
  cut, a 5xx or 429, an answer the till cannot use, a certificate, address or credential the
  till cannot use) is ``GiftCardsNeedTheHub``: the payment stays in doubt in the till's log and
  is asked again under the same id, never taken twice.  The real reason is logged.
* The hub's refusals are the port's errors: 404 ``gift_card_unknown``/``bad_card_number`` ->
  ``GiftCardUnknown``, ``no_gift_card_for_phone`` -> ``NoGiftCardForPhone``, 423 ->
  ``GiftCardLocked``, 403 ``wrong_code`` -> ``WrongGiftCardCode`` (tries left), 410 ->
  ``GiftCardCodeExpired``, 409 ``not_enough`` -> ``NotEnoughOnGiftCard`` (the balance),
  ``redemption_conflict`` -> ``RedemptionConflict``, ``not_electronic`` -> ``GiftCardNotElectronic``,
  ``already_captured`` -> ``HoldAlreadyCaptured``; any other 4xx is ``RequestRefused``.
* The log never holds a card number unmasked, a phone unmasked nor a code.
"""

from __future__ import annotations

import logging
import re
import uuid
from decimal import Decimal
from typing import Annotated, Any

import httpx
from pydantic import BaseModel, ConfigDict, StringConstraints

from pos.errors import PosError
from pos.gift_cards.holds import RedemptionConflict
from pos.gift_cards.numbers import masked, masked_phone
from pos.gift_cards.service import (
    CodeSent,
    GiftCardCodeExpired,
    GiftCardFound,
    GiftCardLocked,
    GiftCardsNeedTheHub,
    GiftCardUnknown,
    NoGiftCardForPhone,
    NotEnoughOnGiftCard,
    Redeemed,
    WrongGiftCardCode,
)
from pos.i18n import N_
from pos.money import Money
from sync.answers import Amount, Currency, ErrorBody
from sync.errors import RequestRefused, SyncError
from sync.hub_client import HubClient, RetryPolicy

log = logging.getLogger(__name__)

GIFT_CARD_TIMEOUT = 4.0  # seconds to connect and as long for the answer: the cashier is waiting
QUICK_RETRIES = RetryPolicy(attempts=2, first_wait=0.2, max_wait=1.0)  # at most ~9 s for the cashier
ONCE = RetryPolicy(attempts=1)
CardNumber = Annotated[str, StringConstraints(pattern=r"^9900\d{12}$")]
ApprovalCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,12}$")]
Short = Annotated[str, StringConstraints(max_length=40)]


class GiftCardNotElectronic(PosError):
    message = N_("Gift card {card} is a plastic card: it needs no code.")


class HoldAlreadyCaptured(PosError):
    message = N_("That gift card payment already reached head office with its sale: it cannot be given back here.")


class _Answer(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class _Card(_Answer):
    card_number: CardNumber
    masked: Short
    balance: Amount
    currency: Currency
    needs_code: bool
    locked: bool
    phone_masked: Short = ""


class _Found(_Answer):
    cards: list[_Card]


class _CodeAnswer(_Answer):
    card_number: CardNumber
    sent_to: Short
    expires_in_seconds: int


class _Redeemed(_Answer):
    redemption_id: str
    card_number: CardNumber
    amount: Amount
    currency: Currency
    approval_code: ApprovalCode
    balance_after: Amount


class _Released(_Answer):
    redemption_id: str
    released: bool


class _Refusal(ErrorBody):
    attempts_left: int | None = None
    balance: str | None = None


class HubGiftCards:
    """``GiftCardService`` on the till's hub client; ``currency``: the till's (a card of
    another currency is not one this till can take)."""

    def __init__(self, hub: HubClient, currency: str, *, timeout: float = GIFT_CARD_TIMEOUT) -> None:
        self.hub = hub
        self.currency = currency
        self.timeout = timeout

    def find(self, *, card_number: str = "", phone: str = "") -> tuple[GiftCardFound, ...]:
        key = {"card_number": card_number} if card_number else {"phone": phone}
        body = {"schema": "kassa.gift_card_find.v1", **key}
        what = masked(card_number) if card_number else masked_phone(phone)
        answer = self._ask("/v1/gift-cards/find", body, 200, _Found, QUICK_RETRIES, card=card_number, phone=phone)
        cards = tuple(self._found(c) for c in answer.cards if c.currency == self.currency)
        if len(cards) < len(answer.cards):
            log.warning("gift cards of another currency than %s left out of the answer for %s", self.currency, what)
        if card_number and any(c.card_number != card_number for c in cards):
            raise self._unusable(f"asked for gift card {what}, the answer is of another card")
        if not cards:
            raise GiftCardUnknown(card=what) if card_number else NoGiftCardForPhone(phone=what)
        return cards

    def send_code(self, card_number: str) -> CodeSent:
        body = {"schema": "kassa.gift_card_code.v1", "card_number": card_number}
        answer = self._ask("/v1/gift-cards/code", body, 202, _CodeAnswer, ONCE, card=card_number)
        if answer.card_number != card_number:
            raise self._unusable(f"asked to send a code for gift card {masked(card_number)}, the answer is of another")
        return CodeSent(card_number, answer.sent_to, answer.expires_in_seconds)

    def redeem(self, redemption_id: uuid.UUID, sale_id: uuid.UUID, card_number: str, amount: Money,
               code: str = "") -> Redeemed:
        body = {"schema": "kassa.gift_card_redemption.v1", "redemption_id": str(redemption_id),
                "sale_id": str(sale_id), "card_number": card_number, "amount": str(amount.amount),
                "currency": amount.currency, "code": code}
        answer = self._ask("/v1/gift-cards/redeem", body, 200, _Redeemed, QUICK_RETRIES, card=card_number,
                           amount=amount)
        held = Money(Decimal(answer.amount), answer.currency)
        if answer.redemption_id != str(redemption_id) or answer.card_number != card_number or held != amount:
            raise self._unusable(f"the hold {redemption_id} of {amount} on {masked(card_number)} came back otherwise")
        return Redeemed(redemption_id, card_number, held, answer.approval_code,
                        Money(Decimal(answer.balance_after), answer.currency))

    def release(self, redemption_id: uuid.UUID) -> None:
        body = {"schema": "kassa.gift_card_release.v1", "redemption_id": str(redemption_id)}
        answer = self._ask("/v1/gift-cards/release", body, 200, _Released, QUICK_RETRIES)
        if answer.redemption_id != str(redemption_id):
            raise self._unusable(f"asked to release hold {redemption_id}, the answer is of another")
        if not answer.released:
            log.info("gift card hold %s was never made: nothing to give back", redemption_id)

    # -- inside ------------------------------------------------------------------------------
    def _ask(self, path: str, body: dict[str, Any], expected: int, model: type[Any], retry: RetryPolicy, *,
             card: str = "", phone: str = "", amount: Money | None = None) -> Any:
        try:
            status, answer = self.hub._exchange("POST", path, json=body, retry=retry,
                                                timeout=httpx.Timeout(self.timeout))
            if status == expected:
                return self.hub._parse(model, answer, f"{path} answer")
            self._refused(status, answer, card=card, phone=phone, amount=amount)
            self.hub._check_status(status, answer, expected=expected)  # 401, other 4xx, odd statuses
        except SyncError as error:
            if isinstance(error, RequestRefused):
                raise  # the hub refused the request itself (a 4xx it has no gift card code for)
            log.warning("gift cards: POST %s failed: %s", path, error.reason)
            raise GiftCardsNeedTheHub() from error
        raise self._unusable(f"unexpected status {status} to {path}")

    def _refused(self, status: int, body: bytes, *, card: str, phone: str, amount: Money | None) -> None:
        try:
            refusal = _Refusal.model_validate_json(body)
        except ValueError:
            return
        code, shown = refusal.error, masked(card) if card else ""
        if status == 404 and code in ("gift_card_unknown", "bad_card_number"):
            raise GiftCardUnknown(card=shown)
        if status == 404 and code == "no_gift_card_for_phone":
            raise NoGiftCardForPhone(phone=masked_phone(phone))
        if status == 423:
            raise GiftCardLocked(card=shown)
        if status == 403 and code == "wrong_code":
            raise WrongGiftCardCode(attempts_left=refusal.attempts_left if refusal.attempts_left is not None else 0)
        if status == 410:
            raise GiftCardCodeExpired()
        if status == 409 and code == "not_enough" and amount is not None:
            balance = refusal.balance or ""
            balance = balance if re.fullmatch(r"\d{1,13}(\.\d{1,6})?", balance) else "0"
            raise NotEnoughOnGiftCard(card=shown, balance=Money(Decimal(balance), amount.currency), amount=amount)
        if status == 409 and code == "redemption_conflict":
            raise RedemptionConflict()
        if status == 409 and code == "not_electronic":
            raise GiftCardNotElectronic(card=shown)
        if status == 409 and code == "already_captured":
            raise HoldAlreadyCaptured()

    def _found(self, card: _Card) -> GiftCardFound:
        return GiftCardFound(card.card_number, masked(card.card_number), Money(Decimal(card.balance), card.currency),
                             card.needs_code, card.locked, card.phone_masked)

    def _unusable(self, reason: str) -> GiftCardsNeedTheHub:
        log.error("bad gift card answer from the hub at %s: %s", self.hub.base_url, reason)
        return GiftCardsNeedTheHub()

