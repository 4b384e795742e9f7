"""The status bar says what the receipt printer needs, from the status it reported before
and after the receipt (the real window, a real SQLite file, the loopback network printer)."""

from __future__ import annotations

import pytest

from hardware.loopback_printer import LoopbackPrinter
from tests.ui.driver import WAIT_MS
from tests.ui.test_end_to_end import SECOND, THIRD, open_real_till, store_db  # noqa: F401 - a fixture
from ui.qt import Qt


@pytest.fixture(autouse=True)
def patient_status_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    import hardware.transports

    monkeypatch.setattr(hardware.transports, "STATUS_WAIT", 30.0)


def sell(till, barcode: str) -> None:  # noqa: ANN001
    till.scan(barcode)
    dialog = till.open_dialog(Qt.Key.Key_F12)
    till.enter(dialog.tendered_field, "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)


def test_out_of_paper_then_paper_low_are_said_in_a_few_words_and_the_receipt_prints_once(qtbot, qapp, store_db):  # noqa: ANN001, F811
    with LoopbackPrinter(paper="out") as printer:
        till = open_real_till(qtbot, store_db, printer.setting)
        label = till.window.status.printer_label
        sell(till, SECOND.barcode)
        till.wait_until(lambda: "out of paper: load a new roll" in label.text())
        assert "Printer problem" in label.text() and b"\x1dV" not in printer.received()
        assert "out of paper" in label.toolTip()
        printer.paper = "low"  # a new roll is in, but the sensor says low: it prints and warns
        qtbot.waitUntil(lambda: b"\x1dV" in printer.received(), timeout=WAIT_MS)
        till.wait_until(lambda: label.text() == "Printer ready; paper low: have a roll ready")
        printer.paper = "ok"
        sell(till, THIRD.barcode)
        till.wait_until(lambda: label.text() == "Printer ready")
        assert printer.received().count(b"\x1dV") == 2  # each receipt once
