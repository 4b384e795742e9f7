"""Settling a due amount with one or several tenders: cash, card results, exchange credit.

Rules:
- Only cash gives change.  A card or credit tender settles at most what is left, exactly.
- Cash is handed over in the shop's coins: the cash that settles the rest is the rest
  rounded to the smallest coin (``CashPolicy``), and that rounding is its own line on the
  sale (``rounding``).  A cash amount tendered must itself be a multiple of the smallest coin:
  with 0.10 coins, 3082.55 is refused, so change is always a sum the drawer can give.
- When settled, the payments' amounts add up exactly to ``total + rounding``.

The card terminal (``pos.payment_terminal``, its own port) answers ``CardApproved``; a tender
keeps a ``CardApproval`` of it (approval code, masked reference, terminal id: never card data)
and the payment id the till sent the terminal (``Settlement.add_approved_card``).

A gift card tender (``Settlement.add_gift_card``) settles exactly too; it keeps the card and the
hub's hold (``GiftCardPayment``, ``pos.gift_cards.paying``).  It can be taken off again
(``remove_gift_card``: the hold is given back first) until cash has settled the sale.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from pos.errors import PosError
from pos.gift_cards.records import GIFT_CARD, GiftCardPayment
from pos.i18n import N_
from pos.money import CashNotHandable as CashNotHandable  # add_cash raises it: the one rule is pos.money's
from pos.money import Money, minor_unit, money_sum, require_handable, round_to_increment
from pos.payment_terminal import CARD_NUMBER, CardApproved
from pos.tender import CASH, MAX_CASH_OVER_DUE, AbsurdCash, CashPolicy, Payment

CARD = "card"
EXCHANGE_CREDIT = "exchange_credit"  # the value of goods returned in an exchange
APPROVAL_CODE = re.compile(r"[A-Za-z0-9]{1,12}")
MAX_REFERENCE = 32
LONGEST_DIGIT_RUN = 6  # a masked reference shows at most 6 digits in a row (a card number has 13+)


class NothingLeftToPay(PosError):
    message = N_("The sale is already paid: nothing is left to pay.")


class TenderAboveRest(PosError):
    message = N_("{amount} is more than the {rest} left to pay: only cash gives change.")


class TenderNotPositive(PosError):
    message = N_("A payment must be more than zero.")


class CardAlreadyCounted(PosError):
    message = N_("That card payment is already in this sale.")


class NotSettled(PosError):
    message = N_("{rest} is still to pay.")


class BadCardApproval(PosError):
    message = N_("“{text}” is not an approval code: type the letters and digits the terminal printed.")


class SettledByCash(PosError):
    message = N_("Cash has settled the sale: finish it (its gift card payment stays).")


class CardDataRefused(PosError):
    message = N_("The card reference must be masked (at most the last digits): the till never keeps card numbers.")


@dataclass(frozen=True, slots=True)
class CardApproval:
    """What the terminal (or the cashier, in manual mode) reports for an approved card payment."""

    approval_code: str
    masked_reference: str  # e.g. "**** **** **** 1234"
    terminal_reference: str = ""  # the terminal's id ("manual" when keyed in)

    def __post_init__(self) -> None:
        if not APPROVAL_CODE.fullmatch(self.approval_code):
            raise BadCardApproval(text=self.approval_code[:20])
        if len(self.masked_reference) > MAX_REFERENCE or re.search(
                r"\d{%d,}" % (LONGEST_DIGIT_RUN + 1), self.masked_reference.replace(" ", "")):
            raise CardDataRefused()
        if len(self.terminal_reference) > MAX_REFERENCE or CARD_NUMBER.search(self.terminal_reference):
            raise CardDataRefused()  # a terminal's id may hold digits, never a card number


@dataclass(frozen=True, slots=True)
class Tender:
    payment: Payment
    card: CardApproval | None = None
    gift_card: GiftCardPayment | None = None  # a gift card payment: the card and the hub's hold


@dataclass(frozen=True, slots=True)
class SettledPayments:
    total: Money
    rounding: Money  # cash rounding: what the payments settle = total + rounding
    tenders: tuple[Tender, ...]

    @property
    def payments(self) -> tuple[Payment, ...]:
        return tuple(t.payment for t in self.tenders)

    @property
    def change(self) -> Money:
        return money_sum([t.payment.change for t in self.tenders], self.total.currency)


@dataclass(slots=True)
class Settlement:
    """Tenders added one by one until the total is settled (split payment)."""

    total: Money
    cash: CashPolicy = field(default_factory=CashPolicy)
    tenders: list[Tender] = field(default_factory=list)
    rounding: Money | None = None  # set when cash settles the rest

    def paid(self) -> Money:
        return money_sum([t.payment.amount for t in self.tenders], self.total.currency)

    def rest(self) -> Money:
        """What is left to pay exactly (before any cash rounding)."""
        if self.rounding is not None:
            return Money.zero(self.total.currency)
        return self.total - self.paid()

    def cash_due(self) -> Money:
        """What cash would settle the rest: the rest rounded to the smallest coin."""
        return self.cash.due(self.rest())

    def is_settled(self) -> bool:
        return self.rounding is not None or self.rest().is_zero()

    def add_card(self, amount: Money, approval: CardApproval, payment_id: uuid.UUID | None = None) -> Tender:
        """A card payment the terminal approved; ``payment_id`` is the id the till sent the
        terminal (kept, so the sale's payment and the terminal's record are the same id)."""
        return self._exact(CARD, amount, approval, payment_id)

    def add_approved_card(self, result: CardApproved) -> Tender:
        """The terminal's answer (``pos.payment_terminal``) as a tender of this settlement."""
        return self.add_card(result.amount, card_approval_from(result), result.payment_id)

    def add_gift_card(self, amount: Money, gift_card: GiftCardPayment) -> Tender:
        """A gift card payment (held at the hub, or offline under a manager's approval); its
        payment id is the gift card payment's."""
        return self._exact(GIFT_CARD, amount, None, gift_card.payment_id, gift_card)

    def remove_gift_card(self, payment_id: uuid.UUID) -> Tender:
        """Take a gift card tender off (its hold given back first): refused once cash settled."""
        tender = next(t for t in self.tenders if t.payment.payment_id == payment_id and t.gift_card is not None)
        if self.rounding is not None:
            raise SettledByCash()
        self.tenders.remove(tender)
        return tender

    def add_credit(self, amount: Money) -> Tender:
        """Exchange credit: the returned goods pay for (part of) the new ones."""
        return self._exact(EXCHANGE_CREDIT, amount, None)

    def add_cash(self, tendered: Money) -> Tender:
        """Cash handed over: settles the rest (with change) when it covers the rounded rest,
        else pays part of it."""
        if self.is_settled():
            raise NothingLeftToPay()
        due = self.cash_due()
        require_handable(tendered, self.cash.rounding_increment)
        if tendered.amount < 0 or (tendered.is_zero() and not due.is_zero()):
            raise TenderNotPositive()
        if tendered.amount - due.amount > MAX_CASH_OVER_DUE:
            raise AbsurdCash(tendered=tendered, due=due)
        if tendered >= due:
            self.rounding = due - self.rest()
            tender = Tender(Payment(uuid.uuid4(), CASH, due, tendered, tendered - due))
        else:
            tender = Tender(Payment(uuid.uuid4(), CASH, tendered, tendered, Money.zero(tendered.currency)))
        self.tenders.append(tender)
        return tender

    def settle(self) -> SettledPayments:
        if not self.is_settled():
            raise NotSettled(rest=self.rest())
        zero = Money.zero(self.total.currency)
        return SettledPayments(self.total, self.rounding or zero, tuple(self.tenders))

    def _exact(self, method: str, amount: Money, card: CardApproval | None,
               payment_id: uuid.UUID | None = None, gift_card: GiftCardPayment | None = None) -> Tender:
        if payment_id is not None and any(t.payment.payment_id == payment_id for t in self.tenders):
            raise CardAlreadyCounted()
        if self.is_settled():
            raise NothingLeftToPay()
        if amount.amount <= 0:
            raise TenderNotPositive()
        if amount.amount % minor_unit(amount.currency) != 0:  # amounts typed or from a terminal are whole
            raise ValueError(f"{amount} is not a whole number of minor units")
        if amount > self.rest():
            raise TenderAboveRest(amount=amount, rest=self.rest())
        tender = Tender(Payment(payment_id or uuid.uuid4(), method, amount, amount, Money.zero(amount.currency)), card,
                        gift_card)
        self.tenders.append(tender)
        return tender


def card_approval_from(result: CardApproved) -> CardApproval:
    """What a tender keeps of the terminal's approval: code, masked reference, terminal id."""
    return CardApproval(result.approval_code, result.card_reference, result.terminal_id)


def cash_refund(amount: Money, cash: CashPolicy) -> tuple[Money, Money]:
    """Cash paid back for ``amount``: (what the drawer pays, the rounding line)."""
    paid = round_to_increment(amount, cash.rounding_increment)
    return paid, paid - amount
