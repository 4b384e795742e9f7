"""Screenshots of the shift's dialogs for the guides (not part of the test run: run it by name)

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -p no:cacheprovider tests/ui/shift/screenshots.py

writes docs/screenshots/shift-open.png, shift-close-count.png and shift-close-result.png
(1024x768, English; ``KASSA_SHOT_LANGUAGE=uk`` adds ``-uk`` files in Ukrainian) of a real
till: the float being counted, the blind count at the close, and the result with its Z."""

from __future__ import annotations

import os
from pathlib import Path

from decimal import Decimal

from local_db.database import open_database
from local_db.store_day_journal import SqlStoreDay
from pos.store_day.drawer import default_denominations
from pos.store_day.report import expected_cash
from shell.wiring import build_services
from tests.ui.shift.shift_till import IRYNA, ITEMS, count, dialog_named, hand_over, make_shop, menu_entry, no_dialog, settings_for
from pos.demo_catalog import generate_catalog
from ui.qt import QDialog, Qt
from ui.shift.count_dialog import CountDialog

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
LANGUAGE = os.environ.get("KASSA_SHOT_LANGUAGE", "en")
SUFFIX = "" if LANGUAGE == "en" else f"-{LANGUAGE}"


def drawer_of(path: Path) -> Decimal:
    """What the open shift's drawer should hold (read from the journal, as the Z will)."""
    journal = SqlStoreDay(open_database(path), "T07")
    shift = journal.current_shift(default_denominations("UAH"))
    assert shift is not None
    return expected_cash(journal.day_documents(shift)).amount


def pieces_for(amount: Decimal) -> dict[str, str]:
    """A drawer holding ``amount``: a few of each small note and coin, the rest in large notes."""
    typed: dict[str, str] = {}
    for denomination in reversed(default_denominations("UAH").values):  # the smallest first
        value = denomination.value.amount
        few = min(int(amount // value), 7 if value < 100 else 0)
        typed[str(value)] = str(few)
        amount -= few * value
    for denomination in default_denominations("UAH").values:  # the largest first: the rest
        value = denomination.value.amount
        more = int(amount // value)
        typed[str(value)] = str(int(typed[str(value)]) + more)
        amount -= more * value
    return {value: pieces for value, pieces in typed.items() if pieces != "0"}


def shoot(dialog: QDialog, name: str) -> None:
    dialog.resize(1024, 768)
    dialog.grab().save(str(OUT / f"{name}{SUFFIX}.png"))


def test_the_shift_dialogs_at_1024x768(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    till = open_till(build_services(settings_for(path, language=LANGUAGE)))
    till.window.resize(1024, 768)
    till.sign_in(*IRYNA)
    opening = dialog_named(till, "openShiftDialog")
    assert isinstance(opening, CountDialog)
    count(till, opening, {"200": "2", "100": "5", "50": "4", "20": "10", "10": "10", "5": "6", "2": "10",
                          "1": "20", "0.50": "12"})
    opening.rows[9].field.setFocus()
    shoot(opening, "shift-open")
    hand_over(till, opening)
    no_dialog(till)

    products = [p for p in generate_catalog(ITEMS) if not p.sold_by_weight][:8]
    for number, product in enumerate(products):
        till.scan(product.barcode)
        if number % 3 == 2:
            pay = till.open_dialog(Qt.Key.Key_F12)
            till.enter(pay.tendered_field, "")
            no_dialog(till)
    pay = till.open_dialog(Qt.Key.Key_F12)
    till.enter(pay.tendered_field, "")
    no_dialog(till)

    menu_entry(till, "closeShift")
    counting = dialog_named(till, "closeCountDialog")
    assert isinstance(counting, CountDialog)
    count(till, counting, pieces_for(drawer_of(path) - Decimal("5.00")))  # five hryvnias short
    shoot(counting, "shift-close-count")
    hand_over(till, counting)
    result = dialog_named(till, "closeResultDialog")
    till.wait_idle()
    shoot(result, "shift-close-result")
