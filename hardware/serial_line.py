"""A serial device's port as the till holds it: opened on first use, dropped on any failure
(so a device unplugged and plugged back is opened afresh next time), one caller at a time."""

from __future__ import annotations

import threading
from typing import Any


class SerialLine:
    def __init__(self) -> None:
        self._serial: Any = None  # a serial.Serial while open
        self._lock = threading.Lock()

    def _drop(self) -> None:
        line, self._serial = self._serial, None
        if line is not None:
            try:
                line.close()
            except (OSError, ValueError):
                pass

    def close(self) -> None:
        with self._lock:
            self._drop()
