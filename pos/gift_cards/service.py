"""The hub's gift card service as the till sees it (a port: ``sync/gift_card_client.py`` is its
HTTP adapter; tests use the real hub on loopback).  Every answer needs the hub: a till that
cannot reach it raises ``GiftCardsNeedTheHub`` (the offline policy is ``pos.gift_cards.paying``'s).

The wire protocol is in docs/gift-cards.md."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money


class GiftCardsNeedTheHub(PosError):
    message = N_("Gift cards need the link to head office, which is down: take another payment.")


class GiftCardUnknown(PosError):
    message = N_("No gift card {card} is active: check the number (a card works once its sale reached head office).")


class NoGiftCardForPhone(PosError):
    message = N_("No gift card is bound to {phone}.")


class GiftCardLocked(PosError):
    message = N_("Gift card {card} is locked after three wrong codes: the customer asks head office to unlock it.")


class WrongGiftCardCode(PosError):
    message = N_("That code is wrong: {attempts_left} tries left before the card locks.")


class GiftCardCodeExpired(PosError):
    message = N_("That code has expired or was never sent: send a new code to the customer's phone.")


class NotEnoughOnGiftCard(PosError):
    message = N_("Gift card {card} holds {balance}: less than {amount}.")


@dataclass(frozen=True, slots=True)
class GiftCardFound:
    card_number: str
    masked: str  # "**** **** **** 9015", what the screen and the receipt show
    balance: Money
    needs_code: bool  # an electronic card: a one-time password to the customer's phone first
    locked: bool
    phone_masked: str = ""  # "+380 ** *** ** 67" for an electronic card


@dataclass(frozen=True, slots=True)
class CodeSent:
    card_number: str
    sent_to: str  # the masked phone
    expires_in_seconds: int


@dataclass(frozen=True, slots=True)
class Redeemed:
    """The hub's hold of ``amount`` on the card, captured when the sale arrives (released by
    ``release`` or, unclaimed, after a day)."""

    redemption_id: uuid.UUID
    card_number: str
    amount: Money
    approval_code: str  # letters and digits, at most 12
    balance_after: Money


class GiftCardService(Protocol):
    def find(self, *, card_number: str = "", phone: str = "") -> tuple[GiftCardFound, ...]:
        """The active cards of this number, or bound to this E.164 phone (raises GiftCardUnknown,
        NoGiftCardForPhone, GiftCardsNeedTheHub)."""
        ...

    def send_code(self, card_number: str) -> CodeSent:
        """A new one-time password to the card's phone (the older one stops working)."""
        ...

    def redeem(self, redemption_id: uuid.UUID, sale_id: uuid.UUID, card_number: str, amount: Money,
               code: str = "") -> Redeemed:
        """Hold ``amount`` on the card for the sale.  Idempotent by ``redemption_id``: asked again
        (after a lost answer or a restart) it gives the same answer and never holds twice."""
        ...

    def release(self, redemption_id: uuid.UUID) -> None:
        """Give a hold back to the card (the tender was removed, the payment cancelled);
        releasing a hold already released, or never made, is not an error."""
        ...
