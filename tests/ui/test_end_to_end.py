"""The whole till as the kassa command wires it: the real window, a real SQLite file, the
demo catalog, and a receipt printer listening on a loopback TCP port."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from hardware.loopback_printer import LoopbackPrinter
from hardware.printer_status import STATUS_QUERY
from local_db.database import open_database
from local_db.demo_store import create_demo_store
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from pos.demo_catalog import generate_catalog
from tests.ui.driver import WAIT_MS, TillDriver
from ui.qt import Qt
from shell.settings import parse_settings
from shell.wiring import build_services
from tests.shift_setup import open_shift_in

CATALOG = [p for p in generate_catalog(300) if not p.sold_by_weight]
CYRILLIC = next(p for p in CATALOG if p.name.startswith("Шампунь"))
SECOND = next(p for p in CATALOG if p.name.isascii() and p is not CYRILLIC)
THIRD = next(p for p in CATALOG if p not in (CYRILLIC, SECOND))


def settings_for(db_path: Path, printer: str):  # noqa: ANN201
    text = f"""
[store]
store_id = "S1"
name = "Test Store"
currency = "UAH"
locale = "uk_UA"
[till]
till_id = "T07"
[printer]
connection = "{printer}"
retry_seconds = 1
[database]
path = "{db_path}"
"""
    return parse_settings(text, Path("test.toml"))


@pytest.fixture
def store_db(tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "till.sqlite3"
    create_demo_store(open_database(path), items=300)
    return path


def open_real_till(qtbot, db_path: Path, printer: str) -> TillDriver:  # noqa: ANN001
    open_shift_in(db_path, "S1", "T07")  # the manager opened the shift
    driver = TillDriver.open(qtbot, build_services(settings_for(db_path, printer)))
    driver.sign_in("1", "1234")
    return driver


def test_a_sale_scanned_changed_voided_and_paid_prints_escpos_on_a_network_printer(qtbot, qapp, store_db):
    with LoopbackPrinter() as printer:
        till = open_real_till(qtbot, store_db, printer.setting)
        till.scan(CYRILLIC.barcode)
        till.scan(SECOND.barcode)
        till.scan(THIRD.barcode)
        dialog = till.open_dialog(Qt.Key.Key_F8)  # void the third line (selected)
        till.press(dialog, Qt.Key.Key_Return)
        till.wait_until(lambda: till.window.sale_actions.dialog is None)
        for _ in range(3):
            till.key(Qt.Key.Key_Up)
        assert till.selected_row() == 0
        dialog = till.open_dialog(Qt.Key.Key_F4)  # two of the first
        till.enter(dialog.field, "2")
        till.wait_until(lambda: till.window.sale_actions.dialog is None)
        till.wait_idle()
        expected = CYRILLIC.price.amount * 2 + SECOND.price.amount
        assert [line.voided for line in till.lines] == [False, False, True]

        dialog = till.open_dialog(Qt.Key.Key_F12)
        till.enter(dialog.tendered_field, "5000")
        till.wait_until(lambda: till.window.sale_actions.dialog is None)
        till.wait_idle()
        assert till.message == "Receipt 1 saved"

        qtbot.waitUntil(lambda: b"\x1dV" in printer.received(), timeout=WAIT_MS)
        data = printer.received()
        drawer_kick = b"\x1bp\x00"  # ESC p on pin 2: cash was taken, the drawer opens before the receipt
        assert data.startswith(drawer_kick)
        after_kick = data[data.index(STATUS_QUERY):]
        assert after_kick.startswith(STATUS_QUERY + b"\x1b@")  # the printer is asked its status before the receipt
        assert "Шампунь".encode("cp866") in data or "Шампунь".encode("cp1251") in data
        assert SECOND.name[:20].encode("ascii") in data
        assert THIRD.name[:20].encode("utf-8", "ignore") not in data or THIRD.name[:20] in SECOND.name
        amount = f"{expected:,.2f}".replace(",", " ").replace(".", ",")
        assert amount.encode("ascii") in data.replace(b"\xff", b" ").replace(b"\xa0", b" ")

    journal = SqlJournal(open_database(store_db), "T07")
    sale = journal.recent_sales(1)[0]
    assert sale.total.amount == expected and sale.change.amount == Decimal(5000) - expected
    assert journal_check(open_database(store_db)) == []
    assert journal.unsent_count() == 2  # the shift opening and the sale


def test_a_printer_that_is_off_does_not_stop_selling_and_the_receipt_prints_when_it_is_back(qtbot, qapp, store_db):
    printer = LoopbackPrinter()
    printer.start()
    printer.switch_off()
    till = open_real_till(qtbot, store_db, printer.setting)
    till.scan(SECOND.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F12)
    till.enter(dialog.tendered_field, "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_until(lambda: "Printer problem" in till.window.status.printer_label.text())
    till.scan(THIRD.barcode)  # selling goes on
    assert len(till.lines) == 1
    printer.switch_on()
    try:  # wait with the Qt event loop running: the retry timer lives there
        qtbot.waitUntil(lambda: b"\x1dV" in printer.received(), timeout=WAIT_MS)
    finally:
        printer.stop()
    till.wait_until(lambda: "Printer problem" not in till.window.status.printer_label.text())


def test_a_second_copy_of_the_till_on_the_same_database_is_refused_with_a_clear_message(tmp_path):
    import subprocess
    import sys

    from local_db.problems import DatabaseInUse
    from shell.wiring import claim_database

    path = tmp_path / "till.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from shell.wiring import claim_database; from pathlib import Path; "
         "claim_database(Path(sys.argv[1])); print('held', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,  # it holds the lock until it is killed
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUse) as err:
            claim_database(path)
        assert "another copy of Kassa" in err.value.user_message()
    finally:
        holder.kill()
        holder.wait()
    claim_database(path)  # the lock died with the process that held it
