"""Taking a card payment so that it is never charged twice and never silently lost.

1. The till chooses a new ``payment_id`` and writes it down with the amount
   (``CardPaymentLog.remember``, durable) *before* the request leaves the till.
2. It asks the terminal to pay.  A settled answer (approved, declined, cancelled) is written
   down (``settle``) and the payment is no longer pending.
3. Anything else ("check the terminal": a timeout, a broken connection, garbage, a till
   killed while waiting) leaves the payment pending.  ``check_card_payment`` asks the
   terminal ``status(payment_id)``: the terminal keeps every outcome by payment id, so the
   answer is the truth.  If the terminal never saw the id, the till cancels it there first,
   so a request still on its way can no longer charge the customer.
4. At start-up the till runs ``recover_card_payments`` for every pending payment.

A pending payment is never paid again under a new id while it is pending: the cashier is
told to check the terminal, and the UI offers "ask the terminal again".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from pos.errors import DeviceProblem
from pos.money import Money
from pos.payment_terminal import CardCheckTerminal, CardNotReceived, CardResult, PaymentTerminal


@dataclass(frozen=True, slots=True)
class PendingCardPayment:
    payment_id: uuid.UUID
    amount: Money


class CardPaymentLog(Protocol):
    """Where the till writes down card payments in flight (the journal, in the real till)."""

    def remember(self, payment: PendingCardPayment) -> None:
        """Durably, before the request is sent; raise a ``StorageProblem`` if it cannot."""
        ...

    def settle(self, payment_id: uuid.UUID, result: CardResult) -> None:
        """The outcome is known for good; the payment is no longer pending."""
        ...

    def unsettled(self) -> list[PendingCardPayment]:
        """Payments remembered and not settled, oldest first."""
        ...


def take_card_payment(
    terminal: PaymentTerminal, log: CardPaymentLog, amount: Money, payment_id: uuid.UUID | None = None
) -> CardResult:
    """Pay ``amount`` under a new payment id.  Raises the terminal's ``DeviceProblem`` when
    it could not be reached at all (then nothing was charged and nothing stays pending)."""
    payment = PendingCardPayment(payment_id or uuid.uuid4(), amount)
    log.remember(payment)
    try:
        result = terminal.pay(payment.payment_id, amount)
    except DeviceProblem:
        log.settle(payment.payment_id, CardNotReceived(payment.payment_id))
        raise
    if result.is_settled:
        log.settle(payment.payment_id, result)
    return result


def check_card_payment(terminal: PaymentTerminal, log: CardPaymentLog, payment: PendingCardPayment) -> CardResult:
    """Ask the terminal what became of a pending payment; settle it when the answer is final.
    An unreachable terminal leaves it pending (the answer says why)."""
    try:
        result = terminal.status(payment.payment_id, payment.amount)
        if isinstance(result, CardNotReceived):
            result = terminal.cancel(payment.payment_id, payment.amount)  # fence off a late request
    except DeviceProblem as problem:
        return CardCheckTerminal(payment.payment_id, payment.amount, str(problem))
    if isinstance(result, CardNotReceived):  # a terminal that cannot cancel what it never saw
        result = CardCheckTerminal(payment.payment_id, payment.amount, "the terminal could not fence off the payment")
    if result.is_settled:
        log.settle(payment.payment_id, result)
    return result


def recover_card_payments(terminal: PaymentTerminal, log: CardPaymentLog) -> list[CardResult]:
    """At start-up: the outcome of every payment left pending by a timeout or a crash."""
    return [check_card_payment(terminal, log, payment) for payment in log.unsettled()]
