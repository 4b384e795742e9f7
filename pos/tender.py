"""Payments.  Cash may be rounded to the smallest coin in use (``CashPolicy``); the rounding
difference is recorded on the sale, so the books still add up to the cent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money, require_handable, round_to_increment

CASH = "cash"
MAX_CASH_OVER_DUE = Decimal(100000)


class CashBelowTotal(PosError):
    message = N_("{tendered} is less than the {due} to pay.")


class AbsurdCash(PosError):
    message = N_("{tendered} is far more than the {due} to pay: check the amount.")


@dataclass(frozen=True, slots=True)
class CashPolicy:
    """Smallest coin in use, e.g. 0.10 UAH; 0.01 means cash is not rounded."""

    rounding_increment: Decimal = Decimal("0.01")

    def due(self, total: Money) -> Money:
        return round_to_increment(total, self.rounding_increment)


@dataclass(frozen=True, slots=True)
class Payment:
    payment_id: uuid.UUID
    method: str
    amount: Money  # what the payment settles of the sale
    tendered: Money  # what the customer handed over
    change: Money  # what went back


def pay_cash(due: Money, tendered: Money, cash: CashPolicy = CashPolicy()) -> Payment:
    """Cash for a sale: ``tendered`` must be a sum the shop's coins make (``cash``), so the
    change handed back (``tendered - due``, ``due`` being rounded to the same coin) is one too."""
    require_handable(tendered, cash.rounding_increment)
    if tendered < due:
        raise CashBelowTotal(tendered=tendered, due=due)
    if tendered.amount - due.amount > MAX_CASH_OVER_DUE:
        raise AbsurdCash(tendered=tendered, due=due)
    return Payment(uuid.uuid4(), CASH, due, tendered, tendered - due)
