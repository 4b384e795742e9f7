"""A shift at one till: opened with a counted float, cash put in or taken out with a reason,
closed with a blind count of the drawer, which then shows expected against counted.

States: OPEN (selling) -> CLOSING (no sales; the drawer is being counted) -> CLOSED.
- No sale without an open shift (``require_selling``).
- No close with a sale open, and none while the previous Z report is still unsent (the
  caller passes both facts: the basket and the outbox are not the domain's to read).
- The count is blind: it is recorded before the expected cash is given to the shift, and
  the variance is counted minus expected.
Numbers (cash movements, Z) are 0 here: the journal gives the gapless ones when it records.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money
from pos.store_day.approval import ApprovalRecord
from pos.store_day.drawer import DrawerCount
from pos.store_day.roles import Action, NotPermitted, PermissionTable, StaffMember


class ShiftState(enum.Enum):
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class NoOpenShift(PosError):
    message = N_("No shift is open on this till: a manager opens one first.")


class ShiftNotOpen(PosError):
    message = N_("The shift is being closed: no sales or cash movements until it is closed.")


class CloseWithOpenSale(PosError):
    message = N_("A sale is still open: finish, park or cancel it before closing the shift.")


class PreviousZUnsent(PosError):
    message = N_("Z report {number} has not reached head office yet: send it before making the next one.")


class NotClosing(PosError):
    message = N_("Start closing the shift first.")


class NotCountedYet(PosError):
    message = N_("Count the drawer first.")


class CountInOtherCurrency(PosError):
    message = N_("The count is in {counted}, the till in {currency}.")


class CashMovementNotPositive(PosError):
    message = N_("A cash movement must be more than zero.")


CASH_IN = "in"
CASH_OUT = "out"


@dataclass(frozen=True, slots=True)
class CashMovement:
    """Cash put into the drawer or taken out, with the chain's reason; its own document."""

    movement_id: uuid.UUID
    shift_id: uuid.UUID
    number: int  # gapless per till, 0 until the journal assigns it
    direction: str  # CASH_IN or CASH_OUT
    amount: Money  # always positive
    reason: str  # reason code
    by: str  # cashier id
    at: datetime
    approval_id: uuid.UUID | None = None

    @property
    def signed(self) -> Money:
        return self.amount if self.direction == CASH_IN else -self.amount


@dataclass(frozen=True, slots=True)
class ShiftClose:
    counted: DrawerCount
    expected: Money
    closed_by: str
    closed_at: datetime

    @property
    def variance(self) -> Money:
        """Counted minus expected: negative when cash is missing."""
        return self.counted.total - self.expected


def authorise(table: PermissionTable, who: StaffMember, action: Action, *approvals: ApprovalRecord | None) -> None:
    """Go ahead if the role may, or a manager approved this action (spent by the ApprovalDesk)."""
    if table.may(who.role, action):
        return
    if not any(a is not None and a.action is action for a in approvals):
        raise NotPermitted(name=who.cashier.name, action=action.value)


def require_open_shift(shift: Shift | None) -> Shift:
    """The shift a sale may be made in; raise when there is none open."""
    if shift is None:
        raise NoOpenShift()
    shift.require_selling()
    return shift


@dataclass(slots=True)
class Shift:
    shift_id: uuid.UUID
    store_id: str
    till_id: str
    currency: str
    opened_by: str
    opened_at: datetime
    opening_float: DrawerCount
    state: ShiftState = ShiftState.OPEN
    movements: list[CashMovement] = field(default_factory=list)
    blind_count: DrawerCount | None = None
    closed: ShiftClose | None = None

    @classmethod
    def open(cls, *, store_id: str, till_id: str, currency: str, who: StaffMember, float_count: DrawerCount,
             now: datetime, table: PermissionTable, approval: ApprovalRecord | None = None) -> Shift:
        authorise(table, who, Action.OPEN_SHIFT, approval)
        if float_count.currency != currency:
            raise CountInOtherCurrency(counted=float_count.currency, currency=currency)
        return cls(uuid.uuid4(), store_id, till_id, currency, who.cashier.cashier_id, now, float_count)

    def require_selling(self) -> None:
        """Raise unless sales may be made now."""
        if self.state is ShiftState.CLOSED:
            raise NoOpenShift()
        if self.state is ShiftState.CLOSING:
            raise ShiftNotOpen()

    def move_cash(self, direction: str, amount: Money, reason: str, who: StaffMember, now: datetime,
                  table: PermissionTable, approval: ApprovalRecord | None = None) -> CashMovement:
        if direction not in (CASH_IN, CASH_OUT):
            raise ValueError(f"a cash movement is in or out, not {direction!r}")
        self.require_selling()
        authorise(table, who, Action.CASH_IN if direction == CASH_IN else Action.CASH_OUT, approval)
        if amount.amount <= 0:
            raise CashMovementNotPositive()
        movement = CashMovement(uuid.uuid4(), self.shift_id, 0, direction, amount, reason,
                                who.cashier.cashier_id, now, approval.approval_id if approval else None)
        self.movements.append(movement)
        return movement

    def begin_close(self, who: StaffMember, table: PermissionTable, *, sale_open: bool,
                    unsent_z_number: int | None, approval: ApprovalRecord | None = None) -> None:
        """``unsent_z_number``: the previous Z report's number if the hub has not acknowledged it."""
        self.require_selling()
        authorise(table, who, Action.CLOSE_SHIFT, approval)
        if sale_open:
            raise CloseWithOpenSale()
        if unsent_z_number is not None:
            raise PreviousZUnsent(number=unsent_z_number)
        self.state = ShiftState.CLOSING

    def resume(self) -> None:
        """Go back to selling before the count is recorded."""
        if self.state is ShiftState.CLOSING and self.blind_count is None:
            self.state = ShiftState.OPEN

    def count_blind(self, count: DrawerCount) -> None:
        """The closing count, typed without seeing what is expected; a recount replaces it."""
        if self.state is not ShiftState.CLOSING:
            raise NotClosing()
        if count.currency != self.currency:
            raise CountInOtherCurrency(counted=count.currency, currency=self.currency)
        self.blind_count = count

    def close(self, expected: Money, who: StaffMember, now: datetime) -> ShiftClose:
        """Close with the expected cash (``report.expected_cash`` of the shift's documents)."""
        if self.state is not ShiftState.CLOSING:
            raise NotClosing()
        if self.blind_count is None:
            raise NotCountedYet()
        self.closed = ShiftClose(self.blind_count, expected, who.cashier.cashier_id, now)
        self.state = ShiftState.CLOSED
        return self.closed
