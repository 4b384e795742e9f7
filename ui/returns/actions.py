"""The F10 menu's "Return or exchange" (``start_return``) and a receipt's code scanned on
the sale screen (``start_return_from_code``): find the sale on the till worker, then the
return dialog (ui.returns.return_dialog)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.store_day.returns_desk import FoundSale, StoreDayNeeded, UncheckedSale, find_sale
from ui.returns.find_dialog import FindReturnDialog
from ui.returns.hub import hub_lookup
from ui.returns.return_dialog import ReturnDialog

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions


def start_return(actions: SaleActions) -> None:
    """Ask for the receipt (its code or number), or a return without one."""
    if _no_store_day(actions):
        return
    dialog: FindReturnDialog

    def look_up(text: str) -> None:
        lookup = hub_lookup(actions.session.services)

        def found(sale: FoundSale | UncheckedSale) -> None:
            if dialog.closed:
                return
            dialog.found()
            open_return(actions, sale)

        actions.session.query(lambda till, _j: find_sale(till, text, lookup)).success(found).failure(
            dialog.failed).run()

    dialog = FindReturnDialog(look_up, lambda: open_return(actions, None), actions.window)
    actions.open_dialog(dialog)


def start_return_from_code(actions: SaleActions, text: str) -> None:
    """A receipt's code scanned on the sale screen: its sale's return dialog, or the problem."""
    if _no_store_day(actions) or actions.dialog is not None:
        return
    lookup = hub_lookup(actions.session.services)
    actions.session.query(lambda till, _j: find_sale(till, text, lookup)).success(
        lambda sale: open_return(actions, sale)).failure(actions.problem).run()


def open_return(actions: SaleActions, found: FoundSale | UncheckedSale | None) -> None:
    """The return dialog of ``found`` (None: without a receipt), once no other dialog is open
    (the finding dialog's ``finished`` has run by then)."""
    if actions.dialog is None:
        actions.open_dialog(ReturnDialog(actions, found, actions.window))


def _no_store_day(actions: SaleActions) -> bool:
    if actions.session.services.store_day is None:
        actions.problem(StoreDayNeeded())
        return True
    return False

