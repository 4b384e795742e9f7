"""The status bar, printing, and what a printer problem does (nothing to selling)."""

from __future__ import annotations

from tests.fakes import SHAMPOO
from ui.qt import QPushButton, Qt


def _pay_exact(till) -> None:  # noqa: ANN001
    dialog = till.open_dialog(Qt.Key.Key_F12)
    till.press(dialog.tendered_field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()


def test_the_status_bar_shows_offline_and_the_number_waiting_to_send(till):
    status = till.window.status
    assert status.link_label.text() == "Offline"
    assert status.waiting_label.text() == "Waiting to send: 0"
    assert status.printer_label.text() == "Printer ready"
    assert status.cashier_label.text() == "Cashier: Olena"
    assert status.receipt_label.text() == "Next receipt: 1"
    assert status.store_label.text() == "Store S001 / Till T01"
    till.scan("1001")
    _pay_exact(till)
    till.wait_until(lambda: status.waiting_label.text() == "Waiting to send: 1")
    assert status.receipt_label.text() == "Next receipt: 2"


def test_a_printer_problem_does_not_block_the_next_sale(till, printer, journal):
    printer.problem = "out of paper"
    till.scan("1001")
    _pay_exact(till)
    status = till.window.status
    till.wait_until(lambda: status.printer_label.text() == "Printer problem: out of paper — retrying")
    till.scan(SHAMPOO.barcode)  # selling goes on
    till.scan("1002")
    _pay_exact(till)
    assert till.message == "Receipt 2 saved"
    assert printer.receipts == []
    printer.problem = None  # paper loaded: the retry timer prints both, in order
    till.wait_until(lambda: len(printer.receipts) == 2)
    till.wait_until(lambda: status.printer_label.text() == "Printer ready")
    assert [r.receipt_number for r in printer.receipts] == [1, 2]


def test_f9_lists_recent_sales_and_reprints_the_chosen_one_as_a_copy(till, printer):
    for code in ("1001", "1002"):
        till.scan(code)
        _pay_exact(till)
    till.wait_until(lambda: len(printer.receipts) == 2)
    dialog = till.open_dialog(Qt.Key.Key_F9)
    assert [row[0] for row in dialog.model.cells] == ["2", "1"]
    till.press(dialog, Qt.Key.Key_Down)
    till.press(dialog, Qt.Key.Key_Return)
    till.wait_until(lambda: len(printer.receipts) == 3)
    assert printer.receipts[-1].receipt_number == 1 and printer.receipts[-1].is_copy
    assert till.message == "Printing a copy of receipt 1."


def test_any_past_receipt_can_be_reprinted_by_its_number(till, printer):
    till.scan("1001")
    _pay_exact(till)
    till.wait_until(lambda: len(printer.receipts) == 1)
    dialog = till.open_dialog(Qt.Key.Key_F9)
    till.enter(dialog.number_field, "1")
    till.wait_until(lambda: len(printer.receipts) == 2)
    assert printer.receipts[-1].receipt_number == 1 and printer.receipts[-1].is_copy
    dialog = till.open_dialog(Qt.Key.Key_F9)
    till.enter(dialog.number_field, "99")
    till.wait_until(lambda: dialog.message.text() == "There is no receipt 99 in this till's journal.")
    assert till.window.sale_actions.dialog is dialog  # left open to correct the number
    assert len(printer.receipts) == 2


def test_every_function_key_has_a_large_button_showing_its_key(till):
    buttons = till.window.sale_screen.buttons
    assert [b.text().split("\n")[0] for b in buttons.values()] == ["F2", "F4", "F8", "F9", "F10", "F12", "Ctrl+L"]
    for button in till.window.findChildren(QPushButton):
        if button.isVisible():
            assert button.height() >= 56, button.text()
