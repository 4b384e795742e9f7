"""Card payments through an external payment terminal: the port and what it answers.

The till never sees a card.  It asks a terminal to take an amount and keeps only the
result: approved (the approval code, a masked reference such as ``**** 1234``, the
terminal's id and the amount), declined (the terminal's reason), cancelled at the
terminal, or "check the terminal" when nobody can say yet whether the customer paid.

Never charged twice, never silently lost: every payment request carries a ``payment_id``
the till chooses and writes down (``pos.card_payments.CardPaymentLog``) *before* it is
sent.  The terminal keeps the outcome of each payment id, answers a repeated ``pay`` with
the first outcome, and answers ``status(payment_id)`` with the truth after a timeout or a
till crash (``pos.card_payments.recover_card_payments``).

A refund (``refund``) goes back to a card the same way, under its own id, answered with
the same results.

Card data is refused at the door: a result holding anything that looks like a card number
(12 or more digits in a row, spaces or dashes allowed between them) cannot be built.

Adapters: ``hardware.card_terminal.NetworkCardTerminal`` (docs/card-terminal-protocol.md);
the manual mode, where the cashier keys in the approval code a standalone terminal printed,
is ``pos.card_manual_entry``.  A terminal call blocks until the customer is done: call it
from a worker thread, never from the UI thread (see ARCHITECTURE.md, Threads).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from pos.errors import FieldFormatter, PosError
from pos.i18n import N_, Translator
from pos.money import Money

MANUAL_TERMINAL_ID = "manual"
MAX_TEXT = 200  # a reason or a terminal id longer than this is cut (terminals send short texts)

CARD_NUMBER = re.compile(r"\d(?:[ -]?\d){11,}")
APPROVAL_CODE = re.compile(r"[A-Z0-9]{4,8}")
CARD_REFERENCE = re.compile(r"\*{4} [0-9]{4}")
TERMINAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._:-]{0,31}")


class CardNumberRefused(PosError, ValueError):
    message = N_(
        "That looks like a card number. The till never keeps card numbers: "
        "type only the approval code and the last 4 digits printed on the slip."
    )


def refuse_card_numbers(*texts: str) -> None:
    """Raise ``CardNumberRefused`` if any text holds 12 or more digits in a row."""
    for text in texts:
        if CARD_NUMBER.search(text):
            raise CardNumberRefused()


def masked_reference(last_digits: str) -> str:
    """``1234`` -> ``**** 1234``: the only part of a card the till keeps."""
    if not re.fullmatch(r"[0-9]{4}", last_digits):
        raise ValueError(f"a masked card reference needs exactly 4 digits, not {len(last_digits)} characters")
    return f"**** {last_digits}"


def _checked_amount(amount: Money) -> Money:
    if not isinstance(amount, Money):
        raise TypeError("a card payment's amount is Money")
    if amount.minor_units() <= 0:  # raises ValueError if not whole minor units
        raise ValueError(f"a card payment is for a positive amount, not {amount.amount} {amount.currency}")
    return amount


def _checked_id(payment_id: uuid.UUID) -> None:
    if not isinstance(payment_id, uuid.UUID):
        raise TypeError("a payment id is a UUID")


def _short(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError("card result texts are str")
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text[:MAX_TEXT]).strip()
    refuse_card_numbers(cleaned)
    return cleaned


class _Result:
    """What every terminal answer shares: the payment id and a sentence for the cashier."""

    __slots__ = ()
    message: ClassVar[str]
    charged: ClassVar[bool | None]  # True, False, or None: nobody knows yet ("check the terminal")

    payment_id: uuid.UUID

    @property
    def is_settled(self) -> bool:
        """The outcome is known for good: the till may forget the pending request."""
        return self.charged is not None

    def fields(self) -> dict[str, Any]:
        return {}

    def user_message(self, translate: Translator | None = None, show: FieldFormatter | None = None) -> str:
        """As ``PosError.user_message``: translated, the amount written by the UI's ``show``."""
        from pos.i18n import _

        text = translate.gettext(self.message) if translate else _(self.message)
        fields = {name: show(value) for name, value in self.fields().items()} if show else self.fields()
        try:
            return text.format(**fields)
        except (KeyError, IndexError):  # a translation with a broken placeholder
            return self.message.format(**fields)


@dataclass(frozen=True, slots=True)
class CardApproved(_Result):
    payment_id: uuid.UUID
    amount: Money
    approval_code: str
    card_reference: str  # "**** 1234", or "" when the cashier did not type it (manual mode)
    terminal_id: str  # the terminal's own id, or "manual"

    message: ClassVar[str] = N_("Card payment of {amount} approved, approval code {approval_code}.")
    charged: ClassVar[bool | None] = True

    def __post_init__(self) -> None:
        _checked_id(self.payment_id)
        _checked_amount(self.amount)
        refuse_card_numbers(self.approval_code, self.card_reference, self.terminal_id)
        if not APPROVAL_CODE.fullmatch(self.approval_code):
            raise ValueError("an approval code is 4 to 8 capital letters (A-Z) or digits")
        if self.card_reference and not CARD_REFERENCE.fullmatch(self.card_reference):
            raise ValueError("a masked card reference reads '**** 1234'")
        if not TERMINAL_ID.fullmatch(self.terminal_id):
            raise ValueError("a terminal id is 1 to 32 letters, digits, spaces or . _ : -")

    def fields(self) -> dict[str, Any]:
        return {"amount": self.amount, "approval_code": self.approval_code}


@dataclass(frozen=True, slots=True)
class CardDeclined(_Result):
    payment_id: uuid.UUID
    reason: str  # the terminal's words (issuer's answer), cut to 200 characters

    message: ClassVar[str] = N_("The card was declined ({reason}). Ask for another card or another way to pay.")
    charged: ClassVar[bool | None] = False

    def __post_init__(self) -> None:
        _checked_id(self.payment_id)
        object.__setattr__(self, "reason", _short(self.reason) or "no reason given")

    def fields(self) -> dict[str, Any]:
        return {"reason": self.reason}


@dataclass(frozen=True, slots=True)
class CardCancelled(_Result):
    """Cancelled at the terminal (by the customer or the cashier); nothing was charged."""

    payment_id: uuid.UUID

    message: ClassVar[str] = N_("The card payment was cancelled at the terminal; nothing was charged.")
    charged: ClassVar[bool | None] = False

    def __post_init__(self) -> None:
        _checked_id(self.payment_id)


@dataclass(frozen=True, slots=True)
class CardNotReceived(_Result):
    """``status``: the terminal has no record of this payment id; nothing was charged."""

    payment_id: uuid.UUID

    message: ClassVar[str] = N_("The card terminal has no record of this payment; nothing was charged.")
    charged: ClassVar[bool | None] = False

    def __post_init__(self) -> None:
        _checked_id(self.payment_id)


@dataclass(frozen=True, slots=True)
class CardCheckTerminal(_Result):
    """Nobody knows yet whether the customer paid: the terminal timed out, the connection
    broke, the answer was garbage, or the customer is still at the terminal.  The pending
    request stays written down; ``status(payment_id)`` settles it later."""

    payment_id: uuid.UUID
    amount: Money
    reason: str  # plain English detail for the log and the message

    message: ClassVar[str] = N_(
        "The card terminal did not say whether {amount} was paid ({reason}). Do not take the "
        "payment again: look at the terminal's screen or slip; the till asks the terminal again."
    )
    charged: ClassVar[bool | None] = None

    def __post_init__(self) -> None:
        _checked_id(self.payment_id)
        _checked_amount(self.amount)
        object.__setattr__(self, "reason", _short(self.reason))

    def fields(self) -> dict[str, Any]:
        return {"amount": self.amount, "reason": self.reason}


CardResult = CardApproved | CardDeclined | CardCancelled | CardNotReceived | CardCheckTerminal


class PaymentTerminal(Protocol):
    """A card payment terminal.  Every call may block for as long as the customer takes:
    call it from a worker thread.  ``address`` names the terminal in messages and logs.

    A call that could not reach the terminal at all raises a ``DeviceProblem`` (nothing was
    charged); once a request may have reached it, every failure is a ``CardCheckTerminal``."""

    address: str

    def pay(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        """Take ``amount``.  The same ``payment_id`` again (a retry) is answered with the
        first outcome, never a second charge; the same id with another amount is refused."""
        ...

    def status(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        """What became of ``payment_id`` (``amount`` is what the till asked, to check the
        answer against).  ``CardNotReceived`` when the terminal never saw it."""
        ...

    def cancel(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        """Stop a payment the customer has not finished.  An id the terminal never saw is
        marked cancelled, so a late ``pay`` with it is refused; an approved one stays
        approved (the answer says so: cancelling never refunds)."""
        ...

    def refund(self, payment_id: uuid.UUID, amount: Money, original_payment_id: uuid.UUID | None = None) -> CardResult:
        """Pay ``amount`` back to the customer's card.  ``payment_id`` is the refund's own id
        (chosen and written down before asking, as for ``pay``: the same id again is answered
        with the first outcome, never a second refund; ``status`` and ``cancel`` take it too);
        ``original_payment_id`` names the sale's card payment being refunded, when there is one
        (the terminal then refunds at most what that payment took, less its earlier refunds).
        ``CardApproved`` (the amount paid back, with the terminal's approval code),
        ``CardDeclined`` (refused, e.g. more than the payment took), ``CardCancelled`` or
        ``CardCheckTerminal``, with the same rules of failure as ``pay``."""
        ...
