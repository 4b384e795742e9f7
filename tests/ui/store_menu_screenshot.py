"""Render the F10 store menu over the sale screen at 1024x768 into docs/screenshots/store-menu.png:

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.store_menu_screenshot [language]

(not a test: run it after changing the menu, then look at the picture).  A real till on a
SQLite file (the demo store, Iryna 31 a manager): Iryna signs in, counts the float, sells
two items, presses F10; the picture is the sale screen with the menu drawn where it opens."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pos.i18n import set_language
from shell.wiring import build_services
from tests.ui.driver import TillDriver
from tests.ui.shift.shift_till import IRYNA, ITEM, count, hand_over, make_shop, settings_for
from ui.app import make_application
from ui.qt import QApplication, QColor, QDialog, QPainter, Qt, QWidget
from ui.shift.count_dialog import CountDialog

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


class Bot:
    """The few of pytest-qt's QtBot calls the till driver uses, on QTest."""

    def __init__(self) -> None:
        from PySide6.QtTest import QTest

        self.test = QTest
        self.widgets: list[QWidget] = []

    def addWidget(self, widget: QWidget) -> None:  # noqa: N802
        self.widgets.append(widget)

    def waitUntil(self, condition: Callable[[], bool], timeout: int = 60_000) -> None:  # noqa: N802
        deadline = time.monotonic() + timeout / 1000
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the till did not get there")
            QApplication.processEvents()
            time.sleep(0.01)

    def keyClicks(self, widget: QWidget, text: str) -> None:  # noqa: N802
        self.test.keyClicks(widget, text)

    def keyClick(self, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # noqa: N802
        self.test.keyClick(widget, key, modifier)


def open_dialog(till: TillDriver, name: str) -> QDialog:
    till.wait_until(lambda: till.window.sale_actions.dialog is not None
                    and till.window.sale_actions.dialog.objectName() == name)
    dialog = till.window.sale_actions.dialog
    assert dialog is not None
    return dialog


def main(language: str = "en") -> None:
    app = make_application()
    path = make_shop(Path(tempfile.mkdtemp()) / "till.sqlite3")
    set_language(language)
    services = build_services(settings_for(path, language=language))
    till = TillDriver.open(Bot(), services)
    till.window.resize(1024, 768)
    till.sign_in(*IRYNA)
    opening = open_dialog(till, "openShiftDialog")
    assert isinstance(opening, CountDialog)
    count(till, opening, {"200": "2", "100": "5", "50": "4", "20": "10", "10": "10"})
    hand_over(till, opening)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    till.enter(till.scan_field, ITEM.barcode)
    till.enter(till.scan_field, "3*" + ITEM.barcode)
    till.wait_idle()
    till.press(till.scan_field, Qt.Key.Key_F10)
    menu = open_dialog(till, "storeMenu")
    for _ in range(20):
        QApplication.processEvents()
    picture = till.window.grab()
    over = menu.grab()
    painter = QPainter(picture)
    left, top = (picture.width() - over.width()) // 2, (picture.height() - over.height()) // 2
    painter.drawPixmap(left, top, over)
    painter.setPen(QColor("#555555"))  # the frame a window manager would draw
    painter.drawRect(left - 1, top - 1, over.width() + 1, over.height() + 1)
    painter.end()
    suffix = "" if language == "en" else f"-{language}"
    target = OUT / f"store-menu{suffix}.png"
    picture.save(str(target))
    print(target, picture.width(), picture.height(), "menu", over.width(), over.height())
    menu.reject()
    till.window.close()
    app.quit()


if __name__ == "__main__":
    main(*sys.argv[1:2])
