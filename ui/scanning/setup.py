"""The window's scanners: the keyboard-wedge filter (always) and a serial scanner (with
``[scanner] serial_port``), wired to the sale actions and the status bar."""

from __future__ import annotations

from collections.abc import Callable

from pos.scan_timing import WedgeTiming
from ui.qt import QObject, QWidget, qconnect
from ui.scanning.serial import SerialScannerWatch
from ui.scanning.wedge import WedgeFilter, monotonic_ms
from ui.services import TillServices


class Scanning(QObject):
    def __init__(
        self,
        services: TillServices,
        actions: object,
        show_state: Callable[[object], None],
        parent: QWidget,
        clock: Callable[[], float] = monotonic_ms,
    ) -> None:
        super().__init__(parent)
        timing = getattr(services, "wedge_timing", None) or WedgeTiming()
        self.wedge = WedgeFilter(actions.scan_may_come_from, timing, clock, self)  # type: ignore[attr-defined]
        qconnect(self.wedge.scanned, actions.scanned_anywhere)  # type: ignore[attr-defined]
        self.wedge.install()
        self.serial: SerialScannerWatch | None = None
        scanner = getattr(services, "serial_scanner", None)
        if scanner is not None:
            self.serial = SerialScannerWatch(scanner, self)
            qconnect(self.serial.code_read, actions.scanned_by_serial)  # type: ignore[attr-defined]
            qconnect(self.serial.state_changed, show_state)
            show_state(scanner.state)
            self.serial.start()

    def stop(self) -> None:
        self.wedge.remove()
        if self.serial is not None:
            self.serial.stop()
