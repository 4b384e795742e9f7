"""The hub's gift card service kept in memory, as the protocol has it (docs/gift-cards.md):
only active cards are found; an electronic card needs the last code sent to its phone (valid
five minutes, used once; three wrong codes in a row lock the card); a redemption is a hold,
idempotent by its id (the same id and body: the same answer, never a second hold; another
body: refused); a release gives the hold back.  ``reachable = False``: head office is down.
(H2b's tests/pos/gift_cards/memory_service.py is the use cases' own; this one drives the screen.)"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from pos.errors import PosError
from pos.gift_cards.numbers import masked, masked_phone
from pos.gift_cards.service import (
    CodeSent, GiftCardCodeExpired, GiftCardFound, GiftCardLocked, GiftCardsNeedTheHub, GiftCardUnknown,
    NoGiftCardForPhone, NotEnoughOnGiftCard, Redeemed, WrongGiftCardCode,
)
from pos.money import Money

CODE_SECONDS = 300


class RedemptionConflict(PosError):
    message = "redemption_conflict"


@dataclass
class Card:
    number: str
    balance: Money
    phone: str = ""
    counter: int = 0
    code: str = ""  # the last code sent ("" once used)
    sent_at: float = 0.0
    wrong: int = 0
    locked: bool = False


@dataclass
class MemoryGiftCards:
    clock: Callable[[], float] = time.monotonic
    reachable: bool = True
    cards: dict[str, Card] = field(default_factory=dict)
    holds: dict[uuid.UUID, tuple[tuple[object, ...], Redeemed]] = field(default_factory=dict)
    released: set[uuid.UUID] = field(default_factory=set)
    sms: list[tuple[str, str]] = field(default_factory=list)  # (phone, code) as the customer gets them

    def activate(self, number: str, balance: Money, phone: str = "") -> None:
        """What the hub does when the sale that sold the card arrives."""
        self.cards[number] = Card(number, balance, phone)

    def _hub(self) -> None:
        if not self.reachable:
            raise GiftCardsNeedTheHub()

    def _card(self, number: str) -> Card:
        card = self.cards.get(number)
        if card is None:
            raise GiftCardUnknown(card=masked(number))
        return card

    def find(self, *, card_number: str = "", phone: str = "") -> tuple[GiftCardFound, ...]:
        self._hub()
        cards = [self._card(card_number)] if card_number else [c for c in self.cards.values() if c.phone == phone]
        if not cards:
            raise NoGiftCardForPhone(phone=masked_phone(phone))
        return tuple(GiftCardFound(c.number, masked(c.number), c.balance, bool(c.phone), c.locked,
                                   masked_phone(c.phone)) for c in cards)

    def send_code(self, card_number: str) -> CodeSent:
        self._hub()
        card = self._card(card_number)
        if card.locked:
            raise GiftCardLocked(card=masked(card.number))
        card.counter += 1
        digest = hashlib.sha256(f"{card.number}/{card.counter}".encode()).hexdigest()
        card.code, card.sent_at = f"{int(digest, 16) % 1_000_000:06d}", self.clock()
        self.sms.append((card.phone, card.code))
        return CodeSent(card.number, masked_phone(card.phone), CODE_SECONDS)

    def redeem(self, redemption_id: uuid.UUID, sale_id: uuid.UUID, card_number: str, amount: Money,
               code: str = "") -> Redeemed:
        self._hub()
        body = (sale_id, card_number, amount, code)
        if redemption_id in self.holds:
            asked, answer = self.holds[redemption_id]
            if asked != body:
                raise RedemptionConflict()
            return answer
        card = self._card(card_number)
        if card.locked:
            raise GiftCardLocked(card=masked(card.number))
        if card.phone:
            if not card.code or self.clock() - card.sent_at > CODE_SECONDS:
                raise GiftCardCodeExpired()
            if code != card.code:
                card.wrong += 1
                card.locked = card.wrong >= 3
                if card.locked:
                    raise GiftCardLocked(card=masked(card.number))
                raise WrongGiftCardCode(attempts_left=3 - card.wrong)
            card.code, card.wrong = "", 0
        if amount > card.balance:
            raise NotEnoughOnGiftCard(card=masked(card.number), balance=card.balance, amount=amount)
        card.balance -= amount
        answer = Redeemed(redemption_id, card_number, amount, "GC" + redemption_id.hex[:6].upper(), card.balance)
        self.holds[redemption_id] = (body, answer)
        return answer

    def release(self, redemption_id: uuid.UUID) -> None:
        self._hub()
        held = self.holds.get(redemption_id)
        if held is not None and redemption_id not in self.released:
            self.released.add(redemption_id)
            self.cards[held[1].card_number].balance += held[1].amount
