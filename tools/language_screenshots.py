"""Screenshots of the till in each language on a small screen, for docs/cashier-guide.md.

    .venv/bin/python -m tools.language_screenshots [WIDTHxHEIGHT]     (default 1024x768)

No X server is needed: Qt's offscreen platform is given one screen of that size, and the
window sizes itself to it as in a kiosk with no window manager.  For each of en, uk, az and
ka it opens the demo store (offline), signs in, scans a basket with long names, and writes
docs/screenshots/<size>/till-<lang>.png and payment-<lang>.png (the payment dialog over the
sale screen, as the cashier sees it)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

SIZE = sys.argv[1] if len(sys.argv) > 1 else "1024x768"
WIDTH, HEIGHT = (int(n) for n in SIZE.split("x"))
WORK = Path(tempfile.mkdtemp(prefix="kassa-language-shots-"))
SCREEN = WORK / "screen.json"
SCREEN.write_text(json.dumps({"windowFrameMargins": False, "screens": [
    {"name": "till", "x": 0, "y": 0, "width": WIDTH, "height": HEIGHT, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"
os.environ["KASSA_DATA_DIR"] = str(WORK)

from PySide6.QtTest import QTest  # noqa: E402

from local_db.demo_store import create_demo_store  # noqa: E402
from pos.demo_catalog import generate_catalog  # noqa: E402
from pos.i18n import LANGUAGES  # noqa: E402
from shell.demo import demo_settings  # noqa: E402
from tools.screenshots import open_the_shift  # noqa: E402
from shell.till import open_till  # noqa: E402
from shell.wiring import window_services  # noqa: E402
from ui.app import make_application, show_on_screen  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.qt import QPainter, QPixmap, Qt, QWidget  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots" / SIZE
ITEMS = 400
PICKS = 9  # the longest names of the demo catalog, in its four languages


def wait(condition, timeout_ms: int = 30_000) -> None:  # noqa: ANN001
    for _ in range(timeout_ms // 20):
        if condition():
            return
        QTest.qWait(20)
    raise TimeoutError("the till did not get there in time")


def enter(widget: QWidget, text: str = "") -> None:
    if text:
        QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def screen_picture(*windows: QWidget) -> QPixmap:
    """What the screen shows: each window painted where it is, the last one on top."""
    picture = QPixmap(WIDTH, HEIGHT)
    picture.fill(Qt.GlobalColor.black)
    painter = QPainter(picture)
    for number, window in enumerate(windows):
        painter.drawPixmap(window.geometry().topLeft(), window.grab())
        if number:  # a dialog has no frame in a kiosk: a thin line shows where it ends
            painter.setPen(Qt.GlobalColor.darkGray)
            painter.drawRect(window.geometry().adjusted(0, 0, -1, -1))
    painter.end()
    return picture


def save(picture: QPixmap, name: str) -> None:
    path = OUT / name
    picture.save(str(path))
    print("wrote", path)


def shoot(language: str) -> None:
    settings = demo_settings(WORK / language)
    settings = settings.model_copy(update={
        "till": settings.till.model_copy(update={"ui_language": language}),
        "printer": settings.printer.model_copy(update={"connection": f"preview:{WORK / language / 'receipts'}"}),
    })
    with open_till(settings, writes=True) as till:
        create_demo_store(till.db, items=ITEMS)
        window = MainWindow(window_services(till))
        show_on_screen(window, maximised=False)
        window.setGeometry(window.screen().availableGeometry())  # a kiosk: no window manager maximises it
        wait(lambda: window.started and window.is_idle())
        enter(window.sign_in_screen.cashier_field, "1")
        enter(window.sign_in_screen.pin_field, "1234")
        wait(lambda: window.on_sale_screen() and window.is_idle())
        open_the_shift(window)  # the float, approved by the demo's manager
        counted = [p for p in generate_catalog(ITEMS) if not p.sold_by_weight]
        scan = window.sale_screen.scan_field
        for product in sorted(counted, key=lambda p: -len(p.name))[:PICKS]:
            enter(scan, product.barcode)
            wait(window.is_idle)
        save(screen_picture(window), f"till-{language}.png")
        QTest.keyClick(scan, Qt.Key.Key_F12)
        wait(lambda: window.sale_actions.dialog is not None and window.is_idle())
        dialog = window.sale_actions.dialog
        QTest.keyClicks(dialog.tendered_field, "5000")
        QTest.qWait(50)
        save(screen_picture(window, dialog), f"payment-{language}.png")
        dialog.reject()
        wait(lambda: window.sale_actions.dialog is None and window.is_idle())
        window.close()


def main() -> int:
    make_application(["kassa-screenshots"])
    OUT.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        shoot(language)
    return 0


if __name__ == "__main__":
    sys.exit(main())
