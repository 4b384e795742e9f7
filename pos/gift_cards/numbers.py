"""Gift card numbers: 16 digits starting with "9900", the last a Luhn check digit.

A plastic card comes printed with its number as a Code 128 barcode; an electronic card's
number is made by the till when it is sold ("9900", 11 random digits, the check digit).
People type a number with spaces or dashes between its groups ("9900 1234 5678 9015");
``read_card_number`` reads any such form back to its 16 digits or says exactly what is wrong.
A person only ever sees a number masked: "**** **** **** 9015" (``masked``), "**** 9015" on a
receipt line (``short_masked``); a customer's phone as "+380 ** *** ** 67" (``masked_phone``).
16 digits are never an EAN/UPC/GTIN-14, so a card scanned on the sale screen is told apart.
"""

from __future__ import annotations

import random

import phonenumbers
from stdnum import luhn

from pos.errors import PosError
from pos.i18n import N_

PREFIX = "9900"
LENGTH = 16
MAX_TYPED = 64  # longer is no card number: refused before reading
_SEPARATORS = " -\t"


class BadGiftCardNumber(PosError):
    """The text is no gift card number of the chain (the message says what is wrong)."""

    message = N_("That is not a gift card number.")


def _digits(text: str) -> str | None:
    """The digits of ``text`` with its spaces and dashes dropped; None if anything else is in it."""
    digits = "".join(ch for ch in text.strip() if ch not in _SEPARATORS)
    if digits and not (digits.isascii() and digits.isdigit()):
        return None
    return digits


def read_card_number(text: str) -> str:
    """The 16 digits of the card number ``text`` (typed with or without spaces or dashes, or
    scanned); ``BadGiftCardNumber`` naming what is wrong: not digits, the length, the prefix
    (not one of the chain's cards), the check digit (a digit mistyped)."""
    if not isinstance(text, str) or len(text) > MAX_TYPED:
        raise BadGiftCardNumber()
    digits = _digits(text)
    if digits is None:
        raise BadGiftCardNumber(N_("A gift card number has only digits (spaces and dashes between them are fine)."))
    if not digits:
        raise BadGiftCardNumber(N_("Scan the gift card or type its number."))
    if len(digits) != LENGTH:
        raise BadGiftCardNumber(N_("A gift card number has 16 digits, not {count}."), count=len(digits))
    if not digits.startswith(PREFIX):
        raise BadGiftCardNumber(N_("That is not one of the chain's gift cards: their numbers start with 9900."))
    if not luhn.is_valid(digits):
        raise BadGiftCardNumber(N_("That gift card number has a wrong digit (its check digit does not match): "
                                   "check it and type it again."))
    return digits


def looks_like_card_number(text: str) -> bool:
    """True for 16 digits starting with 9900 (spaces and dashes allowed), check digit or not:
    what a scanner or a cashier gives when a gift card ends up on the sale screen."""
    if not isinstance(text, str) or len(text) > MAX_TYPED:
        return False
    digits = _digits(text)
    return digits is not None and len(digits) == LENGTH and digits.startswith(PREFIX)


def new_card_number(rng: random.Random | None = None) -> str:
    """A new electronic card's number: "9900", 11 random digits, the Luhn check digit
    (``rng``: a system random source unless a test passes its own)."""
    source = rng if rng is not None else random.SystemRandom()
    body = PREFIX + "".join(str(source.randrange(10)) for _ in range(LENGTH - len(PREFIX) - 1))
    return body + luhn.calc_check_digit(body)


def masked(number: str) -> str:
    """"**** **** **** 9015": the last four digits only, as the screen shows a card."""
    return "**** **** **** " + number[-4:]


def short_masked(number: str) -> str:
    """"**** 9015": a card's last four digits, as a receipt line says it."""
    return "**** " + number[-4:]


def masked_phone(phone: str) -> str:
    """"+380 ** *** ** 67" for "+380501234567": the country code, then the national number's
    digits hidden but the last two, grouped from the right as 2, 2, 3 and the rest ("" for "")."""
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, None)
        country, national = str(number.country_code), phonenumbers.national_significant_number(number)
    except phonenumbers.NumberParseException:
        country, national = "", "".join(ch for ch in phone if ch.isdigit())
    hidden = "*" * max(len(national) - 2, 0) + national[-2:]
    groups = [hidden[-2:], hidden[-4:-2], hidden[-7:-4], hidden[:-7]]
    body = " ".join(g for g in reversed(groups) if g)
    return f"+{country} {body}" if country else body
