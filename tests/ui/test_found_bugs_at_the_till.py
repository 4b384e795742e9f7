"""Bugs a new user found in the till (issue 9), in the real window: Ctrl+L with a sale open,
F4 on a weighed line, a negative or spaced ``quantity*code``, and F9 with a mistyped number."""

from __future__ import annotations

from decimal import Decimal

from tests.fakes import APPLES, SHAMPOO
from ui.qt import Qt
from ui.search_dialog import SearchDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def _pay_exact(till) -> None:  # noqa: ANN001
    till.enter(till.open_dialog(Qt.Key.Key_F12).tendered_field, "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()


def test_ctrl_l_with_a_sale_open_is_refused_and_the_cashier_stays_with_their_sale(till):
    till.scan(SHAMPOO.barcode)
    till.key(Qt.Key.Key_L, CTRL)
    assert till.window.on_sale_screen()
    assert till.message == "Olena has a sale open: finish, park or cancel it before another cashier signs in."
    assert till.message_kind == "error"
    assert till.window.status.cashier_label.text() == "Cashier: Olena"
    assert [line.product.code for line in till.lines] == [SHAMPOO.code]


def test_ctrl_l_after_the_sale_is_paid_signs_out(till, printer):
    till.scan(SHAMPOO.barcode)
    _pay_exact(till)
    till.key(Qt.Key.Key_L, CTRL)
    assert till.window.stack.currentWidget() is till.window.sign_in_screen
    assert till.window.status.cashier_label.text() == "Nobody signed in"


def test_f4_on_a_weighed_line_with_99999_says_it_in_kilograms_and_stays_open(till):
    till.scan(f"0.350*{APPLES.code}")
    dialog = till.open_dialog(Qt.Key.Key_F4)
    dialog.field.selectAll()
    till.enter(dialog.field, "99999")
    till.wait_idle()
    assert dialog.isVisible()
    assert dialog.message.text() == "99,999 kg is too much for one line: at most 100 kg at once."  # in the locale
    assert till.lines[0].quantity == Decimal("0.350")


def test_a_negative_quantity_before_a_barcode_is_said_and_no_search_opens(till):
    till.scan(f"-1*{SHAMPOO.barcode}")
    assert not isinstance(till.window.sale_actions.dialog, SearchDialog)
    assert till.window.sale_actions.dialog is None
    assert till.message.startswith(f"“-1*{SHAMPOO.barcode}” is a negative quantity")
    assert till.message_kind == "error"
    assert till.lines == ()


def test_three_spaced_star_barcode_sells_three_without_a_search(till):
    till.scan(f"3 * {SHAMPOO.barcode}")
    assert till.window.sale_actions.dialog is None
    assert [(line.product.code, line.quantity) for line in till.lines] == [(SHAMPOO.code, 3)]


def test_f9_with_a_mistyped_receipt_number_stays_open_to_correct_it_then_prints(till, printer):
    till.scan(SHAMPOO.barcode)
    _pay_exact(till)
    till.wait_until(lambda: len(printer.receipts) == 1)
    dialog = till.open_dialog(Qt.Key.Key_F9)

    till.enter(dialog.number_field, "1a")  # not a number at all
    till.wait_idle()
    assert till.window.sale_actions.dialog is dialog and dialog.isVisible()
    assert dialog.message.text() == "“1a” is not a receipt number: type the number printed on the receipt."
    assert dialog.number_field.selectedText() == "1a"

    till.enter(dialog.number_field, "99")  # typing replaces the selected text
    till.wait_until(lambda: dialog.message.text() == "There is no receipt 99 in this till's journal.")
    assert till.window.sale_actions.dialog is dialog and dialog.isVisible()
    assert dialog.number_field.selectedText() == "99"
    assert len(printer.receipts) == 1

    till.enter(dialog.number_field, "1")
    till.wait_until(lambda: len(printer.receipts) == 2)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    assert printer.receipts[-1].receipt_number == 1 and printer.receipts[-1].is_copy
    assert till.message == "Printing a copy of receipt 1."
