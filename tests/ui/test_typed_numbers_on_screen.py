"""In the real window: absurd numbers typed as cash or quantity are refused with a message
quoting what was typed, never "Unexpected error"; the dialog stays open and nothing is recorded."""

from __future__ import annotations

import pytest

from tests.fakes import SHAMPOO
from ui.dialogs import EntryDialog
from ui.payment_dialog import PaymentDialog
from ui.qt import Qt

FORTY_DIGITS = "9" * 40


@pytest.mark.parametrize("typed,expected", [
    ("1e30", "“1e30” is not an amount of cash."),
    (FORTY_DIGITS, "“9999999999999999999…” is too large an amount: at most 999,999,999.99."),
    ("1e-999999", "“1e-999999” is not an amount of cash."),
    ("-5", "“-5” is not an amount of cash."),
])
def test_absurd_cash_in_the_payment_dialog_is_refused_with_what_was_typed(till, journal, typed, expected):
    till.scan(SHAMPOO.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog)
    till.enter(dialog.tendered_field, typed)
    till.wait_idle()
    assert dialog.isVisible() and dialog.message.kind == "error"
    assert dialog.message.text() == expected
    assert journal.sales == {}
    dialog.tendered_field.clear()
    till.enter(dialog.tendered_field, "100")  # the cashier corrects it
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.window.sale_screen.totals.change_label.text() == "Change: 10.10 UAH"


@pytest.mark.parametrize("typed", ["1e30", FORTY_DIGITS, "NaN"])
def test_an_absurd_quantity_in_the_quantity_dialog_is_refused_and_the_line_kept(till, typed):
    till.scan(SHAMPOO.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F4)
    assert isinstance(dialog, EntryDialog)
    dialog.field.clear()
    till.enter(dialog.field, typed)
    till.wait_idle()
    assert dialog.isVisible() and dialog.message.kind == "error"
    assert "is not a quantity the till can sell" in dialog.message.text()
    assert "Unexpected" not in dialog.message.text()
    assert [line.quantity for line in till.lines] == [1]


def test_forty_digits_before_a_star_are_refused_on_the_sale_screen(till):
    till.scan(FORTY_DIGITS + "*" + SHAMPOO.barcode)
    assert till.lines == ()
    assert till.message == "“9999999999999999999…” is not a quantity the till can sell."
    assert till.message_kind == "error"


def test_five_thousand_digits_typed_as_a_receipt_number_just_select_the_field(till, printer):
    till.scan(SHAMPOO.barcode)
    till.enter(till.open_dialog(Qt.Key.Key_F12).tendered_field, "")
    till.wait_until(lambda: len(printer.receipts) == 1)
    dialog = till.open_dialog(Qt.Key.Key_F9)
    dialog.number_field.setText("1" * 5000)  # pasted: int() refuses more than 4300 digits
    till.press(dialog.number_field, Qt.Key.Key_Return)
    till.wait_idle()
    assert dialog.isVisible() and dialog.number_field.selectedText() == "1" * 5000
    assert len(printer.receipts) == 1
