"""Promo codes at the till: whether a code typed or scanned unlocks its promotions for this
sale, or exactly why not (docs/promotions.md, "Promo codes").

Pure: the code's entry in the till's book (pulled from the hub), the clock, the basket's
amount, the uses this till made since the pull and whether the customer's phone number and
PIN matched are all passed in.  Hashes are checked by the caller (``local_db.promo_codes``),
never here.

Rules, in the order they are checked (so the cashier hears the first thing to fix):
the text is a code (letters and digits, 3 to 32 of them; spaces and dashes are ignored, case
too) -> the chain has it -> it is within its window (local store time, end excluded) -> a
personal code: the customer's phone number and PIN match -> a per-customer limit: a
customer is identified and has uses left -> uses left (one-time or N uses: the uses the hub
knew at the last pull plus this till's own since) -> the basket before promotions reaches the
minimum (checked last: the cashier can still add items).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money

MIN_CODE = 3
MAX_CODE = 32
_IGNORED = " -\t"


class CodeRefused(PosError):
    """A promo code that unlocks nothing for this sale; each subclass says why."""

    message = N_("Promo code {code} cannot be used.")


class NotACode(CodeRefused):
    message = N_("“{text}” is not a promo code: a code is {low} to {high} letters and digits.")


class UnknownCode(CodeRefused):
    message = N_("There is no promo code {code}: check what was typed.")


class CodeNotYetValid(CodeRefused):
    message = N_("Promo code {code} is valid from {starts}.")


class CodeExpired(CodeRefused):
    message = N_("Promo code {code} expired on {ends}.")


class CodeNeedsPhone(CodeRefused):
    message = N_("Promo code {code} is personal: type the customer's phone number and PIN.")


class CodeWrongPin(CodeRefused):
    """One message for a wrong phone number and a wrong PIN: the till never tells which."""

    message = N_("The phone number or PIN is wrong for promo code {code}.")


class CodeNeedsCustomer(CodeRefused):
    message = N_("Promo code {code} is limited per customer: identify the customer first.")


class CodeAlreadyUsed(CodeRefused):
    message = N_("Promo code {code} has already been used: it is a one-time code.")


class CodeUsedUp(CodeRefused):
    message = N_("Promo code {code} has been used up: all {uses} uses are taken.")


class CustomerUsedCode(CodeRefused):
    message = N_("This customer has already used promo code {code} the {uses} time(s) it allows.")


class BasketBelowMinimum(CodeRefused):
    message = N_("Promo code {code} needs a basket of at least {minimum} before discounts; this one is {total}.")


class CodeAlreadyApplied(CodeRefused):
    message = N_("Promo code {code} is already applied to this sale.")


class TooManyWrongPins(CodeRefused):
    message = N_("Too many wrong PINs for promo code {code}: it cannot be used in this sale.")


def normalise_code(text: str) -> str:
    """The code as the book keeps it: upper case, spaces and dashes dropped.  Raises ``NotACode``."""
    shown = text.strip()[:40]
    code = "".join(ch for ch in text if ch not in _IGNORED).upper()
    if not (MIN_CODE <= len(code) <= MAX_CODE and code.isascii() and code.isalnum()):
        raise NotACode(text=shown, low=MIN_CODE, high=MAX_CODE)
    return code


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """A promo code as the till's book holds it (the hub's ``promo_codes`` dataset)."""

    code: str
    promotion_ids: frozenset[str]
    starts: datetime | None = None  # the store's local time, naive; None: from always
    ends: datetime | None = None  # excluded; None: never ends
    minimum: Money | None = None  # the basket before promotions must reach it
    uses_allowed: int | None = None  # 1: one-time; None: as often as wanted
    uses_known: int = 0  # the uses the hub knew of when the till pulled the code
    per_customer: int | None = None  # uses allowed to one customer; None: no such limit
    customer_uses_known: Mapping[str, int] = field(default_factory=dict)  # by customer id, at the pull
    phone_hash: str = ""  # a personal code: argon2id of the customer's phone number (E.164)
    pin_hash: str = ""  # and of its PIN

    @property
    def personal(self) -> bool:
        return bool(self.phone_hash)


@dataclass(frozen=True, slots=True)
class UsesHere:
    """This till's own uses of a code since its last pull: in all, and by the sale's customer."""

    total: int = 0
    by_customer: int = 0


@dataclass(frozen=True, slots=True)
class Proof:
    """Whether the phone number and PIN the customer gave match a personal code (None: not given)."""

    phone_ok: bool | None = None
    pin_ok: bool | None = None


def check_code(code_text: str, entry: CodeEntry | None, *, basket_total: Money, now: datetime,
               uses_here: UsesHere = UsesHere(), customer_id: str = "", proof: Proof = Proof()) -> frozenset[str]:
    """The promotion ids ``code_text`` unlocks for this sale, or ``CodeRefused`` saying why
    (``basket_total``: the basket before promotions; ``now``: the store's local time, naive)."""
    code = normalise_code(code_text)
    if entry is None or entry.code != code:
        raise UnknownCode(code=code)
    if entry.starts is not None and now < entry.starts:
        raise CodeNotYetValid(code=code, starts=entry.starts)
    if entry.ends is not None and now >= entry.ends:
        raise CodeExpired(code=code, ends=entry.ends)
    if entry.personal:
        if proof.phone_ok is None or proof.pin_ok is None:
            raise CodeNeedsPhone(code=code)
        if not (proof.phone_ok and proof.pin_ok):
            raise CodeWrongPin(code=code)
    if entry.per_customer is not None:
        if not customer_id:
            raise CodeNeedsCustomer(code=code)
        if entry.customer_uses_known.get(customer_id, 0) + uses_here.by_customer >= entry.per_customer:
            raise CustomerUsedCode(code=code, uses=entry.per_customer)
    if entry.uses_allowed is not None and entry.uses_known + uses_here.total >= entry.uses_allowed:
        if entry.uses_allowed == 1:
            raise CodeAlreadyUsed(code=code)
        raise CodeUsedUp(code=code, uses=entry.uses_allowed)
    if entry.minimum is not None and basket_total < entry.minimum:
        raise BasketBelowMinimum(code=code, minimum=entry.minimum, total=basket_total)
    return entry.promotion_ids
