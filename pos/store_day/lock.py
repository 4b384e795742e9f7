"""Who is at the till: the inactivity lock and the rule for switching cashier.

The till locks after ``idle`` without any action (a setting); the clock is passed in, and a
clock set back locks the till rather than keep it unlocked for ever.  Unlocking needs the
same cashier or a manager.  Another cashier may not take over an open sale: it would be
completed under their name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pos.errors import PosError
from pos.i18n import N_
from pos.store_day.roles import Role, StaffMember


class UnlockRefused(PosError):
    message = N_("The till is locked by {name}: only they or a manager can unlock it.")


class SwitchWithOpenSale(PosError):
    message = N_("{name} has a sale open: finish, park or cancel it before another cashier signs in.")


@dataclass(frozen=True, slots=True)
class InactivityLock:
    idle: timedelta = timedelta(minutes=5)

    def __post_init__(self) -> None:
        if self.idle <= timedelta(0):
            raise ValueError("the inactivity lock needs a positive time")

    def is_due(self, last_activity: datetime, now: datetime) -> bool:
        """Whether the till should be locked now.  A clock set back (now before the last
        activity) locks it too: the safe side."""
        return now < last_activity or now - last_activity >= self.idle


def check_unlock(locked_by: StaffMember, who: StaffMember) -> None:
    if who.cashier.cashier_id != locked_by.cashier.cashier_id and who.role is not Role.MANAGER:
        raise UnlockRefused(name=locked_by.cashier.name)


def check_cashier_switch(current: StaffMember | None, new: StaffMember, sale_open: bool) -> None:
    """Refuse a different cashier while a sale is open (the same cashier signing back is fine)."""
    if current is not None and sale_open and new.cashier.cashier_id != current.cashier.cashier_id:
        raise SwitchWithOpenSale(name=current.cashier.name)
