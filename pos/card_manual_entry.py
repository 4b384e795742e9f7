"""Manual card mode: the customer paid on a standalone terminal, and the cashier keys in the
approval code its slip shows (and, if they wish, the card's last 4 digits).

One bounded parser each, as for cash and quantities (``pos.money.parse_amount``): what the
cashier typed is read or refused with a message naming what is wrong and what to type.
A card number is refused outright: the till never keeps one.
"""

from __future__ import annotations

import re
import uuid

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money
from pos.payment_terminal import (
    APPROVAL_CODE,
    CARD_NUMBER,
    MANUAL_TERMINAL_ID,
    CardApproved,
    CardNumberRefused,
    masked_reference,
)
from pos.quantity import shown

MAX_TYPED = 64  # longer than anything printed on a slip: refused before it is looked at
SEPARATORS = re.compile(r"[\s\-]+")
MASK_CHARACTERS = re.compile(r"[\s*xX•.…#\-]+")


class ApprovalCodeMissing(PosError):
    message = N_("Type the approval code printed on the card terminal's slip.")


class BadApprovalCode(PosError):
    message = N_("“{text}” is not an approval code: it has 4 to 8 letters (A–Z) or digits, as printed on the slip.")


class ApprovalCodeNotLatin(PosError):
    message = N_("“{text}” has letters an approval code cannot have: switch the keyboard to Latin letters (A–Z).")


class BadCardDigits(PosError):
    message = N_(
        "“{text}” is not the card's last 4 digits: type the 4 digits after the stars on the slip, or leave it empty."
    )


def parse_approval_code(text: str) -> str:
    """``a1b2c3``, ``A1 B2 C3``, `` 123456 `` -> ``A1B2C3`` / ``123456``."""
    if len(text) > MAX_TYPED:
        raise BadApprovalCode(text=shown(text))
    if CARD_NUMBER.search(text):
        raise CardNumberRefused()
    code = SEPARATORS.sub("", text)
    if not code:
        raise ApprovalCodeMissing()
    if not code.isascii():
        raise ApprovalCodeNotLatin(text=shown(text))
    code = code.upper()
    if not APPROVAL_CODE.fullmatch(code):
        raise BadApprovalCode(text=shown(text))
    return code


def parse_card_digits(text: str) -> str:
    """The masked reference, optional: ``""`` -> ``""``; ``1234``, ``**** 1234``, ``xxxx-1234``,
    ``•••• 1234`` -> ``**** 1234``.  More digits than 4 are refused (a card number outright)."""
    if len(text) > MAX_TYPED:
        raise BadCardDigits(text=shown(text))
    if CARD_NUMBER.search(text):
        raise CardNumberRefused()
    digits = MASK_CHARACTERS.sub("", text)
    if not digits:
        return ""
    if not re.fullmatch(r"[0-9]{4}", digits):
        raise BadCardDigits(text=shown(text))
    return masked_reference(digits)


def manual_card_payment(payment_id: uuid.UUID, amount: Money, approval_code: str, card_digits: str = "") -> CardApproved:
    """The result of a payment taken on a standalone terminal, from what the cashier typed."""
    return CardApproved(
        payment_id, amount, parse_approval_code(approval_code), parse_card_digits(card_digits), MANUAL_TERMINAL_ID
    )
