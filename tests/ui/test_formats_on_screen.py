"""In the real window, in Ukrainian and Azerbaijani: messages write amounts as the screen does,
the weight hint and the quantity dialog use the decimal comma, the keypad's point key types it,
and what the screen shows is taken back when typed."""

from __future__ import annotations

import pytest

from pos.i18n import set_language
from tests.fakes import APPLES, SHAMPOO
from tests.ui.conftest import build_services
from ui.dialogs import EntryDialog
from ui.keypad import Keypad
from ui.payment_dialog import PaymentDialog
from ui.qt import QPushButton, Qt

NBSP = "\u00a0"


@pytest.fixture
def till_in(open_till, journal, printer):  # noqa: ANN001, ANN201
    """A till window in ``ui_locale`` with cashier 1 signed in; English again afterwards."""

    def open_(ui_locale: str):  # noqa: ANN202
        set_language(ui_locale)
        services = build_services(journal, printer)
        services.ui_locale = ui_locale
        driver = open_till(services)
        driver.sign_in("1", "1234")
        return driver

    yield open_
    set_language("en")


def test_cash_below_the_total_is_named_in_ukrainian_amounts(till_in, journal):
    till = till_in("uk")
    till.scan(SHAMPOO.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog)
    till.enter(dialog.tendered_field, "50")
    till.wait_idle()
    assert dialog.message.text() == "50,00 UAH — менше, ніж 89,90 UAH до сплати."
    assert journal.sales == {}


def test_an_amount_typed_as_the_azerbaijani_screen_writes_it_is_taken(till_in, journal):
    till = till_in("az")
    till.scan(SHAMPOO.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog)
    notes = [button.text() for button in dialog.findChildren(QPushButton)]
    assert "1.000" in notes  # the 1000 UAH note, grouped as the screen groups
    till.enter(dialog.tendered_field, "1.000,00")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.window.sale_screen.totals.change_label.text().endswith("910,10 UAH")
    assert [sale.payments[0].tendered.amount for sale in journal.sales.values()] == [1000]


def test_an_amount_typed_with_english_grouping_is_taken(till_in, journal):
    till = till_in("en")
    till.scan(SHAMPOO.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F12)
    till.enter(dialog.tendered_field, "1,000.00")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.window.sale_screen.totals.change_label.text() == "Change: 910.10 UAH"


def test_the_weight_hint_uses_the_decimal_comma_and_what_it_says_is_taken(till_in):
    till = till_in("uk")
    till.scan(APPLES.code)
    assert till.message.endswith("(0,350*20001).")
    till.scan("0,350*" + APPLES.code)
    assert [str(line.quantity) for line in till.lines] == ["0.350"]


def test_the_quantity_dialog_shows_the_weight_with_a_comma_and_its_point_key_types_a_comma(till_in, qtbot):
    till = till_in("ka")
    till.scan("0,350*" + APPLES.code)
    dialog = till.open_dialog(Qt.Key.Key_F4)
    assert isinstance(dialog, EntryDialog)
    assert dialog.field.text() == "0,350"
    point = [b for b in dialog.findChild(Keypad).findChildren(QPushButton) if b.text() in {".", ","}]
    assert [b.text() for b in point] == [","]
    dialog.field.clear()
    for key in ("1", ",", "2", "5"):
        button = point[0] if key == "," else next(
            b for b in dialog.findChild(Keypad).findChildren(QPushButton) if b.text() == key)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.field.text() == "1,25"
    till.press(dialog.field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert [str(line.quantity) for line in till.lines] == ["1.250"]
    assert till.cells(0)[2] == "1,250 კგ"  # the basket writes it as the dialog did


def test_a_weight_too_large_is_named_with_a_comma_in_azerbaijani(till_in):
    till = till_in("az")
    till.scan("100,001*" + APPLES.code)
    assert till.message.startswith("100,001 ")
    assert till.lines == ()
