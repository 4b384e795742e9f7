"""A card payment log in a JSON-lines file, appended and fsynced: what the till's journal
does for pending card payments, small enough for a child process that is killed mid-payment."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from pos.card_payments import PendingCardPayment
from pos.money import Money
from pos.payment_terminal import CardResult


class FileCardLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def remember(self, payment: PendingCardPayment) -> None:
        self._append({"event": "remember", "payment_id": str(payment.payment_id),
                      "amount": str(payment.amount.amount), "currency": payment.amount.currency})

    def settle(self, payment_id: uuid.UUID, result: CardResult) -> None:
        self._append({"event": "settle", "payment_id": str(payment_id), "outcome": type(result).__name__,
                      "approval_code": getattr(result, "approval_code", "")})

    def unsettled(self) -> list[PendingCardPayment]:
        pending: dict[str, PendingCardPayment] = {}
        for record in self.records():
            if record["event"] == "remember":
                amount = Money.of(record["amount"], record["currency"])
                pending[record["payment_id"]] = PendingCardPayment(uuid.UUID(record["payment_id"]), amount)
            else:
                pending.pop(record["payment_id"], None)
        return list(pending.values())

    def records(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def _append(self, record: dict[str, str]) -> None:
        with self.path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(record) + "\n")
            file.flush()
            os.fsync(file.fileno())
