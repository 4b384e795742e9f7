"""Running a shift use case (``pos.store_day.shift_desk``) from the window: on the till worker,
announced as a journal change (the status bar recounts what is unsent), and when the till
answers ``NeedsApproval`` a manager is asked (``ui.approval.ask_manager``) and the use case
runs again with the approval's id.

    run_desk(actions, lambda till, approval_id: shift_desk.x_report(till, approval_id), show)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from pos.store_day.day import NeedsApproval
from pos.till import Till, TillResult
from ui.approval import ask_manager

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions

T = TypeVar("T")
DeskWork = Callable[[Till, "uuid.UUID | None"], T]


def run_desk(actions: SaleActions, work: Callable[[Till, uuid.UUID | None], T], success: Callable[[T], None],
             failure: Callable[[BaseException], None] | None = None, *,
             approval_id: uuid.UUID | None = None) -> None:
    """``work(till, approval_id)`` on the till worker, then ``success(its result)``.  A first
    ``NeedsApproval`` goes to the manager (unless ``failure`` takes it); every other problem,
    and a refusal after the approval, goes to ``failure`` (the sale screen's message area)."""
    failed = failure or actions.problem
    result: list[T] = []

    def run(till: Till) -> TillResult:
        result.append(work(till, approval_id))
        return TillResult(view=till.view(), cashier=till.cashier, journal_changed=True)

    def refused(error: BaseException) -> None:
        if isinstance(error, NeedsApproval) and approval_id is None and failure is None:
            ask_manager(actions, error, lambda granted: run_desk(actions, work, success, approval_id=granted))
        else:
            failed(error)

    actions.session.change(run).success(lambda _shown: success(result[0])).failure(refused).run()


def approved_then(actions: SaleActions, needed: NeedsApproval, work: Callable[[Till, uuid.UUID | None], T],
                  success: Callable[[T], None]) -> None:
    """Ask a manager for ``needed``, then run ``work`` with the approval (problems to the sale screen)."""
    ask_manager(actions, needed, lambda granted: run_desk(actions, work, success, approval_id=granted))
