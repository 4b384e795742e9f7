"""A serial scanner's codes and state, handed from its thread to the GUI thread as signals."""

from __future__ import annotations

from hardware.serial_scanner import ScannerLink, ScannerState, SerialScanner
from pos.i18n import _
from ui.qt import QObject, Signal


class SerialScannerWatch(QObject):
    code_read = Signal(str)
    state_changed = Signal(object)  # ScannerState

    def __init__(self, scanner: SerialScanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scanner = scanner
        scanner.on_code = self.code_read.emit  # emitted on the scanner's thread: queued to the GUI thread
        scanner.on_state = self.state_changed.emit

    def start(self) -> None:
        self.scanner.start()

    def stop(self) -> None:
        self.scanner.stop()


def scanner_words(state: ScannerState) -> str:
    """The scanner's state in the status bar, in plain words."""
    if state.link is ScannerLink.CONNECTED:
        return _("Scanner ready")
    if state.link is ScannerLink.STOPPED:
        return _("Scanner off")
    if state.link is ScannerLink.OPENING:
        return _("Scanner: connecting…")
    return _("Scanner not connected: check its cable")
