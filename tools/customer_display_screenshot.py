"""The customer display's screenshot for docs/screenshots/customer-display.png: the demo store
(Ukrainian), the cashier's screen in English, a sale of a few items paid in cash.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tools.customer_display_screenshot
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtTest import QTest

from local_db.database import open_database
from local_db.demo_store import create_demo_store
from pos.demo_catalog import generate_catalog
from shell.demo import demo_settings
from shell.wiring import build_services
from ui.app import make_application
from ui.customer_display import CustomerDisplayOptions
from ui.main_window import MainWindow
from ui.qt import QApplication, Qt

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "customer-display.png"


def wait(condition) -> None:  # noqa: ANN001
    for _ in range(500):
        if condition():
            return
        QApplication.processEvents()
        QTest.qWait(20)
    raise TimeoutError("the till did not get there in time")


def enter(widget, text: str) -> None:  # noqa: ANN001
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="kassa-customer-"))
    os.environ["KASSA_DATA_DIR"] = str(work)
    settings = demo_settings(work / "demo")
    db = open_database(settings.database.path)
    create_demo_store(db, items=200)
    services = replace(build_services(settings, db),
                       customer_display=CustomerDisplayOptions(enabled=True, geometry=(0, 0, 1024, 600)))
    make_application(sys.argv)
    window = MainWindow(services)
    window.resize(1280, 800)
    window.show()
    wait(lambda: window.started and window.is_idle())
    enter(window.sign_in_screen.cashier_field, "1")
    enter(window.sign_in_screen.pin_field, "1234")
    wait(window.is_idle)
    products = list(generate_catalog(40))
    scan = window.sale_screen.scan_field
    for product in (products[0], products[6], products[2]):
        enter(scan, product.barcode)
        wait(window.is_idle)
    enter(scan, "2*" + products[9].barcode)
    wait(window.is_idle)
    QTest.keyClick(scan, Qt.Key.Key_F12)
    wait(lambda: window.sale_actions.dialog is not None)
    dialog = window.sale_actions.dialog
    enter(dialog.tendered_field, "5000")
    wait(lambda: window.sale_actions.dialog is None and window.is_idle())
    customer = window.customer_facing.window
    QTest.qWait(300)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    customer.grab().save(str(OUT))
    print("wrote", OUT)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
