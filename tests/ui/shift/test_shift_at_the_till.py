"""A shift through the real window on a real SQLite till (shell.wiring.build_services), with a
receipt printer on a loopback port: the float counted by a cashier and approved by a manager,
a cash sale, cash out with approval, the X report, the blind close with a variance, the Z
report recorded, printed and waiting for the hub; and the refusals (bad counts, a sale open)."""

from __future__ import annotations

from pathlib import Path

from hardware.loopback_printer import LoopbackPrinter
from local_db.database import open_database
from local_db.store_day_journal import SqlStoreDay
from pos.store_day.drawer import default_denominations
from shell.wiring import build_services
from tests.shift_setup import open_shift_in
from tests.ui.driver import WAIT_MS
from tests.ui.shift.shift_till import (
    IRYNA, ITEM, OLENA, approve, count, dialog_named, hand_over, make_shop, menu_entry, no_dialog, settings_for,
    text_of,
)
from ui.qt import Qt
from ui.shift.cash_dialog import CashDialog
from ui.shift.close_result import CloseResultDialog
from ui.shift.count_dialog import CountDialog
from ui.shift.report_view import ReportDialog


def shifts(path: Path) -> SqlStoreDay:
    return SqlStoreDay(open_database(path), "T07")


def test_a_whole_shift_float_sale_cash_out_x_report_and_a_blind_close_short_by_two(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    with LoopbackPrinter() as printer:
        till = open_till(build_services(settings_for(path, printer.setting)))
        till.sign_in(*OLENA)
        opening = dialog_named(till, "openShiftDialog")  # no shift open: the float is asked for at sign-in
        assert isinstance(opening, CountDialog)
        count(till, opening, {"100": "3", "50": "2", "0.50": "4"})
        assert opening.total_label.text() == "Counted: 402.00 UAH"
        hand_over(till, opening)
        approve(till)  # Olena is a cashier: the manager approves the float
        no_dialog(till)
        assert till.message == "Shift opened with a float of 402.00 UAH."
        qtbot.waitUntil(lambda: b"\x1bp\x00" in printer.received(), timeout=WAIT_MS)  # the drawer opens for the float

        till.scan(ITEM.barcode)
        pay = till.open_dialog(Qt.Key.Key_F12)
        till.enter(pay.tendered_field, "")
        no_dialog(till)
        sale = till.window.services.journal.recent_sales(1)[0]
        cash_taken = sale.payments[0].amount

        menu_entry(till, "cashOut")
        taking = dialog_named(till, "cashDialog")
        assert isinstance(taking, CashDialog)
        till.enter(taking.amount_field, "100")
        assert "Choose a reason" in taking.message.text()  # no reason yet: the dialog stays open
        till.press(taking.amount_field, Qt.Key.Key_F1)  # Taken to the safe
        till.press(taking.amount_field, Qt.Key.Key_Return)
        approve(till)  # only a manager takes cash out
        no_dialog(till)
        assert till.message == "Cash out of 100.00 UAH recorded (number 1)."

        till.window.sign_out()  # the manager takes over for the reports
        till.wait_idle()
        till.sign_in(*IRYNA)
        menu_entry(till, "xReport")
        x = dialog_named(till, "reportDialog")
        assert isinstance(x, ReportDialog)
        assert (x.report.sales_count, x.report.cash_out.amount) == (1, 100)
        qtbot.waitUntil(lambda: x.message.text() == "The report is printed.", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: b"X REPORT" in printer.received(), timeout=WAIT_MS)  # the printer reads on its own thread
        till.press(x.table, Qt.Key.Key_Return)
        no_dialog(till)

        menu_entry(till, "closeShift")
        counting = dialog_named(till, "closeCountDialog")
        assert isinstance(counting, CountDialog)
        expected = x.report.expected_cash
        shown = text_of(counting)
        assert "402" not in shown and f"{expected.amount:.2f}" not in shown  # blind: nothing expected on screen
        counted = expected.amount - 2
        count(till, counting, {"100": str(int(counted // 100)), "0.10": str(int(counted % 100 * 10))})
        hand_over(till, counting)
        result = dialog_named(till, "closeResultDialog")
        assert isinstance(result, CloseResultDialog)
        assert result.variance_label.text() == "Short by 2.00 UAH"
        assert "#b42318" in result.variance_label.styleSheet()  # red
        assert result.closed_shift.expected == expected and result.report.z_number == 1
        qtbot.waitUntil(lambda: "still to reach head office" in result.unsent_label.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: b"Z REPORT No. 1" in printer.received(), timeout=WAIT_MS)
        till.press(result.unsent_label, Qt.Key.Key_Return)
        no_dialog(till)

    z = shifts(path).z_report(result.report.shift_id)
    assert z is not None and z.z_number == 1 and z.sales_count == 1 and z.cash_out.amount == 100
    assert z.expected_cash == result.closed_shift.expected
    assert shifts(path).current_shift(default_denominations("UAH")) is None
    assert cash_taken.amount > 0
    till.scan(ITEM.barcode)  # no shift: no sale
    assert till.message_kind == "error" and "No shift is open" in till.message


def test_a_count_with_letters_or_a_negative_is_refused_naming_the_note_and_nothing_is_opened(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    till = open_till(build_services(settings_for(path)))
    till.sign_in(*IRYNA)
    dialog = dialog_named(till, "openShiftDialog")
    assert isinstance(dialog, CountDialog)
    count(till, dialog, {"200": "1", "100": "3a"})
    assert dialog.message.text() == "“3a” is not a number of 100.00 UAH pieces: type whole pieces, 0 to 99999."
    assert dialog.total_label.text() == "Counted so far: —"
    hand_over(till, dialog)
    assert till.window.sale_actions.dialog is dialog and dialog.isVisible()  # stays open to correct it
    count(till, dialog, {"100": "-2"})
    assert dialog.message.text() == "A count cannot be below zero (“-2” for 100.00 UAH)."
    first, second = dialog.rows[0].field, dialog.rows[1].field  # 1,000 and 500
    till.press(first, Qt.Key.Key_Down)  # Up and Down go from row to row, as Enter goes down
    assert dialog.keypad.target is second
    till.press(second, Qt.Key.Key_Up)
    assert dialog.keypad.target is first
    count(till, dialog, {"100": "2"})
    assert dialog.message.text() == "" and dialog.total_label.text() == "Counted: 400.00 UAH"
    assert shifts(path).current_shift(default_denominations("UAH")) is None
    hand_over(till, dialog)  # a manager opens it alone
    no_dialog(till)
    shift = shifts(path).current_shift(default_denominations("UAH"))
    assert shift is not None and shift.opening_float.total.amount == 400


def test_closing_with_a_sale_open_is_refused_and_the_sale_goes_on(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    open_shift_in(path, "S1", "T07", float_amount="1000")
    till = open_till(build_services(settings_for(path)))
    till.sign_in(*IRYNA)
    till.scan(ITEM.barcode)
    menu_entry(till, "closeShift")
    no_dialog(till)
    assert till.message_kind == "error"
    assert till.message == "A sale is still open: finish, park or cancel it before closing the shift."
    pay = till.open_dialog(Qt.Key.Key_F12)
    till.enter(pay.tendered_field, "")
    no_dialog(till)
    assert till.message == "Receipt 1 saved"


def test_cash_in_refuses_an_amount_the_coins_cannot_make_then_records_it_and_no_sale_kicks_the_drawer(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    open_shift_in(path, "S1", "T07", float_amount="1000")
    with LoopbackPrinter() as printer:
        till = open_till(build_services(settings_for(path, printer.setting)))
        till.sign_in(*IRYNA)
        menu_entry(till, "cashIn")
        putting = dialog_named(till, "cashDialog")
        assert isinstance(putting, CashDialog)
        till.press(putting.amount_field, Qt.Key.Key_F1)  # Change brought from the safe
        till.enter(putting.amount_field, "50.05")
        till.wait_idle()
        assert putting.message.text() == "50.05 UAH cannot be handed over in cash here: the smallest coin is 0.10 UAH."
        assert till.window.sale_actions.dialog is putting  # stays open to correct the amount
        putting.amount_field.clear()
        till.enter(putting.amount_field, "50")
        no_dialog(till)
        assert till.message == "Cash in of 50.00 UAH recorded (number 1)."
        qtbot.waitUntil(lambda: b"\x1bp\x00" in printer.received(), timeout=WAIT_MS)  # the drawer opens (pin 2)
        kicks = printer.received().count(b"\x1bp\x00")

        menu_entry(till, "noSale")
        no_dialog(till)
        qtbot.waitUntil(lambda: till.message == "The drawer is open.", timeout=WAIT_MS)
        # the printer's socket may hand the bytes over a moment after the till said so
        qtbot.waitUntil(lambda: printer.received().count(b"\x1bp\x00") == kicks + 1, timeout=WAIT_MS)
    movements = shifts(path).day_documents(shifts(path).current_shift(default_denominations("UAH"))).movements
    assert [(m.number, m.direction, m.amount.amount, m.reason) for m in movements] == [(1, "in", 50, "change_from_safe")]


def test_no_sale_on_a_till_without_a_printer_says_there_is_no_drawer(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    open_shift_in(path, "S1", "T07")
    till = open_till(build_services(settings_for(path)))  # [printer] connection = "none"
    till.sign_in(*IRYNA)
    menu_entry(till, "noSale")
    no_dialog(till)
    assert till.message == "No drawer: this till's printer cannot open the cash drawer."
