"""A real till (SQLite file, the demo catalog, an open shift) paying through a card terminal
emulator process on a loopback port (python -m hardware.card_terminal_emulator)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hardware.card_terminal import NetworkCardTerminal
from local_db.database import open_database
from local_db.demo_store import create_demo_store
from shell.wiring import build_services
from tests.hardware.test_card_terminal_crash import emulator_process
from tests.paying_till import settings_for
from tests.shift_setup import open_shift_in
from tests.ui.driver import TillDriver
from ui.app import make_application
from ui.payment_dialog import PaymentDialog
from ui.qt import QWidget, Qt
from ui.services import TillServices


@pytest.fixture(autouse=True)
def _till_stylesheet(qapp) -> None:  # noqa: ANN001
    make_application()  # the till's stylesheet on the test QApplication


@pytest.fixture
def store_db(tmp_path: Path) -> Path:
    path = tmp_path / "till.sqlite3"
    with open_database(path) as db:
        create_demo_store(db, items=60)
    open_shift_in(path, "S1", "T07")
    return path


@contextmanager
def terminal(tmp_path: Path, script: str = "", pay_timeout: float = 30.0) -> Iterator[tuple[NetworkCardTerminal, Path]]:
    journal = tmp_path / f"terminal-{script or 'approve'}.jsonl"
    with emulator_process(journal, script) as port:
        yield NetworkCardTerminal("127.0.0.1", port, pay_timeout=pay_timeout, answer_timeout=5.0), journal


def open_paying(qtbot, db_path: Path, card_terminal: NetworkCardTerminal | None | str,  # noqa: ANN001
                products: int = 1) -> tuple[TillDriver, PaymentDialog, TillServices]:
    """``card_terminal``: an adapter (a short timeout), None (manual), or a [card_terminal] setting."""
    setting = card_terminal if isinstance(card_terminal, str) else "manual"
    services = build_services(settings_for(db_path, setting), open_database(db_path))
    if not isinstance(card_terminal, str):
        services.payment_terminal = card_terminal
    driver = TillDriver.open(qtbot, services)
    driver.sign_in("1", "1234")
    for code in first_barcodes(db_path, products):
        driver.scan(code)
    dialog = driver.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog) and dialog.store_day
    driver.wait_until(lambda: dialog.shown is not None)
    return driver, dialog, services


def first_barcodes(db_path: Path, count: int) -> list[str]:
    with open_database(db_path) as db, db.reading() as conn:
        return [row[0] for row in conn.exec_driver_sql(
            "SELECT barcode FROM products WHERE sold_by_weight = 0 AND barcode IS NOT NULL AND barcode != '' "
            "ORDER BY code LIMIT ?", (count,)).fetchall()]


def shoot(widget: QWidget, name: str) -> None:
    """KASSA_SCREENSHOTS=docs/screenshots saves the dialog as the guide shows it."""
    folder = os.environ.get("KASSA_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))
