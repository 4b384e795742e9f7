"""Render the manager's screens at 1024x768 over a realistic day into docs/screenshots/:

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.manager.screenshots [language]

(not a test: run it after changing a screen, then look at the pictures)."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pos.i18n import set_language
from shell.wiring import build_services
from tests.ui.manager.realistic_day import build_day, settings_for
from ui.app import make_application
from ui.manager.common import Desk, journal_search, shop_zone
from ui.manager.window import ManagerWindow
from ui.printing import PrinterWatch
from ui.qt import QApplication, QWidget
from ui.session import TillSession

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def settle(until: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not finish loading")
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        QApplication.processEvents()


def shoot(widget: QWidget, name: str) -> None:
    widget.resize(1024, 768)
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def main(language: str = "en") -> None:
    app = make_application()
    folder = Path(tempfile.mkdtemp())
    day = build_day(folder)
    services = build_services(settings_for(day.path), clock=None)
    set_language(language)
    services.ui_locale = language
    session = TillSession(services)
    search = journal_search(services)
    assert search is not None
    desk = Desk(session, PrinterWatch(session, enabled=False), search, shop_zone(services))
    window = ManagerWindow(desk)
    window.show()
    suffix = "" if language == "en" else f"-{language}"
    settle(lambda: window.shifts.loaded and session.is_idle())
    shoot(window, f"manager-shifts{suffix}.png")
    window.show_page(1)
    window.journal.fields["cashier"].setText("Olena")
    window.journal.next_tender()
    window.journal.next_tender()  # card
    window.journal.search()
    settle(lambda: window.journal.found is not None and session.is_idle())
    shoot(window, f"manager-journal{suffix}.png")
    window.show_page(2)
    settle(lambda: window.unsent.loaded and session.is_idle())
    shoot(window, f"manager-unsent{suffix}.png")
    window.show_page(3)
    settle(lambda: window.day.loaded and session.is_idle())
    shoot(window, f"manager-day{suffix}.png")
    window.show_page(0)
    settle(lambda: session.is_idle())
    window.shifts.table.selectRow(1)
    window.shifts.open_report()
    settle(lambda: session.is_idle() and window.findChild(QWidget, "reportDialog") is not None)
    report = window.findChild(QWidget, "reportDialog")
    assert report is not None
    shoot(report, f"manager-z-report{suffix}.png")
    session.shutdown()
    app.quit()


if __name__ == "__main__":
    main(*sys.argv[1:2])
