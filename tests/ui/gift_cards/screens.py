"""Opening the gift card screens on the real window as a cashier does (F10, G; F12 then F8)."""

from __future__ import annotations

from tests.ui.driver import TillDriver
from ui.gift_cards.sell_dialog import SellGiftCardDialog
from ui.payment.gift_card_panel import GiftCardPanel
from ui.payment_dialog import PaymentDialog
from ui.qt import Qt

PLASTIC = "9900 0000 0000 0010"  # a chain's number: 9900, Luhn check digit


def sell_dialog(till: TillDriver) -> SellGiftCardDialog:
    menu = till.open_dialog(Qt.Key.Key_F10)
    till.press(menu, Qt.Key.Key_G)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, SellGiftCardDialog))
    dialog = till.window.sale_actions.dialog
    assert isinstance(dialog, SellGiftCardDialog)
    return dialog


def paying(till: TillDriver) -> PaymentDialog:
    dialog = till.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog)
    till.wait_until(lambda: dialog.shown is not None and not dialog.busy)
    return dialog


def gift_card_page(till: TillDriver, dialog: PaymentDialog) -> GiftCardPanel:
    till.press(dialog.tendered_field, Qt.Key.Key_F8)
    panel = dialog.gift_card_panel
    assert panel is not None
    till.wait_until(lambda: dialog.pages.currentWidget() is panel)
    return panel
