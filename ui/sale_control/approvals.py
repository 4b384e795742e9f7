"""The sale screen's void (F8) and quantity or weight change (F4) under a manager's approval:
the till refuses with ``NeedsApproval`` when the cashier's role may not (voiding, or changing a
weight read from a scale label), the approval prompt opens, and the action runs again bound
to the approval."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from pos.store_day.day import NeedsApproval
from pos.till import Till, TillResult
from ui.approval import ask_manager, run_with_approval
from ui.operations import Op
from ui.qt import QTimer

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions


def void_with_approval(actions: SaleActions, line_id: uuid.UUID) -> None:
    """Void the line; a manager approves first when the cashier's role may not."""
    run_with_approval(actions, lambda till, approval_id: till.void_line(line_id, approval_id))


def change_quantity_with_approval(actions: SaleActions, line_id: uuid.UUID, text: str) -> Op[TillResult]:
    """The quantity entry dialog's submit: a weight read from a scale label is changed once a
    manager approves (``entry_with_approval``)."""
    return entry_with_approval(
        actions, lambda till, approval_id: till.change_quantity(line_id, text, approval_id))


def entry_with_approval(actions: SaleActions, work: Callable[[Till, uuid.UUID | None], TillResult]
                        ) -> Op[TillResult]:
    """An entry dialog's submit (``EntryDialog(..., submit=lambda text: ...)``): ``work`` as an
    op; when a manager must approve, the op still succeeds, the entry dialog closes, and the
    approval prompt opens over the sale screen, after which ``work`` runs bound to the approval.
    Other problems (a bad number) fail the op, so the entry dialog says them and stays open."""
    needed: list[NeedsApproval] = []

    def change(till: Till) -> TillResult:
        try:
            return work(till, None)
        except NeedsApproval as refusal:
            needed.append(refusal)
            return TillResult(view=till.view(), cashier=till.cashier)

    def then_ask(_result: TillResult) -> None:
        if needed:  # after the entry dialog closed (this runs before its own success callback)
            QTimer.singleShot(0, lambda: ask_manager(actions, needed[0], approved))

    def approved(approval_id: uuid.UUID) -> None:
        actions.session.change(lambda till: work(till, approval_id)).failure(actions.problem).run()

    return actions.session.change(change).announce(then_ask)
