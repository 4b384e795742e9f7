"""F10 > Manager screens (``ui.store_menu``): a manager opens them at once; anyone else is
asked for a manager's code and PIN on the spot (``ui.approval.permit``), and the approval
(of ``Action.MANAGER_SCREENS``) is spent and journalled before the window opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.errors import PosError
from pos.i18n import N_, _
from pos.store_day.roles import Action
from ui.approval import permit
from ui.manager.common import Desk, journal_search, shop_zone
from ui.manager.window import ManagerWindow

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions


class NoStoreDay(PosError):
    message = N_("The manager screens need the store's day, which this till does not run.")


def open_manager(actions: SaleActions) -> None:
    services = actions.session.services
    search = journal_search(services)
    if search is None:
        actions.problem(NoStoreDay())
        return
    desk = Desk(actions.session, actions.printer, search, shop_zone(services))

    def show() -> None:
        if actions.dialog is None:
            actions.open_dialog(ManagerWindow(desk, actions.window))
        else:
            actions.screen.message.show_error(_("Close the open window first."))

    permit(actions, Action.MANAGER_SCREENS, show)
