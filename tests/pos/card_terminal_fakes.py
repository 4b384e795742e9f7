"""In-memory parts for the card payment use cases: a terminal that keeps outcomes by payment
id as the protocol says a real one does, and a log of pending payments.  The network adapter
and the emulator process are tested against each other in tests/hardware/."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field

from pos.errors import DeviceProblem
from pos.money import Money
from pos.card_payments import PendingCardPayment
from pos.payment_terminal import (
    CardApproved,
    CardCancelled,
    CardCheckTerminal,
    CardDeclined,
    CardNotReceived,
    CardResult,
)


@dataclass
class MemoryCardTerminal:
    """``script``: what each new payment does: approve, decline, cancel, lost (approved, the
    answer lost), unseen (never reached the terminal), offline (raises before reaching it)."""

    script: list[str] = field(default_factory=list)
    address: str = "memory:terminal"
    outcomes: dict[uuid.UUID, CardResult] = field(default_factory=dict)
    calls: list[tuple[str, uuid.UUID]] = field(default_factory=list)
    log_seen: list[bool] = field(default_factory=list)  # was the payment remembered when pay came?
    log: MemoryCardLog | None = None
    offline: bool = False
    refunded: list[uuid.UUID] = field(default_factory=list)  # the ids of approved refunds
    _codes: itertools.count[int] = field(default_factory=lambda: itertools.count(100001))

    def pay(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        self._reach("pay", payment_id)
        if self.log is not None:
            self.log_seen.append(payment_id in {p.payment_id for p in self.log.unsettled()})
        if payment_id in self.outcomes:
            return self.outcomes[payment_id]
        step = self.script.pop(0) if self.script else "approve"
        if step == "offline":
            raise DeviceProblem(reason="connection refused")
        if step == "unseen":
            return CardCheckTerminal(payment_id, amount, "no answer within 1 s")
        approved = CardApproved(payment_id, amount, str(next(self._codes)), "**** 4242", "MEM-1")
        outcomes: dict[str, CardResult] = {
            "approve": approved, "lost": approved, "decline": CardDeclined(payment_id, "insufficient funds"),
            "cancel": CardCancelled(payment_id),
        }
        outcome = outcomes[step]
        self.outcomes[payment_id] = outcome
        return CardCheckTerminal(payment_id, amount, "no answer within 1 s") if step == "lost" else outcome

    def status(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        self._reach("status", payment_id)
        return self.outcomes.get(payment_id, CardNotReceived(payment_id))

    def cancel(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        self._reach("cancel", payment_id)
        return self.outcomes.setdefault(payment_id, CardCancelled(payment_id))

    def refund(self, payment_id: uuid.UUID, amount: Money, original_payment_id: uuid.UUID | None = None) -> CardResult:
        """A refund under its own id: approved (kept among ``refunded``) unless the script says otherwise."""
        self._reach("refund", payment_id)
        if payment_id in self.outcomes:
            return self.outcomes[payment_id]
        step = self.script.pop(0) if self.script else "approve"
        outcome: CardResult = (CardDeclined(payment_id, "refund refused") if step == "decline"
                               else CardApproved(payment_id, amount, str(next(self._codes)), "**** 4242", "MEM-1"))
        self.outcomes[payment_id] = outcome
        if isinstance(outcome, CardApproved):
            self.refunded.append(payment_id)
        return outcome

    def charges(self) -> list[CardApproved]:
        return [outcome for payment_id, outcome in self.outcomes.items()
                if isinstance(outcome, CardApproved) and payment_id not in self.refunded]

    def _reach(self, kind: str, payment_id: uuid.UUID) -> None:
        self.calls.append((kind, payment_id))
        if self.offline:
            raise DeviceProblem(reason="connection refused")


@dataclass
class MemoryCardLog:
    pending: dict[uuid.UUID, PendingCardPayment] = field(default_factory=dict)
    settled: dict[uuid.UUID, CardResult] = field(default_factory=dict)

    def remember(self, payment: PendingCardPayment) -> None:
        self.pending[payment.payment_id] = payment

    def settle(self, payment_id: uuid.UUID, result: CardResult) -> None:
        assert result.is_settled, "only a known outcome settles a payment"
        self.pending.pop(payment_id, None)
        self.settled[payment_id] = result

    def unsettled(self) -> list[PendingCardPayment]:
        return list(self.pending.values())
