"""The store's day at one till: who is signed in with what role, the open shift, and the
manager approvals.  The ``Till`` holds one (``till.day``) when the till runs a store's day;
the use cases of the day (``shift_desk``, ``checkout``, ``returns_desk``, the sale's voids,
cancels and parking) take it from there.  Confined to the till worker thread, like the Till.

    day.authorise(who, Action.VOID_LINE, amount=..., sale_id=..., line_id=...)
        -> None when the role may; raises NeedsApproval when a manager must approve;
    then, after ask() and approve() (the manager's code and PIN, a reason from the list):
    day.authorise(who, Action.VOID_LINE, approval_id=..., amount=..., sale_id=..., line_id=...)
        -> the spent ApprovalRecord, already in the journal.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money
from pos.ports import Clock
from pos.sale import Cashier
from pos.store_day.approval import DEFAULT_REASONS, Approval, ApprovalDesk, ApprovalRecord, ApprovalRequest, ReasonCodes
from pos.store_day.drawer import Denominations
from pos.store_day.lock import InactivityLock
from pos.store_day.report import CancelledSale
from pos.store_day.returns import RefundPolicy
from pos.store_day.roles import ACTION_NAMES, DEFAULT_TABLE, Action, PermissionTable, Role, StaffMember
from pos.store_day.shift import Shift, require_open_shift

log = logging.getLogger(__name__)

DRAWER_PINS = (2, 5)


class NeedsApproval(PosError):
    """The person's role may not do the action alone; the window asks a manager, then runs
    the action again with the approval's id.  Carries what the approval must be bound to."""

    message = N_("{name} may not do this alone: a manager must approve “{action_name}”.")

    def __init__(self, *, who: StaffMember, action: Action, amount: Money | None = None,
                 sale_id: uuid.UUID | None = None, line_id: uuid.UUID | None = None) -> None:
        super().__init__(name=who.cashier.name, action_name=ACTION_NAMES[action])
        self.who = who
        self.action = action
        self.amount = amount
        self.sale_id = sale_id
        self.line_id = line_id


class WrongManagerPin(PosError):
    message = N_("Wrong manager number or PIN.")


class StaffDirectory(Protocol):
    """The till's cashier accounts (local_db.staff.SqlStaff)."""

    def role_of(self, cashier_id: str) -> Role:
        """The role of an active cashier (``Role.CASHIER`` when none is recorded)."""
        ...

    def check_pin(self, cashier_code: str, pin: str) -> Cashier | None:
        """Check a code and PIN with the sign-in rules (lockout, every try recorded)."""
        ...


class StoreDayJournal(Protocol):
    """What the day needs of the journal (local_db.store_day_journal.SqlStoreDay)."""

    def current_shift(self, denominations: Denominations) -> Shift | None: ...

    def spent_approvals(self) -> list[uuid.UUID]: ...

    def record_approval(self, approval: ApprovalRecord) -> None: ...

    def record_cancelled_sale(self, cancelled: CancelledSale) -> None: ...


@dataclass(frozen=True, slots=True)
class StoreDayRules:
    """What head office (the hub's policies) and the till's settings decide for the day."""

    denominations: Denominations
    permissions: PermissionTable = DEFAULT_TABLE
    reasons: ReasonCodes = DEFAULT_REASONS
    refunds: RefundPolicy = field(default_factory=RefundPolicy)
    inactivity: InactivityLock = field(default_factory=lambda: InactivityLock(timedelta(minutes=5)))
    drawer_pin: int = 2  # the printer's drawer port pin (ESC p m: 2 or 5)
    open_drawer: bool = True  # kick the drawer on cash

    def __post_init__(self) -> None:
        if self.drawer_pin not in DRAWER_PINS:
            raise ValueError(f"the drawer pin is 2 or 5, not {self.drawer_pin}")


class StoreDay:
    """One till's day: the open shift and the approval desk, rebuilt from the journal at start."""

    def __init__(self, journal: StoreDayJournal, staff: StaffDirectory, rules: StoreDayRules, clock: Clock, *,
                 store_id: str, till_id: str, currency: str) -> None:
        self.journal = journal
        self.staff = staff
        self.rules = rules
        self.clock = clock
        self.store_id = store_id
        self.till_id = till_id
        self.currency = currency
        self.shift: Shift | None = None
        self.desk = ApprovalDesk(table=rules.permissions, reasons=rules.reasons)

    def start(self) -> Shift | None:
        """Find the shift left open before a restart, and the approvals already used."""
        self.shift = self.journal.current_shift(self.rules.denominations)
        self.desk = ApprovalDesk.starting_from(self.journal.spent_approvals(), self.rules.permissions,
                                               self.rules.reasons)
        return self.shift

    # -- people ------------------------------------------------------------------------
    def member(self, cashier: Cashier) -> StaffMember:
        return StaffMember(cashier, self.staff.role_of(cashier.cashier_id))

    def may(self, who: StaffMember, action: Action) -> bool:
        return self.rules.permissions.may(who.role, action)

    def manager(self, code: str, pin: str) -> StaffMember:
        """The person behind a code and PIN typed at an approval or unlock prompt."""
        cashier = self.staff.check_pin(code.strip(), pin)
        if cashier is None:
            raise WrongManagerPin()
        return self.member(cashier)

    # -- approvals ---------------------------------------------------------------------
    def authorise(self, who: StaffMember, action: Action, *, approval_id: uuid.UUID | None = None,
                  amount: Money | None = None, sale_id: uuid.UUID | None = None,
                  line_id: uuid.UUID | None = None) -> ApprovalRecord | None:
        """Go ahead (None) when the role may; with ``approval_id``, spend that approval (it must
        be for exactly this action, amount, sale and line) and record it in the journal before
        returning it; otherwise raise ``NeedsApproval``."""
        if approval_id is None:
            if self.may(who, action):
                return None
            raise NeedsApproval(who=who, action=action, amount=amount, sale_id=sale_id, line_id=line_id)
        record = self.desk.spend(approval_id, action, amount=amount, sale_id=sale_id, line_id=line_id)
        self.journal.record_approval(record)
        log.info("approval %s of %s by %s for %s", record.approval_id, action.value, record.approved_by,
                 record.requested_by)
        return record

    def ask(self, needed: NeedsApproval) -> ApprovalRequest:
        """A one-time request for what ``needed`` was refused."""
        return self.desk.ask(needed.who, needed.action, self.clock.now(), amount=needed.amount,
                             sale_id=needed.sale_id, line_id=needed.line_id)

    def approve(self, request_id: uuid.UUID, manager_code: str, pin: str, reason_code: str) -> Approval:
        """A manager's code and PIN (the sign-in lockout applies) and a reason from the list."""
        approver = self.manager(manager_code, pin)
        return self.desk.approve(request_id, approver, reason_code, self.clock.now())

    def drop(self, request_id: uuid.UUID) -> None:
        self.desk.drop(request_id)

    # -- the shift ---------------------------------------------------------------------
    def require_selling(self) -> Shift:
        """The open shift a sale is made in; raises ``NoOpenShift`` / ``ShiftNotOpen``."""
        return require_open_shift(self.shift)
