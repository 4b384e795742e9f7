"""The window's scanners: the keyboard-wedge filter (always) and a serial scanner (with
``[scanner] serial_port``), wired to the sale actions and the status bar."""

from __future__ import annotations

from collections.abc import Callable

from hardware.serial_scanner import ScannerState
from pos.scan_timing import WedgeTiming
from ui.qt import QObject, QWidget, qconnect
from ui.sale_actions import SaleActions
from ui.scanning.serial import SerialScannerWatch
from ui.scanning.wedge import WedgeFilter, monotonic_ms
from ui.services import TillServices


class Scanning(QObject):
    def __init__(
        self,
        services: TillServices,
        actions: SaleActions,
        show_state: Callable[[ScannerState], None],
        parent: QWidget,
        clock: Callable[[], float] = monotonic_ms,
    ) -> None:
        super().__init__(parent)
        timing = getattr(services, "wedge_timing", None) or WedgeTiming()
        self.wedge = WedgeFilter(actions.scan_may_come_from, timing, clock, self)
        qconnect(self.wedge.scanned, actions.scanned_anywhere)
        self.wedge.install()
        self.serial: SerialScannerWatch | None = None
        scanner = getattr(services, "serial_scanner", None)
        if scanner is not None:
            self.serial = SerialScannerWatch(scanner, self)
            qconnect(self.serial.code_read, actions.scanned_by_serial)
            qconnect(self.serial.state_changed, show_state)
            show_state(scanner.state)
            self.serial.start()

    def stop(self) -> None:
        self.wedge.remove()
        if self.serial is not None:
            self.serial.stop()
