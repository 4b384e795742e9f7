"""A touch-only cashier pays any tender: the keypad types the cash received, each note button
adds its note, Clear starts again, and an amount the shop's coins cannot make is refused in
the dialog, which stays open."""

from __future__ import annotations

from tests.fakes import MemoryJournal
from tests.ui.conftest import build_services
from ui.payment_dialog import PaymentDialog
from ui.qt import QPushButton, Qt


def _pay_dialog(till) -> PaymentDialog:  # noqa: ANN001
    dialog = till.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog)
    return dialog


def _touch(qtbot, dialog: PaymentDialog, *labels: str) -> None:  # noqa: ANN001
    """Press buttons by what they show: the keypad's keys first, then the dialog's own."""
    for label in labels:
        keys = {b.text(): b for b in dialog.keypad.findChildren(QPushButton)}
        others = {b.text(): b for b in dialog.findChildren(QPushButton) if b.parent() is dialog}
        button = keys.get(label) or others[label]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _paid(till) -> str:  # noqa: ANN001
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    return till.window.sale_screen.totals.change_label.text()


def test_a_sale_above_a_thousand_is_paid_by_touch_alone_with_notes_that_add_up(till, qtbot, journal):
    till.scan("20*1001")  # 1,798.00
    dialog = _pay_dialog(till)
    _touch(qtbot, dialog, "1,000", "500", "200", "50", "50")
    assert dialog.tendered_field.text() == "1,800.00"
    _touch(qtbot, dialog, "Enter  Pay")
    assert _paid(till) == "Change: 2.00 UAH"
    assert [sale.payments[0].tendered.amount for sale in journal.sales.values()] == [1800]


def test_clear_starts_the_cash_received_again_and_the_keypad_types_it(till, qtbot, journal):
    till.scan("1001")  # 89.90
    dialog = _pay_dialog(till)
    _touch(qtbot, dialog, "500", "500")
    assert dialog.tendered_field.text() == "1,000.00"
    _touch(qtbot, dialog, "Clear")
    assert dialog.tendered_field.text() == ""
    _touch(qtbot, dialog, "9", "5", ".", "5")
    assert dialog.tendered_field.text() == "95.5"
    _touch(qtbot, dialog, "100")  # a note after typed coins adds to them
    assert dialog.tendered_field.text() == "195.50"
    _touch(qtbot, dialog, "Enter  Pay")
    assert _paid(till) == "Change: 105.60 UAH"


def test_cash_the_shop_cannot_hand_over_is_refused_and_the_dialog_stays_open(open_till, printer, qtbot):
    journal = MemoryJournal()
    till = open_till(build_services(journal, printer, rounding="0.10"))
    till.sign_in("1", "1234")
    till.scan("1001")  # 89.90
    dialog = _pay_dialog(till)
    _touch(qtbot, dialog, "8", "9", ".", "9", "5", "Enter  Pay")
    till.wait_idle()
    assert dialog.isVisible() and dialog.message.kind == "error"
    assert dialog.message.text() == "89.95 UAH cannot be handed over in cash here: the smallest coin is 0.10 UAH."
    assert journal.sales == {}
    _touch(qtbot, dialog, "Clear", "50", "20", "20", "Enter  Pay")  # 90.00: change 0.10, a coin the shop has
    assert _paid(till) == "Change: 0.10 UAH"
    assert len(journal.sales) == 1


def test_a_note_on_an_unreadable_amount_names_it_and_changes_nothing(till, qtbot, journal):
    till.scan("1001")
    dialog = _pay_dialog(till)
    till.enter(dialog.tendered_field, "")  # nothing typed yet: the field is the exact amount
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.scan("1001")
    dialog = _pay_dialog(till)
    dialog.tendered_field.setText("12a")
    _touch(qtbot, dialog, "100")
    assert dialog.message.kind == "error" and "12a" in dialog.message.text()
    assert dialog.tendered_field.text() == "12a" and dialog.isVisible()
    assert len(journal.sales) == 1
