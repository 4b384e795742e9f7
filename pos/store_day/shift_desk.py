"""The shift at the till, as use cases on the till worker: open it with a counted float, put
cash in or take it out with a reason, print an X report, and close it with a blind count of
the drawer and a Z report.  Each takes the ``Till`` and works through ``till.day`` (the
store's day: rules, the open shift, approvals), ``till.staff()`` (who is signed in, with
their role) and the day's journal (``SqlStoreDay``: one transaction per document).

Permissions go through ``till.day.authorise``: when the role may not, ``NeedsApproval`` is
raised and the window asks a manager, then calls again with the approval's id.  What was
typed is checked before an approval is spent, so a typing mistake never wastes one.

    open_shift(till, {Decimal("100"): "3"})            -> the open Shift (float 300)
    move_cash(till, CASH_OUT, "500", "safe_drop")      -> the numbered CashMovement
    x_report(till)                                     -> ShiftReport (X), nothing changes
    begin_close(till); count_blind(till, typed); close(till) -> (ShiftClose, numbered Z)
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, cast

from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money, parse_amount, require_handable
from pos.quantity import shown
from pos.store_day.drawer import DrawerCount, count_drawer
from pos.store_day.report import DayDocuments, ReportKind, ShiftReport, compute_report, expected_cash
from pos.store_day.roles import Action
from pos.store_day.shift import CASH_IN, CASH_OUT, CashMovement, NoOpenShift, Shift, ShiftClose, ShiftState

if TYPE_CHECKING:
    from pos.store_day.day import StoreDay
    from pos.till import Till

log = logging.getLogger(__name__)


class NoStoreDay(PosError):
    message = N_("This till does not keep shifts.")


class ShiftAlreadyOpen(PosError):
    message = N_("A shift is already open on this till.")


class BadCashAmount(PosError):
    message = N_("“{text}” is not an amount of cash: type the amount, for example 500 or 250.50.")


class MoreThanTheDrawer(PosError):
    message = N_("{amount} is more than the drawer should hold: count again and type the amount taken out.")


class UnknownCashReason(PosError):
    message = N_("Choose a reason for the cash from the list.")


@dataclass(frozen=True, slots=True)
class CashReason:
    code: str
    label: str  # untranslated (N_); the window shows _(label)


# A small fixed list: the chain's reason codes (``rules.reasons``) are for approvals (damaged,
# customer changed their mind...), not for cash carried between the drawer and the safe.
CASH_REASONS: dict[str, tuple[CashReason, ...]] = {
    CASH_IN: (
        CashReason("change_from_safe", N_("Change brought from the safe")),
        CashReason("float_top_up", N_("Float topped up")),
        CashReason("other", N_("Other")),
    ),
    CASH_OUT: (
        CashReason("safe_drop", N_("Taken to the safe")),
        CashReason("bank_deposit", N_("Taken to the bank")),
        CashReason("supplier_payment", N_("Paid to a supplier")),
        CashReason("other", N_("Other")),
    ),
}


class ShiftJournal(Protocol):
    """What the shift needs of the day's journal (``local_db.store_day_journal.SqlStoreDay``)."""

    def open_shift(self, shift: Shift) -> None: ...

    def record_cash_movement(self, movement: CashMovement) -> CashMovement: ...

    def day_documents(self, shift: Shift) -> DayDocuments: ...

    def unsent_z_number(self) -> int | None: ...

    def close_shift(self, shift: Shift, closed: ShiftClose, report: ShiftReport) -> ShiftReport: ...


def _day(till: Till) -> StoreDay:
    if till.day is None:
        raise NoStoreDay()
    return till.day


def _journal(day: StoreDay) -> ShiftJournal:
    return cast(ShiftJournal, day.journal)  # the composition root gives the day a SqlStoreDay


def _shift(day: StoreDay) -> Shift:
    if day.shift is None or day.shift.state is ShiftState.CLOSED:
        raise NoOpenShift()
    return day.shift


# -- opening ---------------------------------------------------------------------------
def open_shift(till: Till, typed: Mapping[Decimal, str], approval_id: uuid.UUID | None = None) -> Shift:
    """Open a shift with the float counted by denomination (``typed``: pieces as typed per
    value); recorded in the journal before it is the day's shift."""
    day = _day(till)
    who = till.staff()
    if day.shift is not None and day.shift.state is not ShiftState.CLOSED:
        raise ShiftAlreadyOpen()
    counted = count_drawer(day.rules.denominations, typed)
    record = day.authorise(who, Action.OPEN_SHIFT, approval_id=approval_id, amount=counted.total)
    shift = Shift.open(store_id=day.store_id, till_id=day.till_id, currency=day.currency, who=who,
                       float_count=counted, now=till.clock.now(), table=day.rules.permissions, approval=record)
    _journal(day).open_shift(shift)
    day.shift = shift
    log.info("shift %s opened by %s with a float of %s", shift.shift_id, who.cashier.cashier_id, counted.total)
    return shift


# -- cash in and out -------------------------------------------------------------------
def cash_reason(direction: str, code: str) -> CashReason:
    for reason in CASH_REASONS.get(direction, ()):
        if reason.code == code:
            return reason
    raise UnknownCashReason()


def read_cash(till: Till, text: str) -> Money:
    """An amount of cash typed for a movement: more than zero, a sum of the shop's coins."""
    currency = _day(till).currency
    try:
        amount = parse_amount(text, currency)
    except PosError:
        raise BadCashAmount(text=shown(text)) from None
    if amount.amount <= 0:
        raise BadCashAmount(text=shown(text))
    return require_handable(amount, till.settings.cash.rounding_increment)


def move_cash(till: Till, direction: str, amount_text: str, reason_code: str,
              approval_id: uuid.UUID | None = None) -> CashMovement:
    """Cash put in (``CASH_IN``) or taken out (``CASH_OUT``) of the drawer, with a reason;
    its own numbered document.  Taking out more than the drawer should hold is refused."""
    day = _day(till)
    who = till.staff()
    shift = day.require_selling()
    reason = cash_reason(direction, reason_code)
    amount = read_cash(till, amount_text)
    journal = _journal(day)
    if direction == CASH_OUT and amount > expected_cash(journal.day_documents(shift)):
        raise MoreThanTheDrawer(amount=amount)
    action = Action.CASH_IN if direction == CASH_IN else Action.CASH_OUT
    record = day.authorise(who, action, approval_id=approval_id, amount=amount)
    movement = shift.move_cash(direction, amount, reason.code, who, till.clock.now(), day.rules.permissions, record)
    try:
        recorded = journal.record_cash_movement(movement)
    except BaseException:
        shift.movements.remove(movement)
        raise
    shift.movements[shift.movements.index(movement)] = recorded
    log.info("cash %s %s (%s), movement %d", direction, amount, reason.code, recorded.number)
    return recorded


# -- reports and the close -------------------------------------------------------------
def x_report(till: Till, approval_id: uuid.UUID | None = None) -> ShiftReport:
    """The X report of the open shift: its totals so far; changes nothing."""
    day = _day(till)
    shift = _shift(day)
    day.authorise(till.staff(), Action.X_REPORT, approval_id=approval_id)
    return compute_report(ReportKind.X, _journal(day).day_documents(shift))


def begin_close(till: Till, approval_id: uuid.UUID | None = None) -> Shift:
    """Stop selling to count the drawer.  Refused with a sale open, or while the previous Z
    report has not reached head office (checked before an approval is spent)."""
    day = _day(till)
    who = till.staff()
    shift = _shift(day)
    if shift.state is ShiftState.CLOSING:  # a close begun and not finished: count (again)
        day.authorise(who, Action.CLOSE_SHIFT, approval_id=approval_id)
        return shift
    sale_open = bool(till.basket.active_lines())
    unsent = _journal(day).unsent_z_number()
    if not sale_open and unsent is None:
        record = day.authorise(who, Action.CLOSE_SHIFT, approval_id=approval_id)
    else:
        record = None  # begin_close below refuses, naming why
    shift.begin_close(who, day.rules.permissions, sale_open=sale_open, unsent_z_number=unsent, approval=record)
    return shift


def count_blind(till: Till, typed: Mapping[Decimal, str]) -> DrawerCount:
    """The closing count, typed without seeing what is expected (a recount replaces it)."""
    day = _day(till)
    shift = _shift(day)
    counted = count_drawer(day.rules.denominations, typed)
    shift.count_blind(counted)
    return counted


def close(till: Till, approval_id: uuid.UUID | None = None) -> tuple[ShiftClose, ShiftReport]:
    """Close the counted shift: the Z report is computed from the journal, which records the
    close and the numbered Z in one transaction (refusing, with its figures, a Z that does not
    reconcile: the shift then stays counted and can be closed again).  The Z report is the
    manager's (``Z_REPORT``)."""
    day = _day(till)
    who = till.staff()
    shift = _shift(day)
    journal = _journal(day)
    record = day.authorise(who, Action.Z_REPORT, approval_id=approval_id)
    report = compute_report(ReportKind.Z, journal.day_documents(shift))
    closed = shift.close(report.expected_cash, who, till.clock.now())
    try:
        numbered = journal.close_shift(shift, closed, report)
    except BaseException:
        shift.state, shift.closed = ShiftState.CLOSING, None  # counted, not closed: try again
        raise
    day.shift = None
    log.info("shift %s closed by %s: Z %d, variance %s%s", shift.shift_id, who.cashier.cashier_id,
             numbered.z_number, closed.variance, f", approved {record.approval_id}" if record else "")
    return closed, numbered


def resume(till: Till) -> Shift:
    """Back to selling from a close begun but not counted."""
    shift = _shift(_day(till))
    shift.resume()
    return shift


# -- the drawer ------------------------------------------------------------------------
def drawer_pin(till: Till) -> int | None:
    """The printer's drawer port pin to kick, or None when this till opens no drawer."""
    rules = _day(till).rules
    return rules.drawer_pin if rules.open_drawer else None


def no_sale(till: Till, approval_id: uuid.UUID | None = None) -> int | None:
    """Open the drawer without a sale (``NO_SALE``), in an open shift; the pin to kick."""
    day = _day(till)
    who = till.staff()
    day.require_selling()
    record = day.authorise(who, Action.NO_SALE, approval_id=approval_id)
    log.info("no sale: drawer opened by %s%s", who.cashier.cashier_id,
             f", approved {record.approval_id}" if record else "")
    return drawer_pin(till)
