"""A keyboard-wedge scanner's burst of keys lands in the basket wherever the focus is on the
sale screen (the basket table, the search dialog's field), while a person's keys, typed slowly
or fast, reach the widget they were typed in.  Key times come from a clock the test moves,
so nothing depends on how fast this machine is."""

from __future__ import annotations

from datetime import date

from pos.scan_timing import WedgeTiming
from tests.fakes import SHAMPOO, VITAMINS
from ui.qt import QApplication, QLineEdit, Qt

GS = "\x1d"


class KeyClock:
    def __init__(self) -> None:
        self.ms = 1_000_000.0

    def __call__(self) -> float:
        return self.ms


def with_clock(till) -> KeyClock:  # noqa: ANN001
    clock = KeyClock()
    till.window.scanning.wedge.clock = clock
    return clock


def keys(till, widget, text: str, gap_ms: float, clock: KeyClock, enter: bool = True) -> None:  # noqa: ANN001
    for char in text:
        clock.ms += gap_ms
        till.qtbot.keyClick(widget, char)
    if enter:
        clock.ms += gap_ms
        till.qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_scan_while_the_basket_table_has_the_focus_is_sold(till):
    clock = with_clock(till)
    table = till.window.sale_screen.table
    table.setFocus()
    till.wait_until(lambda: QApplication.focusWidget() is table)
    keys(till, table, SHAMPOO.barcode, 6, clock)
    till.wait_idle()
    till.wait_until(lambda: [line.product for line in till.lines] == [SHAMPOO])


def test_a_person_typing_slowly_in_another_widget_keeps_their_keys(till):
    clock = with_clock(till)
    dialog = till.open_dialog(Qt.Key.Key_F2)  # the search: a scan there would sell
    field = dialog.findChild(QLineEdit, "searchField")
    field.setFocus()
    till.wait_until(lambda: QApplication.focusWidget() is field)
    keys(till, field, "4820000000017", 150, clock, enter=False)  # a person at 150 ms a key
    clock.ms += 10_000
    till.wait_until(lambda: field.text() == "4820000000017")
    assert till.lines == ()


def test_a_fast_typist_is_never_taken_for_a_scanner(till):
    clock = with_clock(till)
    dialog = till.open_dialog(Qt.Key.Key_F2)
    field = dialog.findChild(QLineEdit, "searchField")
    field.setFocus()
    till.wait_until(lambda: QApplication.focusWidget() is field)
    keys(till, field, "shampoo 100", 70, clock, enter=False)  # very fast for a person: 70 ms a key
    clock.ms += 10_000
    till.wait_until(lambda: field.text() == "shampoo 100")
    assert till.lines == ()


def test_a_scan_in_the_search_dialog_reaches_the_basket_not_the_search_text(till):
    clock = with_clock(till)
    dialog = till.open_dialog(Qt.Key.Key_F2)
    field = dialog.findChild(QLineEdit, "searchField")
    field.setFocus()
    till.wait_until(lambda: QApplication.focusWidget() is field)
    keys(till, field, "nivea", 200, clock, enter=False)
    clock.ms += 10_000
    till.wait_until(lambda: field.text() == "nivea")
    texts: list[str] = []
    field.textChanged.connect(texts.append)
    keys(till, field, VITAMINS.barcode, 5, clock)
    till.wait_until(lambda: [line.product for line in till.lines] == [VITAMINS])
    assert texts == []  # not one digit reached the search text
    till.wait_until(lambda: till.window.sale_actions.dialog is None)  # the scanner answered the search


def test_an_expired_gs1_item_is_asked_about_and_sold_only_when_the_cashier_agrees(till):
    clock = with_clock(till)
    expired = f"]d201{'0' + SHAMPOO.barcode}17{date(2020, 1, 31):%y%m%d}"
    keys(till, till.scan_field, expired, 0, clock, enter=False)  # typed into the scan field as it is
    till.press(till.scan_field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is not None)
    dialog = till.window.sale_actions.dialog
    assert dialog.objectName() == "expiredDialog" and till.lines == ()
    dialog.accept()
    till.wait_idle()
    till.wait_until(lambda: [line.product for line in till.lines] == [SHAMPOO])


def test_a_key_held_down_is_a_person_even_at_a_scanners_speed(till):
    from ui.qt import QEvent, QKeyEvent

    clock = with_clock(till)
    dialog = till.open_dialog(Qt.Key.Key_F2)
    field = dialog.findChild(QLineEdit, "searchField")
    field.setFocus()
    till.wait_until(lambda: QApplication.focusWidget() is field)
    for _ in range(8):  # the keyboard repeats a held "4" every 30 ms
        clock.ms += 30
        QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_4, Qt.KeyboardModifier.NoModifier,
                                                "4", True))
    assert field.text() == "4" * 8 and till.lines == ()


def test_a_scan_does_not_answer_a_question(till):
    clock = with_clock(till)
    till.scan(SHAMPOO.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F8)  # void line 1? Enter would say yes
    from ui.qt import QPushButton

    target = dialog.findChildren(QPushButton)[0]  # "Enter  Void": what the scanner's Enter would press
    target.setFocus()
    till.wait_until(lambda: QApplication.focusWidget() is target)
    keys(till, target, VITAMINS.barcode, 5, clock)
    till.wait_idle()
    assert till.window.sale_actions.dialog is dialog and dialog.isVisible()
    assert [line.voided for line in till.lines] == [False] and [line.product for line in till.lines] == [SHAMPOO]
    assert till.message == "Answer the question first, then scan again."
