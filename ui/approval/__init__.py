"""Manager approval on the spot: run an action; when the till answers ``NeedsApproval``, a
manager types their code and PIN and picks a reason (the prompt), and the action runs again
with the approval's id, bound to that one action, amount, sale and line.

    run_with_approval(actions, lambda till, approval_id: till.void_line(line_id, approval_id), shown)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from pos.store_day.day import NeedsApproval
from pos.store_day.roles import Action
from pos.till import Till, TillResult

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions

T = TypeVar("T")

Work = Callable[[Till, "uuid.UUID | None"], T]


def run_with_approval(actions: SaleActions, work: Callable[[Till, uuid.UUID | None], TillResult],
                      success: Callable[[TillResult], None] | None = None) -> None:
    """Run ``work(till, None)`` as a change; on ``NeedsApproval`` ask a manager, then run
    ``work(till, approval_id)``.  Other problems go to the sale screen's message area."""

    def done(result: TillResult) -> None:
        if success is not None:
            success(result)

    def failed(error: BaseException) -> None:
        if isinstance(error, NeedsApproval):
            ask_manager(actions, error, lambda approval_id: actions.session.change(
                lambda till: work(till, approval_id)).success(done).failure(actions.problem).run())
        else:
            actions.problem(error)

    actions.session.change(lambda till: work(till, None)).success(done).failure(failed).run()


def ask_manager(actions: SaleActions, needed: NeedsApproval, then: Callable[[uuid.UUID], None]) -> None:
    """Open the approval prompt for ``needed``; ``then(approval_id)`` once a manager approved.
    (The prompt is ui.approval.prompt; until it lands, the refusal is shown.)"""
    try:
        from ui.approval.prompt import open_prompt
    except ImportError:
        actions.problem(needed)
        return
    open_prompt(actions, needed, then)


def permit(actions: SaleActions, action: Action, then: Callable[[], None]) -> None:
    """Check the signed-in person may do ``action`` (a till without a store's day: yes); if not,
    ask a manager and spend the approval (journalled) before ``then()`` runs on the UI thread."""

    def check(till: Till, approval_id: uuid.UUID | None) -> bool:
        if till.day is not None:
            till.day.authorise(till.staff(), action, approval_id=approval_id)
        return True

    def failed(error: BaseException) -> None:
        if isinstance(error, NeedsApproval):
            ask_manager(actions, error, lambda approval_id: actions.session.query(
                lambda till, _journal: check(till, approval_id)).success(lambda _ok: then()).failure(
                actions.problem).run())
        else:
            actions.problem(error)

    actions.session.query(lambda till, _journal: check(till, None)).success(lambda _ok: then()).failure(failed).run()
