"""Driving the till window with real key events, the way a cashier (or a scanner) does."""

from __future__ import annotations

from dataclasses import dataclass

from pos.basket import BasketLine
from ui.main_window import MainWindow
from ui.qt import QDialog, QLineEdit, Qt, QWidget
from ui.services import TillServices

WAIT_MS = 60_000  # a safety net only: every wait is on a condition, never on a clock


@dataclass
class TillDriver:
    qtbot: object
    window: MainWindow

    @classmethod
    def open(cls, qtbot, services: TillServices) -> TillDriver:  # noqa: ANN001
        window = MainWindow(services)
        qtbot.addWidget(window)  # closed at the end of the test, which stops the workers
        window.resize(1280, 800)
        window.show()
        driver = cls(qtbot, window)
        qtbot.waitUntil(lambda: window.started, timeout=WAIT_MS)
        driver.wait_idle()
        return driver

    # -- waiting -----------------------------------------------------------------------
    def wait_idle(self) -> None:
        """Until both workers have run everything asked and their results are shown."""
        self.qtbot.waitUntil(self.window.is_idle, timeout=WAIT_MS)  # type: ignore[attr-defined]

    def wait_until(self, condition) -> None:  # noqa: ANN001
        self.qtbot.waitUntil(condition, timeout=WAIT_MS)  # type: ignore[attr-defined]

    # -- typing ------------------------------------------------------------------------
    def type_into(self, widget: QWidget, text: str) -> None:
        self.qtbot.keyClicks(widget, text)  # type: ignore[attr-defined]

    def press(self, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(widget, key, modifier)  # type: ignore[attr-defined]

    def enter(self, widget: QWidget, text: str = "") -> None:
        if text:
            self.type_into(widget, text)
        self.press(widget, Qt.Key.Key_Return)

    def sign_in(self, cashier: str, pin: str) -> None:
        screen = self.window.sign_in_screen
        self.enter(screen.cashier_field, cashier)
        self.enter(screen.pin_field, pin)
        self.wait_idle()

    @property
    def scan_field(self) -> QLineEdit:
        return self.window.sale_screen.scan_field

    def scan(self, text: str) -> None:
        self.enter(self.scan_field, text)
        self.wait_idle()

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        """A key pressed while the scan field has the keyboard (F-keys, Up/Down, Esc)."""
        self.press(self.scan_field, key, modifier)
        self.wait_idle()

    def open_dialog(self, key: Qt.Key) -> QDialog:
        self.key(key)
        self.wait_until(lambda: self.window.sale_actions.dialog is not None)
        dialog = self.window.sale_actions.dialog
        assert dialog is not None
        return dialog

    # -- reading the screen ------------------------------------------------------------
    @property
    def lines(self) -> tuple[BasketLine, ...]:
        view = self.window.sale_screen.model.view
        return view.lines if view else ()

    def cells(self, row: int) -> tuple[str, ...]:
        return self.window.sale_screen.model.rows[row].cells

    @property
    def total_text(self) -> str:
        return self.window.sale_screen.totals.total_label.text()

    @property
    def message(self) -> str:
        return self.window.sale_screen.message.text()

    @property
    def message_kind(self) -> str:
        return self.window.sale_screen.message.kind

    def selected_row(self) -> int | None:
        return self.window.sale_screen.selected_row()
