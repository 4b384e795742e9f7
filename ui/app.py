"""Running the till window: the Qt application, the look, the event loop, a clean stop."""

from __future__ import annotations

import logging
import sys

from ui.garbage import collect_on_the_gui_thread
from ui.main_window import MainWindow
from ui.qt import QApplication, QTimer, QWidget
from ui.qt_translations import install_qt_translations
from ui.services import TillServices
from ui.style import STYLESHEET

log = logging.getLogger(__name__)
DEFAULT_SIZE = (1280, 800)


def make_application(argv: list[str] | None = None, ui_locale: str | None = None) -> QApplication:
    """The running QApplication, created (with the till's stylesheet) if there is none; with
    ``ui_locale``, Qt's own texts (context menus, standard buttons) are in that language."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kassa")
    app.setStyleSheet(STYLESHEET)
    if ui_locale is not None:
        install_qt_translations(app, ui_locale)
    collect_on_the_gui_thread(app)
    return app


def show_on_screen(window: QWidget, *, maximised: bool = True) -> None:
    """Show ``window`` on its screen, never larger than the screen's available area.

    Maximised, it first takes the whole available area itself: in a kiosk session with no
    window manager nobody honours "maximised", and the window would open at its default
    size, partly off a 1024x768 or 1366x768 screen.  Not maximised, it opens at its
    default size or the available area, whichever is smaller, centred."""
    screen = window.screen() or QApplication.primaryScreen()
    area = screen.availableGeometry()
    if maximised:
        window.setGeometry(area)
        window.showMaximized()
        return
    window.resize(min(DEFAULT_SIZE[0], area.width()), min(DEFAULT_SIZE[1], area.height()))
    window.show()
    frame, inside = window.frameGeometry(), window.geometry()  # the window manager's frame is known now
    extra_width, extra_height = frame.width() - inside.width(), frame.height() - inside.height()
    width = min(inside.width(), area.width() - extra_width)
    height = min(inside.height(), area.height() - extra_height)
    window.resize(width, height)
    window.move(  # the frame's top-left corner: the whole frame centred on the available area
        area.x() + (area.width() - width - extra_width) // 2, area.y() + (area.height() - height - extra_height) // 2
    )


def run_till_window(
    services: TillServices,
    argv: list[str] | None = None,
    *,
    maximised: bool = True,
    quit_after: float | None = None,
) -> int:
    """Show the cashier's window and run until it closes; returns the exit code.

    On close the workers finish what is queued (the basket is saved, queued receipts get
    their chance to print) and then stop.  ``quit_after`` (seconds) closes the window by
    itself, for smoke tests of the shipped till."""
    app = make_application(argv, services.ui_locale)
    window = MainWindow(services)
    show_on_screen(window, maximised=maximised)
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), window.close)
    try:
        code = app.exec()
    finally:
        window.shutdown()
    log.info("till window exited with %s", code)
    return int(code)
