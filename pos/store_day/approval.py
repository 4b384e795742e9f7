"""Manager approval: a request bound to one action, its amount and the sale (and line) it
concerns; a manager's approval of it, with a reason code from the chain's list; and the
audit record the journal keeps.

A request's id is a one-time token.  ``ApprovalDesk.approve`` takes a pending request out of
the desk (so it cannot be approved twice), and ``ApprovalDesk.spend`` takes the approval out
when the action is done, checking that the action, amount, sale and line are the ones that
were approved (so an approval for voiding a 12.00 line cannot void a 900.00 one).  The desk
starts from the approval ids the journal already holds, so a restart never makes one
usable again.  The manager signs in for the approval through the same guarded directory as
a cashier (``pos.sign_in_policy.GuardedCashiers``): wrong PINs lock them out and are audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money
from pos.store_day.roles import DEFAULT_TABLE, Action, PermissionTable, Role, StaffMember

APPROVAL_VALID_FOR = timedelta(minutes=5)
MAX_REASON_CODE = 20


class ApprovalNotNeeded(PosError):
    message = N_("{name} may do this without a manager's approval.")


class OwnRequest(PosError):
    message = N_("{name} asked for this: another manager must approve it.")


class NotAManager(PosError):
    message = N_("{name} is not a manager: only a manager can approve.")


class ApproverMayNot(PosError):
    message = N_("{name} may not do this either, so cannot approve it.")


class RequestExpired(PosError):
    message = N_("The request is more than {minutes} minutes old: ask again.")


class ApprovalUnknown(PosError):
    message = N_("This approval is not waiting any more (used, expired or never asked): ask again.")


class ApprovalMismatch(PosError):
    message = N_("This approval was given for another action, amount or sale: ask again.")


class UnknownReason(PosError):
    message = N_("“{code}” is not one of the chain's reasons: choose one from the list.")


@dataclass(frozen=True, slots=True)
class ReasonCode:
    """A reason from the chain's list (``"damaged"``, ``"customer_changed_mind"``) and the
    label head office gave it (shown as sent; the chain writes it in the shop's language)."""

    code: str
    label: str


@dataclass(frozen=True, slots=True)
class ReasonCodes:
    reasons: tuple[ReasonCode, ...]

    @classmethod
    def from_data(cls, data: Any) -> ReasonCodes:
        """The hub's form: ``[{"code": "damaged", "label": "Damaged"}, ...]``; bad rows are refused."""
        if not isinstance(data, (list, tuple)):
            raise ValueError("reason codes are a list")
        reasons = []
        for row in data:
            if not isinstance(row, Mapping) or not isinstance(row.get("code"), str) or not isinstance(row.get("label"), str):
                raise ValueError(f"bad reason code row {row!r:.60}")
            if not 0 < len(row["code"]) <= MAX_REASON_CODE:
                raise ValueError(f"a reason code is 1 to {MAX_REASON_CODE} characters")
            reasons.append(ReasonCode(row["code"], row["label"]))
        return cls(tuple(reasons))

    def get(self, code: str) -> ReasonCode:
        for reason in self.reasons:
            if reason.code == code:
                return reason
        raise UnknownReason(code=code[:MAX_REASON_CODE])


DEFAULT_REASONS = ReasonCodes(
    (
        ReasonCode("customer_changed_mind", "Customer changed their mind"),
        ReasonCode("scanned_by_mistake", "Scanned by mistake"),
        ReasonCode("damaged", "Damaged goods"),
        ReasonCode("wrong_price", "Wrong price on the shelf"),
        ReasonCode("no_receipt", "Customer has no receipt"),
        ReasonCode("other", "Other"),
    )
)


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    request_id: uuid.UUID  # the one-time token
    action: Action
    amount: Money | None
    sale_id: uuid.UUID | None
    line_id: uuid.UUID | None
    requested_by: StaffMember
    requested_at: datetime


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    """What the journal keeps (and the hub receives) for every approval used."""

    approval_id: uuid.UUID  # = the request id
    action: Action
    amount: Money | None
    sale_id: uuid.UUID | None
    line_id: uuid.UUID | None
    requested_by: str  # cashier ids
    approved_by: str
    reason: str  # reason code
    requested_at: datetime
    approved_at: datetime


@dataclass(frozen=True, slots=True)
class Approval:
    request: ApprovalRequest
    approved_by: StaffMember
    reason: ReasonCode
    approved_at: datetime

    def record(self) -> ApprovalRecord:
        r = self.request
        return ApprovalRecord(
            approval_id=r.request_id, action=r.action, amount=r.amount, sale_id=r.sale_id, line_id=r.line_id,
            requested_by=r.requested_by.cashier.cashier_id, approved_by=self.approved_by.cashier.cashier_id,
            reason=self.reason.code, requested_at=r.requested_at, approved_at=self.approved_at,
        )


@dataclass(slots=True)
class ApprovalDesk:
    """The till's pending requests and granted approvals; each is used at most once."""

    table: PermissionTable = DEFAULT_TABLE
    reasons: ReasonCodes = DEFAULT_REASONS
    spent: set[uuid.UUID] = field(default_factory=set)  # approval ids already in the journal
    pending: dict[uuid.UUID, ApprovalRequest] = field(default_factory=dict)
    granted: dict[uuid.UUID, Approval] = field(default_factory=dict)

    @classmethod
    def starting_from(cls, spent: Iterable[uuid.UUID], table: PermissionTable = DEFAULT_TABLE,
                      reasons: ReasonCodes = DEFAULT_REASONS) -> ApprovalDesk:
        return cls(table=table, reasons=reasons, spent=set(spent))

    def ask(self, who: StaffMember, action: Action, now: datetime, *, amount: Money | None = None,
            sale_id: uuid.UUID | None = None, line_id: uuid.UUID | None = None) -> ApprovalRequest:
        if self.table.may(who.role, action):
            raise ApprovalNotNeeded(name=who.cashier.name)
        request = ApprovalRequest(uuid.uuid4(), action, amount, sale_id, line_id, who, now)
        self.pending[request.request_id] = request
        return request

    def approve(self, request_id: uuid.UUID, approver: StaffMember, reason_code: str, now: datetime) -> Approval:
        """The manager's code and PIN were checked by the caller; here: that they are a manager
        whose role may do the action, not the one who asked, the request is still pending and
        fresh, and the reason is on the list."""
        request = self.pending.get(request_id)
        if request is None or request_id in self.spent:
            raise ApprovalUnknown()
        if approver.cashier.cashier_id == request.requested_by.cashier.cashier_id:
            raise OwnRequest(name=approver.cashier.name)
        if approver.role is not Role.MANAGER:
            raise NotAManager(name=approver.cashier.name)
        if not self.table.may(approver.role, request.action):
            raise ApproverMayNot(name=approver.cashier.name)
        if not timedelta(0) <= now - request.requested_at <= APPROVAL_VALID_FOR:
            del self.pending[request_id]
            raise RequestExpired(minutes=int(APPROVAL_VALID_FOR.total_seconds() // 60))
        reason = self.reasons.get(reason_code)
        del self.pending[request_id]
        approval = Approval(request, approver, reason, now)
        self.granted[request_id] = approval
        return approval

    def spend(self, approval_id: uuid.UUID, action: Action, *, amount: Money | None = None,
              sale_id: uuid.UUID | None = None, line_id: uuid.UUID | None = None) -> ApprovalRecord:
        """Use an approval for the action it was given for; it can never be used again."""
        approval = self.granted.get(approval_id)
        if approval is None or approval_id in self.spent:
            raise ApprovalUnknown()
        r = approval.request
        if (r.action, r.amount, r.sale_id, r.line_id) != (action, amount, sale_id, line_id):
            raise ApprovalMismatch()
        del self.granted[approval_id]
        self.spent.add(approval_id)
        return approval.record()

    def drop(self, request_id: uuid.UUID) -> None:
        """The cashier gave up the action: its request and approval are gone."""
        self.pending.pop(request_id, None)
        self.granted.pop(request_id, None)
