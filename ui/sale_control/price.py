"""F10, P: change the price of the selected line (a wrong shelf price honoured, damaged
packaging).  The till asks a manager when the cashier's role may not (PRICE_OVERRIDE, bound to
the line and its new total); the entry dialog says a price it cannot read and stays open."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from pos.i18n import _
from pos.store_day.day import NeedsApproval
from pos.till import Till, TillResult
from ui import formatting
from ui.approval import ask_manager
from ui.dialogs import EntryDialog
from ui.operations import Op
from ui.qt import QTimer

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions


def change_price(actions: SaleActions) -> None:
    line = actions.selected_line()
    if line is None:
        return
    line_id = line.line_id
    ui_locale = actions.session.services.ui_locale
    prompt = _("{name}: new price (now {price})").format(
        name=line.product.name, price=formatting.money_with_currency(line.product.price, ui_locale))
    actions.open_dialog(EntryDialog(_("Change price"), prompt, "",
                                    lambda text: price_with_approval(actions, line_id, text), actions.window,
                                    ui_locale))


def price_with_approval(actions: SaleActions, line_id: uuid.UUID, text: str) -> Op[TillResult]:
    """The entry dialog's submit: the change as an op; a refusal for the role closes the dialog
    and opens the approval prompt, after which the change runs bound to the approval."""
    needed: list[NeedsApproval] = []

    def change(till: Till) -> TillResult:
        try:
            return till.override_price(line_id, text)
        except NeedsApproval as refusal:
            needed.append(refusal)
            return TillResult(view=till.view(), cashier=till.cashier)

    def then_ask(_result: TillResult) -> None:
        if needed:
            QTimer.singleShot(0, lambda: ask_manager(actions, needed[0], approved))

    def approved(approval_id: uuid.UUID) -> None:
        actions.session.change(lambda till: till.override_price(line_id, text, approval_id)).failure(
            actions.problem).run()

    return actions.session.change(change).announce(then_ask)
