"""pos.card_payments.CardPaymentLog in the till's journal: a card payment is written down
(durably, ``synchronous=FULL``) before the terminal is asked, and settled once its outcome
is known; what is not settled after a crash is asked of the terminal again at start-up
(``pos.card_payments.recover_card_payments``).  A payment is never forgotten: a settled
one stays, with the kind of its outcome."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from local_db.database import Database
from pos.card_payments import PendingCardPayment
from pos.errors import StorageProblem
from pos.money import Money
from pos.payment_terminal import CardResult


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class SqlCardPaymentLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def remember(self, payment: PendingCardPayment) -> None:
        try:
            minor = payment.amount.minor_units()
        except ValueError:
            raise StorageProblem(reason=f"{payment.amount} is not a whole number of minor units") from None
        self.db.write(lambda c: c.exec_driver_sql(
            "INSERT INTO card_payments (payment_id, amount_minor, currency, remembered_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (payment_id) DO NOTHING",
            (str(payment.payment_id), minor, payment.amount.currency, _now())), "writing down a card payment")

    def settle(self, payment_id: uuid.UUID, result: CardResult) -> None:
        self.db.write(lambda c: c.exec_driver_sql(
            "UPDATE card_payments SET settled_at = ?, outcome = ? WHERE payment_id = ? AND settled_at IS NULL",
            (_now(), type(result).__name__, str(payment_id))), "settling a card payment")

    def unsettled(self) -> list[PendingCardPayment]:
        rows = self.db.read(lambda c: c.exec_driver_sql(
            "SELECT payment_id, amount_minor, currency FROM card_payments WHERE settled_at IS NULL "
            "ORDER BY remembered_at, payment_id").fetchall(), "reading the card payments in flight")
        return [PendingCardPayment(uuid.UUID(p), Money.from_minor(int(m), c)) for p, m, c in rows]

    def outcome(self, payment_id: uuid.UUID) -> str | None:
        """The kind of the settled outcome ("CardApproved"...), or None while pending or unknown."""
        return self.db.read(lambda c: c.exec_driver_sql(
            "SELECT outcome FROM card_payments WHERE payment_id = ?", (str(payment_id),)).scalar(),
            "reading a card payment")

    def remembered(self, payment_id: uuid.UUID) -> PendingCardPayment | None:
        """The payment written down under this id, settled or not (None if never): how the
        checkout finds a sale's card payments again after a restart."""
        row = self.db.read(lambda c: c.exec_driver_sql(
            "SELECT amount_minor, currency FROM card_payments WHERE payment_id = ?", (str(payment_id),)).first(),
            "reading a card payment")
        return None if row is None else PendingCardPayment(payment_id, Money.from_minor(int(row[0]), row[1]))
