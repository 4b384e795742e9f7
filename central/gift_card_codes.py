"""One-time codes of electronic gift cards (docs/gift-cards.md, OTP).

Each electronic card has its own random base32 secret (``new_secret``), kept at the hub and
never sent nor logged.  A code is ``pyotp.HOTP(secret).at(counter)``: every send takes the next
counter, so the code sent before stops working.  A code is good for ``CODE_VALIDITY`` (5
minutes, on the clock the caller passes) and once: a right code resets the wrong count and is
spent.  Three wrong codes in a row lock the card until head office unlocks it
(``kassa-hub gift-cards unlock NUMBER``).  A code asked for with none live (never sent,
expired, already used) is ``code_expired`` and counts as no wrong try.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

import pyotp
from sqlalchemy import Connection, Row, update

from central import gift_card_errors as e
from central.gift_card_tables import gift_cards
from central.gift_cards import card_number, locked_card, masked_card
from pos.gift_cards.numbers import masked_phone

CODE_VALIDITY = timedelta(minutes=5)
WRONG_CODES_TO_LOCK = 3
CODE_DIGITS = 6


def new_secret() -> str:
    return pyotp.random_base32()


def _hotp(secret: str) -> pyotp.HOTP:
    return pyotp.HOTP(secret, digits=CODE_DIGITS)


def send_code(conn: Connection, number_text: Any, now: datetime) -> tuple[dict[str, Any], str, str]:
    """A new code for the card: (the till's answer, the phone, the SMS text); the caller sends
    the SMS once this transaction commits."""
    number = card_number(number_text)
    card = locked_card(conn, number)
    if card is None:
        raise e.GiftCardUnknown(f"no gift card {masked_card(number)} is active (a card works once its sale "
                                "reached head office)")
    if not card.phone:
        raise e.NotElectronic(f"gift card {masked_card(number)} is a plastic card: it needs no code")
    if card.locked:
        raise e.GiftCardLocked(f"gift card {masked_card(number)} is locked after three wrong codes: head office "
                               "unlocks it (kassa-hub gift-cards unlock)")
    counter = int(card.otp_counter) + 1
    conn.execute(update(gift_cards).where(gift_cards.c.card_number == number)
                 .values(otp_counter=counter, otp_sent_at=now))
    code = _hotp(card.otp_secret).at(counter)
    minutes = int(CODE_VALIDITY.total_seconds() // 60)
    text = f"Your gift card {masked_card(number)[-9:]} code: {code}. It works for {minutes} minutes, once."
    answer = {"card_number": number, "sent_to": masked_phone(card.phone),
              "expires_in_seconds": int(CODE_VALIDITY.total_seconds())}
    return answer, card.phone, text


def check_code(conn: Connection, card: Row[Any], code: Any, now: datetime) -> e.GiftCardProblem | None:
    """None when ``code`` is the card's live code (then spent); else the refusal, the wrong try
    counted (and the card locked at the third), written in this transaction."""
    sent = card.otp_sent_at
    if sent is None or now - sent > CODE_VALIDITY or now < sent - CODE_VALIDITY:
        return e.CodeExpired(f"gift card {masked_card(card.card_number)} has no live code (none sent, expired "
                             "after 5 minutes, or already used): send a new one")
    given = code if isinstance(code, str) and code.isascii() and code.isdigit() and len(code) == CODE_DIGITS else ""
    right = _hotp(card.otp_secret).at(int(card.otp_counter))
    where = gift_cards.c.card_number == card.card_number
    if given and hmac.compare_digest(given, right):
        conn.execute(update(gift_cards).where(where).values(wrong_codes=0, otp_sent_at=None))
        return None
    wrong = int(card.wrong_codes) + 1
    locked = wrong >= WRONG_CODES_TO_LOCK
    conn.execute(update(gift_cards).where(where).values(wrong_codes=wrong, locked=locked,
                                                        otp_sent_at=None if locked else sent))
    if locked:
        return e.GiftCardLocked(f"that code is wrong, the {WRONG_CODES_TO_LOCK}rd in a row: gift card "
                                f"{masked_card(card.card_number)} is locked until head office unlocks it "
                                "(kassa-hub gift-cards unlock)")
    left = WRONG_CODES_TO_LOCK - wrong
    tries = "1 try" if left == 1 else f"{left} tries"
    return e.WrongCode(f"that code is wrong: {tries} left before the card locks", attempts_left=left)


def unlock(conn: Connection, number_text: Any) -> bool:
    """Unlock the card (True) or find it was not locked (False); its wrong count starts again."""
    number = card_number(number_text)
    card = locked_card(conn, number)
    if card is None:
        raise e.GiftCardUnknown(f"no gift card {masked_card(number)} is active")
    conn.execute(update(gift_cards).where(gift_cards.c.card_number == number)
                 .values(locked=False, wrong_codes=0, otp_sent_at=None))
    return bool(card.locked)
