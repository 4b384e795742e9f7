"""Signing in and out of the till."""

from __future__ import annotations

from ui.qt import QPushButton, Qt


def test_the_till_opens_on_the_sign_in_screen(open_till, services):
    till = open_till(services)
    assert till.window.stack.currentWidget() is till.window.sign_in_screen
    assert till.window.status.cashier_label.text() == "Nobody signed in"


def test_a_wrong_pin_shows_a_message_and_keeps_the_sign_in_screen(open_till, services):
    till = open_till(services)
    screen = till.window.sign_in_screen
    till.sign_in("1", "9999")
    assert till.window.stack.currentWidget() is screen
    assert screen.message.text() == "Wrong cashier number or PIN."
    assert screen.message.kind == "error"
    assert screen.pin_field.text() == ""
    assert screen.cashier_field.text() == "1"


def test_a_cashier_can_sign_in_with_the_keypad(open_till, services, qtbot):
    till = open_till(services)
    screen = till.window.sign_in_screen

    keys = {b.text(): b for b in screen.keypad.findChildren(QPushButton)}
    qtbot.mouseClick(keys["1"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(keys["Enter"], Qt.MouseButton.LeftButton)  # to the PIN field
    for digit in "1234":
        qtbot.mouseClick(keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(keys["Enter"], Qt.MouseButton.LeftButton)
    till.wait_idle()
    assert till.window.on_sale_screen()
    assert till.window.status.cashier_label.text() == "Cashier: Olena"


def test_ctrl_l_with_an_empty_basket_signs_out(till):  # with a sale open: tests/ui/test_found_bugs_at_the_till.py
    till.key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert till.window.stack.currentWidget() is till.window.sign_in_screen
    assert till.window.status.cashier_label.text() == "Nobody signed in"
