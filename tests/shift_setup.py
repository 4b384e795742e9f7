"""A shift opened in a real till database before the window starts, as a manager would have
opened it (the store's day requires an open shift before any sale)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from local_db.database import Database, open_database
from local_db.store_day_journal import SqlStoreDay
from pos.sale import Cashier
from pos.store_day.drawer import count_drawer, default_denominations
from pos.store_day.roles import DEFAULT_TABLE, Role, StaffMember
from pos.store_day.shift import Shift
from shell.wiring import SystemClock

OPENER = StaffMember(Cashier("9", "Iryna (manager)"), Role.MANAGER)


def open_shift_in(where: Database | Path, store_id: str, till_id: str, currency: str = "UAH",
                  float_amount: str = "0") -> Shift:
    """Record an open shift with ``float_amount`` in the smallest notes it takes (0: an empty drawer)."""
    if isinstance(where, Path):
        with open_database(where) as db:
            return open_shift_in(db, store_id, till_id, currency, float_amount)
    denominations = default_denominations(currency)
    typed: dict[Decimal, str] = {}
    if Decimal(float_amount):
        note = denominations.values[0].value.amount
        typed[note] = str(int(Decimal(float_amount) / note))
    shift = Shift.open(store_id=store_id, till_id=till_id, currency=currency, who=OPENER,
                       float_count=count_drawer(denominations, typed), now=SystemClock().now(), table=DEFAULT_TABLE)
    SqlStoreDay(where, till_id).open_shift(shift)
    return shift
