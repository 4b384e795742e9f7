"""Taking cash and starting the next sale."""

from __future__ import annotations

from tests.fakes import CREAM, SHAMPOO, MemoryJournal
from tests.ui.conftest import build_services
from ui.payment_dialog import PaymentDialog
from ui.qt import QPushButton, Qt


def _pay_dialog(till) -> PaymentDialog:  # noqa: ANN001
    dialog = till.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog)
    return dialog


def test_paying_cash_shows_the_change_and_starts_the_next_sale(till, journal, printer):
    till.scan(SHAMPOO.barcode)
    till.scan(CREAM.barcode)
    dialog = _pay_dialog(till)
    assert dialog.due_label.text() == "144.40 UAH"
    till.enter(dialog.tendered_field, "200")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    totals = till.window.sale_screen.totals
    assert totals.change_label.text() == "Change: 55.60 UAH"
    assert till.message == "Receipt 1 saved"
    assert till.lines == ()
    assert till.total_text == "0.00"
    assert journal.sales and next(iter(journal.sales.values())).receipt_number == 1
    till.wait_until(lambda: len(printer.receipts) == 1)
    assert till.window.status.receipt_label.text() == "Next receipt: 2"
    till.scan("1003")  # the next sale
    assert totals.change_label.text() == ""
    assert till.message == ""


def test_an_empty_tendered_field_pays_the_exact_amount(till):
    till.scan("1001")
    dialog = _pay_dialog(till)
    till.press(dialog.tendered_field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.window.sale_screen.totals.change_label.text() == "Change: 0.00 UAH"


def test_a_note_button_adds_the_note_to_the_cash_received_and_enter_pays(till, qtbot):
    till.scan("3*1001")  # 269.70
    dialog = _pay_dialog(till)
    notes = {b.text(): b for b in dialog.findChildren(QPushButton)}
    qtbot.mouseClick(notes["500"], Qt.MouseButton.LeftButton)
    assert dialog.tendered_field.text() == "500.00" and dialog.isVisible()  # the customer may hand more
    till.press(dialog.tendered_field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.window.sale_screen.totals.change_label.text() == "Change: 230.30 UAH"


def test_cash_below_the_total_is_refused_in_the_payment_dialog(till, journal):
    till.scan("1001")
    dialog = _pay_dialog(till)
    till.enter(dialog.tendered_field, "50")
    till.wait_idle()
    assert dialog.isVisible()
    assert dialog.message.text() == "50.00 UAH is less than the 89.90 UAH to pay."
    assert dialog.message.kind == "error"
    assert journal.sales == {}
    till.press(dialog.tendered_field, Qt.Key.Key_A)
    till.press(dialog.tendered_field, Qt.Key.Key_Return)
    till.wait_idle()
    assert dialog.message.text() == "“a” is not an amount of cash."


def test_escape_cancels_the_payment_and_scanning_goes_on(till, journal):
    till.scan("1001")
    dialog = _pay_dialog(till)
    till.press(dialog.tendered_field, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    till.scan("1002")
    assert [line.product for line in till.lines] == [SHAMPOO, CREAM]
    assert journal.sales == {}


def test_paying_an_empty_sale_is_explained(till):
    till.key(Qt.Key.Key_F12)
    assert till.window.sale_actions.dialog is None
    assert till.message == "The sale has no items yet."


def test_the_cash_rounding_is_shown_when_cash_is_rounded(open_till, printer):
    till = open_till(build_services(MemoryJournal(), printer, rounding="0.10"))
    till.sign_in("1", "1234")
    for code in ("1002", "1001", "1001", "1003"):  # 54.50 + 2 x 89.90 + 120.00
        till.scan(code)
    assert till.total_text == "354.30"
    assert till.window.sale_screen.totals.due_label.text() == ""  # nothing to round
    till.scan("0.123*20001")  # 0.123 kg of apples: 4.06, total 358.36, cash due 358.40
    assert till.window.sale_screen.totals.due_label.text() == "Cash due: 358.40 UAH"
    dialog = _pay_dialog(till)
    assert dialog.due_label.text() == "358.40 UAH"
    assert dialog.rounding_label.text() == "Total 358.36, cash rounding 0.04"
