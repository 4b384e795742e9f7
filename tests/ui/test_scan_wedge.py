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


def gs1_keys(till, widget, text: str, gap_ms: float, clock: KeyClock) -> None:  # noqa: ANN001
    """As a scanner types a GS1 code: FNC1 as Ctrl+] (the GS character), then Enter."""
    from ui.qt import QEvent, QKeyEvent

    for char in text:
        clock.ms += gap_ms
        if char == GS:
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_BracketRight,
                                                     Qt.KeyboardModifier.ControlModifier, GS))
        else:
            till.qtbot.keyClick(widget, char)
    clock.ms += gap_ms
    till.qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_gs1_code_scanned_into_the_scan_field_keeps_its_group_separators(till):
    """A line edit drops the GS character; the scan is read before it reaches the field."""
    from dataclasses import replace
    from decimal import Decimal

    from pos.barcode import with_check_digit
    from tests.fakes import APPLES

    clock = with_clock(till)
    field = till.scan_field
    field.setFocus()
    till.wait_until(lambda: QApplication.focusWidget() is field)
    barcode = with_check_digit("482999000001")
    till.window.services.till.catalog.products.append(replace(APPLES, barcode=barcode))  # type: ignore[attr-defined]
    gs1_keys(till, field, f"]C101{'0' + barcode}10LOT7{GS}3103001250", 4, clock)  # batch (variable length), weight
    till.wait_until(lambda: len(till.lines) == 1)
    assert (till.lines[0].product.code, till.lines[0].quantity) == ("20001", Decimal("1.250"))
    assert field.text() == "" and till.message_kind != "error"


def test_a_quantity_typed_before_a_scan_in_the_scan_field_still_counts(till):
    clock = with_clock(till)
    field = till.scan_field
    field.setFocus()
    till.wait_until(lambda: QApplication.focusWidget() is field)
    keys(till, field, "3*", 200, clock, enter=False)  # a person
    clock.ms += 10_000
    till.wait_until(lambda: field.text() == "3*")
    keys(till, field, SHAMPOO.barcode, 5, clock)  # the scanner
    till.wait_until(lambda: [(line.product, line.quantity) for line in till.lines] == [(SHAMPOO, 3)])
    assert field.text() == ""
