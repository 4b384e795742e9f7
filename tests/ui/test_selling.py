"""Building a sale: scanning, searching, quantities, voids."""

from __future__ import annotations

from tests.fakes import APPLES, CREAM, SHAMPOO
from ui.qt import QColor, QLabel, Qt


def test_a_cashier_signs_in_scans_two_items_and_sees_the_total(till):
    assert till.window.on_sale_screen()
    till.scan(SHAMPOO.barcode)
    till.scan(CREAM.barcode)
    assert [line.product for line in till.lines] == [SHAMPOO, CREAM]
    assert till.cells(0) == ("1", SHAMPOO.name, "1", "89.90", "89.90", "A")
    assert till.total_text == "144.40"
    assert till.window.sale_screen.totals.count_label.text() == "Items: 2"
    assert till.window.sale_screen.totals.vat_text == "A 20%  144.40  24.07"
    assert till.selected_row() == 1
    assert till.scan_field.text() == ""


def test_a_repeated_scan_raises_the_quantity_and_selects_the_line(till):
    till.scan(SHAMPOO.barcode)
    till.scan(SHAMPOO.barcode)
    assert len(till.lines) == 1
    assert till.cells(0)[2:5] == ("2", "89.90", "179.80")
    assert till.selected_row() == 0


def test_quantity_star_code_adds_that_many(till):
    till.scan("3*1002")
    assert till.cells(0)[2] == "3"
    assert till.total_text == "163.50"


def test_an_unknown_barcode_shows_a_clear_message_and_the_basket_is_unchanged(till):
    till.scan(SHAMPOO.barcode)
    till.scan("4006381333931")
    assert till.message == "No product has barcode 4006381333931."
    assert till.message_kind == "error"
    assert [line.product for line in till.lines] == [SHAMPOO]
    assert till.total_text == "89.90"


def test_a_malformed_barcode_is_explained(till):
    till.scan("1234567890")
    assert till.message == "“1234567890” is not a barcode: it must be 8, 12, 13 or 14 digits."
    assert till.lines == ()


def test_a_wrong_check_digit_is_explained_and_the_next_good_scan_clears_it(till):
    till.scan(SHAMPOO.barcode[:-1] + str((int(SHAMPOO.barcode[-1]) + 1) % 10))
    assert "wrong check digit" in till.message
    till.scan(SHAMPOO.barcode)
    assert till.message == ""


def test_a_weighed_product_needs_its_weight(till):
    till.scan(APPLES.code)
    assert "sold by weight" in till.message
    till.scan("0,350*" + APPLES.code)
    assert till.cells(0)[2:5] == ("0.350 kg", "32.99", "11.55")


def test_escape_clears_the_scan_field(till):
    till.type_into(till.scan_field, "12")
    till.key(Qt.Key.Key_Escape)
    assert till.scan_field.text() == ""


def test_up_and_down_move_the_selected_line(till):
    for code in ("1001", "1002", "1003"):
        till.scan(code)
    assert till.selected_row() == 2
    till.key(Qt.Key.Key_Up)
    till.key(Qt.Key.Key_Up)
    assert till.selected_row() == 0
    till.key(Qt.Key.Key_Up)
    assert till.selected_row() == 0
    till.key(Qt.Key.Key_Down)
    assert till.selected_row() == 1


def test_changing_the_quantity_updates_the_line_and_total(till):
    till.scan("1001")
    till.scan("1002")
    till.key(Qt.Key.Key_Up)
    dialog = till.open_dialog(Qt.Key.Key_F4)
    assert dialog.field.text() == "1"
    till.enter(dialog.field, "3")  # the old quantity was selected, so typing replaces it
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.cells(0)[2:5] == ("3", "89.90", "269.70")
    assert till.total_text == "324.20"
    assert till.selected_row() == 0


def test_a_bad_quantity_is_explained_in_the_dialog_which_stays_open(till):
    till.scan("1001")
    dialog = till.open_dialog(Qt.Key.Key_F4)
    till.enter(dialog.field, "1.5")
    till.wait_idle()
    assert dialog.isVisible()
    assert dialog.message.text() == f"{SHAMPOO.name} is sold by the piece: the quantity must be a whole number."
    till.press(dialog.field, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    assert till.cells(0)[2] == "1"


def test_voiding_a_line_strikes_it_out_and_drops_it_from_the_total(till):
    till.scan("1001")
    till.scan("1002")
    dialog = till.open_dialog(Qt.Key.Key_F8)
    assert dialog.findChild(QLabel, "question").text() == f"Void line 2: {CREAM.name}?"
    till.press(dialog, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.lines[1].voided
    assert till.total_text == "89.90"
    model = till.window.sale_screen.model
    index = model.index(1, 1)
    assert model.data(index, Qt.ItemDataRole.FontRole).strikeOut()
    assert model.data(index, Qt.ItemDataRole.ForegroundRole).color() == QColor("#9a9a9a")
    assert till.window.sale_screen.totals.count_label.text() == "Items: 1"


def test_escape_in_the_void_question_keeps_the_line(till):
    till.scan("1001")
    dialog = till.open_dialog(Qt.Key.Key_F8)
    till.press(dialog, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert not till.lines[0].voided


def test_typing_a_name_opens_the_search_and_enter_adds_the_product(till):
    till.enter(till.scan_field, "herbal")
    till.wait_until(lambda: till.window.sale_actions.dialog is not None)
    dialog = till.window.sale_actions.dialog
    till.wait_idle()
    assert dialog.field.text() == "herbal"
    assert dialog.model.cells == [(SHAMPOO.name, "Brand", "1001", "89.90")]
    till.press(dialog.field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert [line.product for line in till.lines] == [SHAMPOO]
    assert till.selected_row() == 0


def test_the_search_waits_for_a_pause_in_typing_and_up_down_choose(till):
    dialog = till.open_dialog(Qt.Key.Key_F2)
    till.type_into(dialog.field, "0")  # "...250 мл" and "Вітаміни C 500" have a 0 in their names
    till.wait_until(lambda: not dialog.is_searching() and dialog.model.rowCount() == 2)
    till.press(dialog.field, Qt.Key.Key_Down)
    till.press(dialog.field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert [line.product.code for line in till.lines] == ["1003"]


def test_a_weighed_product_found_by_search_asks_for_the_weight(till):
    dialog = till.open_dialog(Qt.Key.Key_F2)
    till.enter(dialog.field, APPLES.code)  # Enter before the results: added when they arrive
    till.wait_until(lambda: dialog.weight_dialog is not None)
    till.enter(dialog.weight_dialog.field, "1.25")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.cells(0)[1:5] == (APPLES.name, "1.250 kg", "32.99", "41.24")


def test_escape_closes_the_search(till):
    dialog = till.open_dialog(Qt.Key.Key_F2)
    till.press(dialog.field, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    assert till.lines == ()
