"""F10, G on the real window over a real till file: a plastic card scanned into the sell dialog
and its amount become a gift card line (no VAT, quantity 1); an electronic card is sold for the
customer's phone; the dialog's title is on screen in the till's language; every refusal is said in the dialog, which stays open with the keys back in
the field at fault."""

from __future__ import annotations

from decimal import Decimal

from pos.gift_cards.records import GIFT_CARD_CODE
from pos.i18n import set_language
from tests.ui.gift_cards.screens import PLASTIC, sell_dialog
from tests.ui.sale_control.shop import FIRST, open_shop
from ui.qt import QLabel, Qt


def test_a_plastic_card_scanned_with_its_amount_becomes_a_gift_card_line_and_a_wrong_number_keeps_the_dialog_open(
        qtbot, shop, clock):  # noqa: ANN001
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    dialog = sell_dialog(till)
    till.wait_until(dialog.card_field.hasFocus)
    assert dialog.phone_field.isHidden()

    till.enter(dialog.card_field, "9900 0000 0000 0011")  # the check digit is wrong
    assert dialog.amount_field.hasFocus()  # Enter after the number goes on to the amount
    till.enter(dialog.amount_field, "500")
    till.wait_until(lambda: not dialog.busy and dialog.message.text() != "")
    assert till.window.sale_actions.dialog is dialog and dialog.isVisible()
    assert dialog.message.kind == "error" and dialog.card_field.hasFocus()
    assert len(till.lines) == 1

    till.type_into(dialog.card_field, PLASTIC)  # the wrong number was selected: the scan replaces it
    till.enter(dialog.amount_field, "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    line = till.lines[-1]
    assert (line.product.code, line.quantity, line.total.amount) == (GIFT_CARD_CODE, 1, Decimal("500.00"))
    assert line.product.vat.percent == 0
    assert till.window.sale_screen.model.view.gift_cards[0].card_number == PLASTIC.replace(" ", "")
    assert "Gift card added" in till.message


def test_an_electronic_card_is_sold_for_the_customers_phone_and_an_amount_out_of_bounds_is_refused(
        qtbot, shop, clock):  # noqa: ANN001
    till = open_shop(qtbot, shop, clock)
    dialog = sell_dialog(till)
    till.wait_until(dialog.card_field.hasFocus)
    till.press(dialog.card_field, Qt.Key.Key_F3)  # an electronic card
    till.wait_until(dialog.phone_field.hasFocus)
    assert dialog.card_field.isHidden() and dialog.electronic_button.isChecked()

    till.enter(dialog.phone_field, "050 123 45 67")
    till.enter(dialog.amount_field, "20000")
    till.wait_until(lambda: not dialog.busy and dialog.message.text() != "")
    assert "10,000" in dialog.message.text() or "10 000" in dialog.message.text()
    assert dialog.amount_field.hasFocus() and not till.lines

    till.type_into(dialog.amount_field, "750")
    till.press(dialog.amount_field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    [sold] = till.window.sale_screen.model.view.gift_cards
    assert sold.phone == "+380501234567" and sold.card_number.startswith("9900") and len(sold.card_number) == 16
    assert till.lines[0].total.amount == Decimal("750.00")
    assert "SMS" in till.message


def test_the_sell_dialog_says_what_it_is_for_on_screen_in_the_till_language(qtbot, shop, clock):  # noqa: ANN001
    till = open_shop(qtbot, shop, clock)
    set_language("uk")  # after the services: they set the settings' language
    try:
        dialog = sell_dialog(till)
        heading = dialog.findChild(QLabel, "sectionTitle")
        assert dialog.windowTitle() == "Продати подарункову картку"
        assert heading is not None and heading.text() == dialog.windowTitle() and heading.isVisible()
    finally:
        set_language("en")
