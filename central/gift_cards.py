"""Gift cards at the hub: finding a card, holding an amount on it for a till's sale, giving a
hold back (docs/gift-cards.md).  Every function runs in the caller's write transaction.

- A card number is 16 digits starting "9900" with a Luhn check digit (``card_number``); a
  person sees it masked, "**** **** **** 9015" (``masked_card``).
- A hold (``redeem``) is idempotent by its ``redemption_id``: asked again with the same sale,
  card, amount and currency it answers what it answered the first time and never holds twice
  (even once the one-time code was used); with anything else, ``redemption_conflict``.
- A hold takes its amount off the balance at once by ``UPDATE ... WHERE balance_minor >=
  amount``, so two tills holding on one card together never take more than it has and a hold
  never makes a balance negative.
- A hold never captured by its sale is given back after ``STALE_AFTER`` (24 hours):
  ``release_stale``, by ``kassa-hub gift-cards release-stale`` and lazily whenever a till looks
  at the card.
- An electronic card (one with a phone) pays only with its one-time code (central/gift_card_codes.py).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, select, update
from stdnum import luhn

from central import gift_card_errors as e
from central.gift_card_tables import HELD, RELEASED, gift_card_redemptions, gift_cards
from central.stores import TillIdentity
from pos.money import CURRENCY_EXPONENTS, Money
from pos.gift_cards.numbers import masked_phone

CARD_PREFIX = "9900"
CARD_DIGITS = 16
STALE_AFTER = timedelta(hours=24)
MAX_AMOUNT = Decimal("10000.00")  # no card holds more: the most a card is sold for
_APPROVAL_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def card_number(text: Any) -> str:
    """The card number in ``text``, or BadCardNumber naming what is wrong with it."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        raise e.BadCardNumber("a gift card number is 16 digits")
    if len(text) != CARD_DIGITS:
        raise e.BadCardNumber(f"a gift card number is 16 digits, not {len(text)}")
    if not text.startswith(CARD_PREFIX):
        raise e.BadCardNumber(f"a gift card number starts {CARD_PREFIX}")
    if not luhn.is_valid(text):
        raise e.BadCardNumber("the gift card number's check digit is wrong: a digit was mistyped")
    return text


def masked_card(number: str) -> str:
    return "**** **** **** " + number[-4:]


def currency_of(text: Any) -> str:
    if not isinstance(text, str) or text not in CURRENCY_EXPONENTS:
        raise e.BadCurrency(f"{str(text)[:10]!r} is not a currency the hub knows")
    return text


def amount_minor(text: Any, currency: str) -> int:
    """A payment's amount in minor units: more than zero, whole minor units, at most MAX_AMOUNT."""
    try:
        value = Decimal(text) if isinstance(text, str) and len(text) <= 20 else None
        minor = None if value is None or not value.is_finite() else Money(value, currency).minor_units()
    except (ArithmeticError, ValueError):
        minor = None
    if minor is None:
        raise e.BadAmount(f"{str(text)[:20]!r} is not an amount in {currency}")
    if minor <= 0:
        raise e.BadAmount(f"the amount {text} is not more than zero")
    if value is not None and value > MAX_AMOUNT:
        raise e.BadAmount(f"the amount {text} is more than a gift card can hold ({MAX_AMOUNT})")
    return minor


def money_text(minor: int, currency: str) -> str:
    return str(Money.from_minor(int(minor), currency).amount)


def locked_card(conn: Connection, number: str) -> Row[Any] | None:
    """The card's row, locked for this transaction (PostgreSQL; SQLite has one writer anyway)."""
    return conn.execute(select(gift_cards).where(gift_cards.c.card_number == number).with_for_update()).first()


def card_answer(row: Row[Any]) -> dict[str, Any]:
    """What a till is told of a card (``kassa.gift_card_find.v1``'s answer)."""
    return {"card_number": row.card_number, "masked": masked_card(row.card_number),
            "balance": money_text(row.balance_minor, row.currency), "currency": row.currency,
            "needs_code": bool(row.phone), "locked": bool(row.locked),
            "phone_masked": masked_phone(row.phone) if row.phone else ""}


def find(conn: Connection, now: datetime, *, number: str = "", phone: str = "") -> list[dict[str, Any]]:
    """The active card of this number, or the cards bound to this E.164 phone; stale holds of
    them are given back first."""
    where = gift_cards.c.card_number == number if number else gift_cards.c.phone == phone
    numbers = conn.execute(select(gift_cards.c.card_number).where(where).order_by(gift_cards.c.card_number)).scalars().all()
    if not numbers:
        if number:
            raise e.GiftCardUnknown(f"no gift card {masked_card(number)} is active (a card works once its sale "
                                    "reached head office)")
        raise e.NoGiftCardForPhone(f"no gift card is bound to {masked_phone(phone)}")
    release_stale(conn, now, numbers)
    rows = conn.execute(select(gift_cards).where(gift_cards.c.card_number.in_(numbers))
                        .order_by(gift_cards.c.card_number)).all()
    return [card_answer(row) for row in rows]


def release_stale(conn: Connection, now: datetime, numbers: Sequence[str] | None = None) -> int:
    """Give back every hold older than STALE_AFTER never captured (of these cards, or all)."""
    r = gift_card_redemptions
    query = select(r.c.id, r.c.card_number, r.c.amount_minor).where(r.c.status == HELD, r.c.held_at < now - STALE_AFTER)
    if numbers is not None:
        query = query.where(r.c.card_number.in_(numbers))
    released = 0
    for row in conn.execute(query.order_by(r.c.card_number, r.c.id)).all():
        released += give_back(conn, row.id, row.card_number, row.amount_minor, now)
    return released


def give_back(conn: Connection, row_id: int, number: str, minor: int, now: datetime) -> int:
    """Release one hold if it is still held (1), else nothing (0): never given back twice.
    The card's row is locked first, as every path that changes a card does (no deadlock)."""
    r = gift_card_redemptions
    locked_card(conn, number)
    done = conn.execute(update(r).where(r.c.id == row_id, r.c.status == HELD)
                        .values(status=RELEASED, settled_at=now)).rowcount
    if done:
        conn.execute(update(gift_cards).where(gift_cards.c.card_number == number)
                     .values(balance_minor=gift_cards.c.balance_minor + minor))
    return int(done)


@dataclass(frozen=True, slots=True)
class HoldAsked:
    redemption_id: uuid.UUID
    sale_id: uuid.UUID
    card_number: str
    amount: str
    currency: str
    code: str


def _answer(row: Row[Any]) -> dict[str, Any]:
    return {"redemption_id": row.redemption_id, "card_number": row.card_number,
            "amount": money_text(row.amount_minor, row.currency), "currency": row.currency,
            "approval_code": row.approval_code, "balance_after": money_text(row.balance_after_minor, row.currency)}


def _same(row: Row[Any], asked: HoldAsked, minor: int | None) -> bool:
    return (row.sale_id == str(asked.sale_id) and row.card_number == asked.card_number
            and row.currency == asked.currency and row.amount_minor == minor)


def redeem(conn: Connection, asked: HoldAsked, till: TillIdentity, now: datetime,
           ) -> tuple[dict[str, Any] | None, e.GiftCardProblem | None]:
    """Hold ``asked.amount`` on the card: (the answer, None), or (None, the error to answer
    once this transaction commits: a wrong code must be counted even though it is refused)."""
    from central.gift_card_codes import check_code  # the codes need this module's helpers

    r = gift_card_redemptions
    number = card_number(asked.card_number)
    currency = currency_of(asked.currency)
    card = locked_card(conn, number)  # first: a second request of the same id waits for the first
    before = conn.execute(select(r).where(r.c.redemption_id == str(asked.redemption_id))).first()
    if before is not None:
        try:
            minor: int | None = amount_minor(asked.amount, currency)
        except e.BadAmount:
            minor = None
        if _same(before, asked, minor):
            return _answer(before), None
        raise e.RedemptionConflict(f"redemption {asked.redemption_id} was asked before with another sale, card "
                                   "or amount: a new payment needs a new redemption id")
    if card is None:  # before the amount: a till asking with an unknown card learns that first
        raise e.GiftCardUnknown(f"no gift card {masked_card(number)} is active (a card works once its sale "
                                "reached head office)")
    minor = amount_minor(asked.amount, currency)
    if currency != card.currency:
        raise e.BadCurrency(f"gift card {masked_card(number)} is in {card.currency}, not {currency}")
    if release_stale(conn, now, [number]):
        card = locked_card(conn, number)
        assert card is not None
    if card.locked:
        raise e.GiftCardLocked(f"gift card {masked_card(number)} is locked after three wrong codes: head office "
                               "unlocks it (kassa-hub gift-cards unlock)")
    if card.balance_minor < minor:  # before the code: a right code is not spent on a refusal
        raise _not_enough(number, int(card.balance_minor), minor, currency)
    if card.phone:
        refused = check_code(conn, card, asked.code, now)
        if refused is not None:
            return None, refused
    taken = conn.execute(update(gift_cards).where(gift_cards.c.card_number == number,
                                                  gift_cards.c.balance_minor >= minor)
                         .values(balance_minor=gift_cards.c.balance_minor - minor)).rowcount
    balance = int(conn.execute(select(gift_cards.c.balance_minor).where(gift_cards.c.card_number == number)).scalar_one())
    if not taken:  # the card's row is locked: never, but the UPDATE's condition is what guarantees it
        return None, _not_enough(number, balance, minor, currency)
    approval = "GC" + "".join(secrets.choice(_APPROVAL_LETTERS) for _ in range(8))
    conn.execute(r.insert().values(
        redemption_id=str(asked.redemption_id), card_number=number, sale_id=str(asked.sale_id), payment_id=None,
        amount_minor=minor, currency=currency, status=HELD, approval_code=approval, balance_after_minor=balance,
        approved_by="", store_id=till.store_id, till_id=till.till_id, held_at=now, settled_at=None))
    row = conn.execute(select(r).where(r.c.redemption_id == str(asked.redemption_id))).one()
    return _answer(row), None


def _not_enough(number: str, balance: int, minor: int, currency: str) -> e.NotEnough:
    return e.NotEnough(f"gift card {masked_card(number)} holds {money_text(balance, currency)} {currency}: less "
                       f"than {money_text(minor, currency)}", balance=money_text(balance, currency))


def release(conn: Connection, redemption_id: uuid.UUID, now: datetime) -> bool:
    """Give a hold back: True once released (again: True), False when it was never held;
    AlreadyCaptured when its sale reached the hub."""
    r = gift_card_redemptions
    row = conn.execute(select(r).where(r.c.redemption_id == str(redemption_id))).first()
    if row is None:
        return False
    locked_card(conn, row.card_number)
    row = conn.execute(select(r).where(r.c.redemption_id == str(redemption_id))).one()
    if row.status == RELEASED:
        return True
    if row.status != HELD:
        raise e.AlreadyCaptured(f"redemption {redemption_id} was taken by its sale, which reached head office: "
                                "it cannot be given back (a return refunds it)")
    give_back(conn, row.id, row.card_number, row.amount_minor, now)
    return True
