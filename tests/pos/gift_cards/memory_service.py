"""The hub's gift card service kept in memory, a real implementation of the agreed protocol
(docs/gift-cards.md) for the till's use case tests: active cards with balances, holds idempotent
by redemption id (the same id, sale, card and amount: the same answer, never a second hold,
whatever the code; another: a conflict), holds given back, one-time codes (a new one makes the
older stop working; 3 wrong in a row lock the card; a right one is used once), and a link that
can be cut, lose a request or lose an answer."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

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
from pos.money import Money

WRONG_CODES_TO_LOCK = 3


@dataclass
class Card:
    number: str
    balance: Money
    phone: str = ""  # electronic: E.164
    code: str = ""  # the code last sent, "" when none is valid
    wrong: int = 0
    locked: bool = False


@dataclass
class Hold:
    body: tuple[uuid.UUID, str, Money]  # sale, card, amount (the code is not compared: it is used once)
    answer: Redeemed
    released: bool = False
    captured: bool = False


@dataclass
class MemoryGiftCards:
    cards: dict[str, Card] = field(default_factory=dict)
    holds: dict[uuid.UUID, Hold] = field(default_factory=dict)
    sms: list[tuple[str, str]] = field(default_factory=list)  # (phone, code) sent
    down: bool = False  # every call fails as if the link were cut
    lose_answers: int = 0  # the next n redeems are done at the "hub" but their answers lost
    lose_requests: int = 0  # the next n redeems never reach the "hub"
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    calls: list[str] = field(default_factory=list)

    # -- the hub's side, for the tests ---------------------------------------------------
    def activate(self, number: str, amount: str, phone: str = "") -> Card:
        card = Card(number, Money.of(amount, "UAH"), phone)
        self.cards[number] = card
        return card

    def capture(self, redemption_id: uuid.UUID) -> None:
        self.holds[redemption_id].captured = True

    def last_code(self) -> str:
        return self.sms[-1][1]

    # -- GiftCardService -----------------------------------------------------------------
    def find(self, *, card_number: str = "", phone: str = "") -> tuple[GiftCardFound, ...]:
        self._link("find")
        if card_number:
            card = self.cards.get(card_number)
            if card is None:
                raise GiftCardUnknown(card=masked(card_number))
            return (self._found(card),)
        found = tuple(self._found(c) for c in self.cards.values() if c.phone and c.phone == phone)
        if not found:
            raise NoGiftCardForPhone(phone=masked_phone(phone))
        return found

    def send_code(self, card_number: str) -> CodeSent:
        self._link("send_code")
        card = self._card(card_number)
        if card.locked:
            raise GiftCardLocked(card=masked(card_number))
        card.code = f"{self.rng.randrange(10 ** 6):06d}"
        self.sms.append((card.phone, card.code))
        return CodeSent(card_number, masked_phone(card.phone), 300)

    def redeem(self, redemption_id: uuid.UUID, sale_id: uuid.UUID, card_number: str, amount: Money,
               code: str = "") -> Redeemed:
        self._link("redeem")
        if self.lose_requests:
            self.lose_requests -= 1
            raise GiftCardsNeedTheHub()
        body = (sale_id, card_number, amount)
        hold = self.holds.get(redemption_id)
        if hold is not None:
            if hold.body != body:
                raise RedemptionConflict()
            return self._answer(hold.answer)
        card = self._card(card_number)
        if card.locked:
            raise GiftCardLocked(card=masked(card_number))
        if card.phone:
            if not card.code or not code:  # none sent, used, or none typed: not a wrong try
                raise GiftCardCodeExpired()
            if code != card.code:
                card.wrong += 1
                if card.wrong >= WRONG_CODES_TO_LOCK:
                    card.locked = True
                    raise GiftCardLocked(card=masked(card_number))
                raise WrongGiftCardCode(attempts_left=WRONG_CODES_TO_LOCK - card.wrong)
            card.code, card.wrong = "", 0  # used once
        if amount > card.balance:
            raise NotEnoughOnGiftCard(card=masked(card_number), balance=card.balance, amount=amount)
        card.balance = card.balance - amount
        answer = Redeemed(redemption_id, card_number, amount, f"GC{len(self.holds) + 1:06d}", card.balance)
        self.holds[redemption_id] = Hold(body, answer)
        return self._answer(answer)

    def release(self, redemption_id: uuid.UUID) -> None:
        self._link("release")
        hold = self.holds.get(redemption_id)
        if hold is None or hold.released:
            return
        if hold.captured:
            raise AssertionError("a captured hold cannot be released")
        hold.released = True
        card = self.cards[hold.body[1]]
        card.balance = card.balance + hold.answer.amount

    # -- inside ----------------------------------------------------------------------------
    def _link(self, call: str) -> None:
        self.calls.append(call)
        if self.down:
            raise GiftCardsNeedTheHub()

    def _answer(self, answer: Redeemed) -> Redeemed:
        if self.lose_answers:
            self.lose_answers -= 1
            raise GiftCardsNeedTheHub()
        return answer

    def _card(self, number: str) -> Card:
        card = self.cards.get(number)
        if card is None:
            raise GiftCardUnknown(card=masked(number))
        return card

    def _found(self, card: Card) -> GiftCardFound:
        # the balance has every hold not released taken off already
        return GiftCardFound(card.number, masked(card.number), card.balance, bool(card.phone), card.locked,
                             masked_phone(card.phone))
