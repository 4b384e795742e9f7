"""F10 > Manager screens (``ui.store_menu``): a manager opens them at once; anyone else is
asked for a manager's code and PIN on the spot (``ui.approval.ask_manager``), and the
approval (of ``Action.MANAGER_SCREENS``) is spent and journalled before the window opens."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from pos.errors import PosError
from pos.i18n import N_, _
from pos.store_day.day import NeedsApproval
from pos.store_day.roles import Action
from pos.till import Till
from ui.approval import ask_manager
from ui.manager.common import Desk, journal_search, shop_zone
from ui.manager.window import ManagerWindow

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions


class NoStoreDay(PosError):
    message = N_("The manager screens need the store's day, which this till does not run.")


def allow(till: Till, approval_id: uuid.UUID | None) -> None:
    """Go ahead when the signed-in person may (or with a manager's approval); raises
    ``NeedsApproval`` otherwise.  On the till worker."""
    if till.day is None:
        raise NoStoreDay()
    till.day.authorise(till.staff(), Action.MANAGER_SCREENS, approval_id=approval_id)


def open_manager(actions: SaleActions) -> None:
    services = actions.session.services
    search = journal_search(services)
    if search is None:
        actions.problem(NoStoreDay())
        return
    desk = Desk(actions.session, actions.printer, search, shop_zone(services))

    def show(_result: object = None) -> None:
        if actions.dialog is None:
            actions.open_dialog(ManagerWindow(desk, actions.window))
        else:
            actions.screen.message.show_error(_("Close the open window first."))

    def approved(approval_id: uuid.UUID) -> None:
        actions.session.query(lambda till, _j: allow(till, approval_id)).success(show).failure(actions.problem).run()

    def refused(error: BaseException) -> None:
        if isinstance(error, NeedsApproval):
            ask_manager(actions, error, approved)
        else:
            actions.problem(error)

    actions.session.query(lambda till, _j: allow(till, None)).success(show).failure(refused).run()
