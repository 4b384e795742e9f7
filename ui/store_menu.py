"""F10: the store's day menu (shift, cash, reports, returns, parking, cancelling, the
manager's screens).  Each entry names the function that runs it, ``module:function`` taking
the window's ``SaleActions``; the function checks permissions through the till (and asks a
manager when needed, ``ui.approval``).  A digit or letter key picks an entry; touch works too."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos.i18n import _
from ui.dialogs import big_button
from ui.qt import QDialog, QGridLayout, QKeyEvent, QLabel, QVBoxLayout, QWidget, qconnect

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MenuEntry:
    key: str  # the key that picks it in the menu
    name: str  # objectName of its button, for tests
    label: Callable[[], str]
    target: str  # "module:function", called with the SaleActions


ENTRIES: tuple[MenuEntry, ...] = (
    MenuEntry("1", "openShift", lambda: _("Open shift"), "ui.shift.actions:open_shift"),
    MenuEntry("2", "cashIn", lambda: _("Cash in"), "ui.shift.actions:cash_in"),
    MenuEntry("3", "cashOut", lambda: _("Cash out"), "ui.shift.actions:cash_out"),
    MenuEntry("4", "xReport", lambda: _("X report"), "ui.shift.actions:x_report"),
    MenuEntry("5", "closeShift", lambda: _("Close shift (Z)"), "ui.shift.actions:close_shift"),
    MenuEntry("6", "returnGoods", lambda: _("Return or exchange"), "ui.returns.actions:start_return"),
    MenuEntry("7", "parkSale", lambda: _("Park sale"), "ui.sale_control.actions:park_sale"),
    MenuEntry("8", "recallSale", lambda: _("Recall parked sale"), "ui.sale_control.actions:recall_sale"),
    MenuEntry("9", "cancelSale", lambda: _("Cancel sale"), "ui.sale_control.actions:cancel_sale"),
    MenuEntry("0", "noSale", lambda: _("Open drawer (no sale)"), "ui.shift.actions:no_sale"),
    MenuEntry("M", "managerScreens", lambda: _("Manager screens"), "ui.manager.actions:open_manager"),
    MenuEntry("L", "lockTill", lambda: _("Lock the till"), "ui.sale_control.actions:lock_now"),
    MenuEntry("P", "changePrice", lambda: _("Change price"), "ui.sale_control.price:change_price"),
    MenuEntry("C", "customer", lambda: _("Customer"), "ui.customers.actions:identify_customer"),
    MenuEntry("K", "promoCode", lambda: _("Promo code"), "ui.promo_codes.actions:enter_code"),
    MenuEntry("G", "giftCard", lambda: _("Gift card"), "ui.gift_cards.actions:sell_gift_card"),
)


RETURN_BY_CODE = MenuEntry("", "returnByCode", lambda: _("Return or exchange"),
                           "ui.returns.actions:start_return_from_code")  # a receipt's code scanned on the sale screen


def run_entry(entry: MenuEntry, actions: SaleActions, *args: object) -> None:
    module_name, _sep, function_name = entry.target.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError):
        log.exception("menu entry %s has no function %s", entry.name, entry.target)
        actions.screen.message.show_error(_("This is not available on this till yet."))
        return
    function(actions, *args)


class StoreMenu(QDialog):
    """The menu; picking an entry closes it and runs the entry once it is closed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storeMenu")
        self.setWindowTitle(_("Store menu"))
        self.setModal(True)
        self.chosen: MenuEntry | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Choose (key or touch); Esc closes."), self))
        grid = QGridLayout()
        self.buttons = {}
        for index, entry in enumerate(ENTRIES):
            button = big_button(f"{entry.key}  {entry.label()}", self)
            button.setObjectName(entry.name)
            button.setMinimumWidth(240)  # the longest entries keep the font of the others
            qconnect(button.clicked, lambda _checked=False, e=entry: self.choose(e))
            grid.addWidget(button, index // 3, index % 3)
            self.buttons[entry.name] = button
        layout.addLayout(grid)

    def choose(self, entry: MenuEntry) -> None:
        self.chosen = entry
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text().upper()
        for entry in ENTRIES:
            if text and text == entry.key:
                self.choose(entry)
                return
        super().keyPressEvent(event)
