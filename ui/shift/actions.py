"""The shift's entries of the F10 menu (``ui.store_menu``): open the shift with a counted float,
cash in and out, the X report, the close (blind count, then expected against counted and the
Z report), and opening the drawer without a sale; and ``ask_for_shift``, which the window
calls after sign-in when no shift is open.  Every use case runs on the till worker
(``pos.store_day.shift_desk``); a role that may not gets the manager's approval prompt."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pos.i18n import _
from pos.store_day import shift_desk
from pos.store_day.day import NeedsApproval
from pos.store_day.drawer import Denominations, DrawerCount
from pos.store_day.report import ShiftReport
from pos.store_day.shift import CASH_IN, CASH_OUT, CashMovement, NoOpenShift, Shift, ShiftClose, ShiftNotOpen, ShiftState
from pos.ports import SaleJournal
from pos.till import Till
from ui import formatting
from ui.errors import describe_problem
from ui.manager.common import journal_search
from ui.message_area import MessageArea
from ui.qt import QDialog, qconnect
from ui.shift.cash_dialog import CashDialog
from ui.shift.close_result import CloseResultDialog
from ui.shift.count_dialog import CountDialog, Typed
from ui.shift.desk import approved_then, run_desk
from ui.shift.report_view import ReportDialog

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions
    from ui.services import TillServices


@dataclass(frozen=True, slots=True)
class ShiftFacts:
    """What the window needs to know before opening a shift dialog (read on the till worker)."""

    keeps_shifts: bool
    state: ShiftState | None  # None: no shift open
    denominations: Denominations | None


def _facts(till: Till) -> ShiftFacts:
    day = till.day
    if day is None:
        return ShiftFacts(False, None, None)
    shift = day.shift
    state = None if shift is None or shift.state is ShiftState.CLOSED else shift.state
    return ShiftFacts(True, state, day.rules.denominations)


def _with_facts(actions: SaleActions, then: Callable[[ShiftFacts], None]) -> None:
    def checked(facts: ShiftFacts) -> None:
        if not facts.keeps_shifts:
            actions.problem(shift_desk.NoStoreDay())
        elif actions.dialog is None:  # one dialog at a time
            then(facts)

    actions.session.query(lambda till, _journal: _facts(till)).success(checked).failure(actions.problem).run()


def _alive(dialog: QDialog) -> Callable[[], bool]:
    """Whether ``dialog`` is still open (results arriving later must not touch a closed one)."""
    state = [True]
    qconnect(dialog.finished, lambda _code: state.__setitem__(0, False))
    return lambda: state[0]


def _submit_in(actions: SaleActions, dialog: CountDialog | CashDialog, work: Callable[[Till, uuid.UUID | None], Any],
               success: Callable[[Any], None]) -> None:
    """Run ``work`` from an open dialog: on success the dialog closes, then ``success``; when a
    manager must approve, the dialog closes and the prompt takes over (the work then runs again
    with the approval); any other problem is said in the dialog, which stays open."""

    def done(result: Any) -> None:
        dialog.busy = False
        dialog.accept()
        success(result)

    def refused(error: BaseException) -> None:
        if isinstance(error, NeedsApproval):
            dialog.busy = False
            dialog.accept()
            approved_then(actions, error, work, success)
        else:
            dialog.failed(error)

    run_desk(actions, work, done, refused)


def _kick_drawer(actions: SaleActions, pin: int | None, opened_notice: str | None = None) -> None:
    """The drawer kick through the receipt printer's drawer port (``spooler.open_drawer``).
    Without a printer nothing happens, as for a cash sale, unless the kick was asked for
    (``opened_notice``: no sale), which then says why the drawer stays shut."""
    if pin is None:
        return
    spooler = actions.session.services.spooler
    if not actions.printer.enabled or not hasattr(spooler, "open_drawer"):
        if opened_notice:
            actions.screen.message.show_error(_("No drawer: this till's printer cannot open the cash drawer."))
        return
    op = actions.session.printing(lambda s: s.open_drawer(pin)).failure(actions.problem)
    if opened_notice:
        op.success(lambda _r: actions.screen.message.show_notice(opened_notice))
    op.run()


def _print_report(actions: SaleActions, report: ShiftReport, message: MessageArea, alive: Callable[[], bool], *,
                  shift: Shift | None = None, counted: DrawerCount | None = None, copy: bool = False) -> None:
    """Print an X or Z report (``spooler.print_report``); what happened is said in ``message``."""
    spooler = actions.session.services.spooler
    if not actions.printer.enabled:
        message.show_notice(_("Printing is disabled on this till: the report is on screen only."))
        return
    if not hasattr(spooler, "print_report"):
        message.show_notice(_("This till cannot print reports yet: the report is on screen only."))
        return

    def printed(_result: object) -> None:
        if alive():
            message.show_notice(_("The report is printed."))

    def failed(error: BaseException) -> None:
        text = describe_problem(error)
        if alive():
            message.show_error(text + " " + _("Press P to print it again."))

    actions.session.printing(lambda s: s.print_report(report, copy=copy, counted=counted, shift=shift)).success(
        printed).failure(failed).run()


# -- opening ---------------------------------------------------------------------------
def open_shift(actions: SaleActions) -> None:
    """F10, 1: count the float and open the shift."""
    _with_facts(actions, lambda facts: _count_float(actions, facts, _("Count the float in the drawer: how many "
                                                                       "of each note and coin.")))


def ask_for_shift(actions: SaleActions) -> None:
    """After sign-in with no shift open: the open-shift count, saying why it appears."""

    def maybe(facts: ShiftFacts) -> None:
        if facts.state is None:
            _count_float(actions, facts, _("No shift is open on this till. Count the float in the drawer to open one."))

    actions.session.query(lambda till, _journal: _facts(till)).success(
        lambda facts: maybe(facts) if facts.keeps_shifts and actions.dialog is None else None
    ).failure(actions.problem).run()


def _count_float(actions: SaleActions, facts: ShiftFacts, intro: str) -> None:
    if facts.state is not None or facts.denominations is None:
        actions.problem(shift_desk.ShiftAlreadyOpen())
        return
    ui_locale = actions.session.services.ui_locale

    def opened(result: tuple[Shift, int | None]) -> None:
        shift, pin = result
        amount = formatting.money_with_currency(shift.opening_float.total, ui_locale)
        notice = _("Shift opened with a float of {amount}.").format(amount=amount)
        actions.screen.message.show_notice(notice)
        _kick_drawer(actions, pin)  # the float goes into the drawer

    def work(typed: Typed) -> Callable[[Till, uuid.UUID | None], tuple[Shift, int | None]]:
        return lambda till, approval_id: (shift_desk.open_shift(till, typed, approval_id), shift_desk.drawer_pin(till))

    def submit(typed: Typed) -> None:
        _submit_in(actions, dialog, work(typed), opened)

    dialog = CountDialog(_("Open the shift"), intro, _("Open the shift"), facts.denominations, ui_locale, submit,
                         actions.window)
    dialog.setObjectName("openShiftDialog")
    qconnect(dialog.rejected, lambda: actions.screen.message.show_error(
        _("No shift is open: sales need one (F10, 1 opens it).")))
    actions.open_dialog(dialog)


# -- cash in and out -------------------------------------------------------------------
def cash_in(actions: SaleActions) -> None:
    """F10, 2: cash put into the drawer."""
    _with_facts(actions, lambda facts: _move_cash(actions, facts, CASH_IN))


def cash_out(actions: SaleActions) -> None:
    """F10, 3: cash taken out of the drawer."""
    _with_facts(actions, lambda facts: _move_cash(actions, facts, CASH_OUT))


def _move_cash(actions: SaleActions, facts: ShiftFacts, direction: str) -> None:
    if facts.state is not ShiftState.OPEN:
        actions.problem(NoOpenShift() if facts.state is None else ShiftNotOpen())
        return
    services = actions.session.services
    title = _("Cash in") if direction == CASH_IN else _("Cash out")

    def moved(result: tuple[CashMovement, int | None]) -> None:
        movement, pin = result
        amount = formatting.money_with_currency(movement.amount, services.ui_locale)
        if direction == CASH_IN:
            notice = _("Cash in of {amount} recorded (number {number}).")
        else:
            notice = _("Cash out of {amount} recorded (number {number}).")
        actions.screen.message.show_notice(notice.format(amount=amount, number=movement.number))
        _kick_drawer(actions, pin)

    def work(text: str, reason: str) -> Callable[[Till, uuid.UUID | None], tuple[CashMovement, int | None]]:
        return lambda till, approval_id: (shift_desk.move_cash(till, direction, text, reason, approval_id),
                                          shift_desk.drawer_pin(till))

    def submit(text: str, reason: str) -> None:
        _submit_in(actions, dialog, work(text, reason), moved)

    dialog = CashDialog(title, shift_desk.CASH_REASONS[direction], services.store.currency, services.ui_locale,
                        submit, actions.window)
    actions.open_dialog(dialog)


# -- reports ---------------------------------------------------------------------------
def x_report(actions: SaleActions) -> None:
    """F10, 4: the X report on screen and printed."""
    def work(till: Till, approval_id: uuid.UUID | None) -> tuple[ShiftReport, Shift | None]:
        return shift_desk.x_report(till, approval_id), till.day.shift if till.day is not None else None

    run_desk(actions, work, lambda result: _show_x(actions, *result))


def _show_x(actions: SaleActions, report: ShiftReport, shift: Shift | None) -> None:
    if actions.dialog is not None:
        return
    services = actions.session.services
    note = _("Shift so far, in {currency}; nothing is closed.").format(currency=report.currency)
    holder: list[ReportDialog] = []
    alive: list[Callable[[], bool]] = []

    def again() -> None:
        _print_report(actions, report, holder[0].message, alive[0], shift=shift, copy=True)

    dialog = ReportDialog(report, note, services.ui_locale, again if actions.printer.enabled else None,
                          actions.window)
    holder.append(dialog)
    alive.append(_alive(dialog))
    actions.open_dialog(dialog)
    _print_report(actions, report, dialog.message, alive[0], shift=shift)


# -- the close -------------------------------------------------------------------------
def close_shift(actions: SaleActions) -> None:
    """F10, 5: stop selling, count the drawer blind, then the variance and the Z report."""

    def counting(_shift: Shift) -> None:
        _with_facts(actions, lambda facts: _count_blind(actions, facts))

    run_desk(actions, lambda till, approval_id: shift_desk.begin_close(till, approval_id), counting)


def _count_blind(actions: SaleActions, facts: ShiftFacts) -> None:
    if facts.denominations is None:
        return
    ui_locale = actions.session.services.ui_locale

    def work(typed: Typed) -> Callable[[Till, uuid.UUID | None], tuple[ShiftClose, ShiftReport, Shift]]:
        def count_and_close(till: Till, approval_id: uuid.UUID | None) -> tuple[ShiftClose, ShiftReport, Shift]:
            assert till.day is not None and till.day.shift is not None  # begin_close found them
            shift = till.day.shift
            shift_desk.count_blind(till, typed)
            closed, report = shift_desk.close(till, approval_id)
            return closed, report, shift

        return count_and_close

    def submit(typed: Typed) -> None:
        _submit_in(actions, dialog, work(typed), lambda result: _closed(actions, *result))

    dialog = CountDialog(
        _("Close the shift: count the drawer"),
        _("Count everything in the drawer, note by note and coin by coin. What the drawer should hold "
          "is shown once the count is recorded."),
        _("Close the shift"), facts.denominations, ui_locale, submit, actions.window)
    dialog.setObjectName("closeCountDialog")
    qconnect(dialog.rejected, lambda: _resume(actions))
    actions.open_dialog(dialog)


def _resume(actions: SaleActions) -> None:
    def resumed(shift: Shift) -> None:
        if shift.state is ShiftState.OPEN:
            actions.screen.message.show_notice(_("The shift is still open: back to selling."))
        else:
            actions.screen.message.show_error(_("The drawer was counted: close the shift (F10, 5) to finish."))

    run_desk(actions, lambda till, _approval_id: shift_desk.resume(till), resumed)


def _closed(actions: SaleActions, closed: ShiftClose, report: ShiftReport, shift: Shift) -> None:
    services = actions.session.services
    if services.sync_worker is not None:
        services.sync_worker.wake()  # the Z report and the close go to head office now, if online
    holder: list[CloseResultDialog] = []
    alive: list[Callable[[], bool]] = []

    def again() -> None:
        _print_report(actions, report, holder[0].message, alive[0], shift=shift, counted=closed.counted, copy=True)

    dialog = CloseResultDialog(closed, report, services.ui_locale, again if actions.printer.enabled else None,
                               actions.window)
    holder.append(dialog)
    alive.append(_alive(dialog))
    actions.screen.message.show_notice(_("Shift closed: {report}").format(report=_("Z report {number}").format(
        number=report.z_number)))
    actions.open_dialog(dialog)
    _print_report(actions, report, dialog.message, alive[0], shift=shift, counted=closed.counted)

    def unsent(count: int) -> None:
        if alive[0]():
            dialog.show_unsent(count)

    actions.session.query(lambda _till, journal: _unsent_of(services, journal, report.shift_id)).success(
        unsent).failure(actions.problem).run()


def _unsent_of(services: TillServices, journal: SaleJournal, shift_id: uuid.UUID) -> int:
    """The shift's documents the hub has not acknowledged (on the till worker); every waiting
    document of the till where the journal cannot tell shifts apart."""
    search = journal_search(services)
    if search is None:
        return journal.unsent_count()
    unsent = search.unsent(shift_id, limit=1)
    return unsent.waiting + unsent.quarantined


# -- the drawer ------------------------------------------------------------------------
def no_sale(actions: SaleActions) -> None:
    """F10, 0: open the drawer without a sale (its permission, or a manager's approval)."""

    def kick(pin: int | None) -> None:
        if pin is None:
            actions.screen.message.show_error(_("No drawer: this till opens no cash drawer."))
        else:
            _kick_drawer(actions, pin, _("The drawer is open."))

    run_desk(actions, lambda till, approval_id: shift_desk.no_sale(till, approval_id), kick)


__all__ = ["ask_for_shift", "cash_in", "cash_out", "close_shift", "no_sale", "open_shift", "x_report"]
