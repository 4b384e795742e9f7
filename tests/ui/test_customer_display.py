"""The customer display follows the sale in the real window: lines, total, change, in the
store's language (the cashier's is English here, the store's Ukrainian); the pole display's
bytes on a pseudo-terminal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from hardware.pole_display import SerialPoleDisplay
from shell.settings_devices import CustomerDisplaySettings, customer_display_for
from tests.fakes import APPLES, CREAM, SHAMPOO
from tests.hardware.pty_devices import ByteRecorder
from ui.customer_display import CustomerDisplayOptions
from ui.qt import Qt

WINDOW = CustomerDisplayOptions(enabled=True, geometry=(40, 30, 800, 480))


def _pay(till, tendered: str = "") -> None:  # noqa: ANN001
    dialog = till.open_dialog(Qt.Key.Key_F12)
    till.enter(dialog.tendered_field, tendered)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()


@pytest.fixture
def facing_till(open_till, services):  # noqa: ANN001, ANN201
    driver = open_till(replace(services, customer_display=WINDOW))
    driver.sign_in("1", "1234")
    return driver


def test_the_customer_window_shows_the_lines_and_total_in_the_stores_language(facing_till):
    till = facing_till
    window = till.window.customer_facing.window
    assert window.isVisible() and window.geometry().getRect() == (40, 30, 800, 480)
    assert window.greeting_label.text() == "Ласкаво просимо!"
    till.scan(SHAMPOO.barcode)
    till.scan(SHAMPOO.barcode)
    till.scan(f"0.350*{APPLES.code}")
    assert window.line_texts == [
        ("Шампунь Herbal 250 мл", "2 × 89,90", "179,80"),
        ("Яблука Голден", "0,350 кг × 32,99", "11,55"),
    ]
    assert window.total_caption.text() == "СУМА"  # the cashier's screen says TOTAL
    assert till.window.sale_screen.totals.findChild(type(window.total_caption), "totalCaption").text() == "TOTAL"
    assert window.total_label.text() == "191,35 UAH"
    assert window.change_label.text() == "" and not window.change_label.isVisible()


def test_a_voided_line_leaves_the_customer_window(facing_till):
    till = facing_till
    till.scan(SHAMPOO.barcode)
    till.scan(CREAM.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F8)
    till.press(dialog, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    window = till.window.customer_facing.window
    assert [name for name, _q, _a in window.line_texts] == ["Шампунь Herbal 250 мл"]
    assert window.total_label.text() == "89,90 UAH"


def test_after_payment_the_customer_sees_what_was_paid_and_the_change_until_the_next_item(facing_till):
    till = facing_till
    till.scan(SHAMPOO.barcode)
    _pay(till, "100")
    window = till.window.customer_facing.window
    assert window.total_label.text() == "89,90 UAH"
    assert window.paid_label.text() == "Сплачено 100,00 UAH"
    assert window.change_label.text() == "Решта 10,10 UAH"
    assert window.greeting_label.text() == "Дякуємо за покупку!"
    assert till.window.sale_screen.totals.change_label.text() == "Change: 10.10 UAH"  # the cashier's, in English
    till.scan(CREAM.barcode)  # the next customer
    assert window.line_texts == [("Крем для рук 75 мл", "1 × 54,50", "54,50")]
    assert window.change_label.text() == ""


def test_the_customer_window_never_takes_the_keyboard(facing_till):
    till = facing_till
    window = till.window.customer_facing.window
    assert window.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    till.scan(SHAMPOO.barcode)  # the scan field still has the keys
    assert len(till.lines) == 1


@pytest.fixture
def pole(tmp_path: Path) -> Iterator[ByteRecorder]:
    device = ByteRecorder(tmp_path / "ttyPole")
    yield device
    device.close()


def test_the_pole_display_follows_the_sale_transliterated(open_till, services, pole):
    options = CustomerDisplayOptions(pole=SerialPoleDisplay(str(pole.path)))
    till = open_till(replace(services, customer_display=options))
    till.sign_in("1", "1234")
    assert till.window.customer_facing.window is None  # a pole display only
    welcome = b"\x1b@\x1bQA" + b"Kassa Demo".ljust(20) + b"\r\x1bQB" + b"Laskavo prosymo!".ljust(20) + b"\r"
    till.wait_until(lambda: pole.taken().startswith(welcome))
    till.scan(SHAMPOO.barcode)
    item = b"\x1bQAShampun Herbal 89,90\r\x1bQBSUMA       89,90 UAH\r"  # the last item; the total
    till.wait_until(lambda: pole.taken().endswith(item))
    _pay(till, "100")
    paid = b"\x1bQASUMA       89,90 UAH\r\x1bQBReshta     10,10 UAH\r"  # the total; the change
    till.wait_until(lambda: pole.taken().endswith(paid))
    assert all(0x20 <= byte < 0x7F or byte in b"\x1b\r" for byte in pole.taken())


def test_the_settings_make_the_options_and_nothing_when_both_are_off(tmp_path):
    assert customer_display_for(CustomerDisplaySettings()) is None
    options = customer_display_for(CustomerDisplaySettings(enabled=True, screen=2, geometry="1920,0,1024x768"))
    assert options == CustomerDisplayOptions(enabled=True, screen=2, geometry=(1920, 0, 1024, 768))
    with_pole = customer_display_for(CustomerDisplaySettings(pole_port=str(tmp_path / "ttyPole")))
    assert with_pole is not None and not with_pole.enabled and with_pole.pole is not None


@pytest.mark.parametrize(
    ("locale", "total", "change", "welcome"),
    [
        ("uk_UA", "СУМА", "Решта 10,10 UAH", "Ласкаво просимо!"),
        ("az_AZ", "CƏMİ", "Qaytarılan 10,10 UAH", "Xoş gəlmisiniz!"),
        ("ka_GE", "სულ", "ხურდა 10,10 UAH", "კეთილი იყოს თქვენი მობრძანება!"),
        ("en_GB", "TOTAL", "Change 10.10 UAH", "Welcome!"),
    ],
)
def test_each_stores_language_is_spoken_to_the_customer(open_till, services, locale, total, change, welcome):
    store = replace(services.store, locale=locale)
    till = open_till(replace(services, store=store, customer_display=WINDOW))
    window = till.window.customer_facing.window
    assert window.greeting_label.text() == welcome
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    assert window.total_caption.text() == total
    _pay(till, "100")
    assert window.change_label.text() == change
