"""F10, P: change the price of the selected line (a wrong shelf price honoured, damaged
packaging).  The till asks a manager when the cashier's role may not (PRICE_OVERRIDE, bound to
the line and its new total); the entry dialog says a price it cannot read and stays open."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from pos.i18n import _
from pos.till import TillResult
from ui import formatting
from ui.dialogs import EntryDialog
from ui.operations import Op
from ui.sale_control.approvals import entry_with_approval

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
    """The entry dialog's submit: the new price, once a manager approves when the role may not."""
    return entry_with_approval(actions, lambda till, approval_id: till.override_price(line_id, text, approval_id))
