"""A barcode scanner on a serial port (RS-232, or USB in "virtual COM port" / CDC mode), through
pyserial, read in its own thread.

The scanner sends each code followed by its terminator (CR by default; LF or CR LF as set on
the scanner).  ``SerialScanner`` opens the port, hands every code to ``on_code`` and says its
state through ``on_state``: connected, or waiting for the scanner with the reason (not
plugged in, unplugged, no permission).  When the scanner is unplugged the read fails; the
thread closes the port and tries again every ``retry_seconds`` until it is back, so plugging it
in again is all it takes.  Both callbacks run on the scanner's thread: the window passes ones
that only hand over to the GUI thread (``ui.scanning.serial``)."""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import serial

log = logging.getLogger(__name__)

MAX_CODE = 512  # bytes without a terminator: noise on the line (a wrong speed), thrown away


class ScannerLink(enum.Enum):
    OPENING = "opening"  # the first try has not answered yet
    CONNECTED = "connected"
    WAITING = "waiting"  # not there (yet, or any more): retrying
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class ScannerState:
    link: ScannerLink
    port: str
    reason: str = ""  # why it is waiting, in the system's words (for the tooltip and the log)


class SerialScanner:
    def __init__(
        self,
        port: str,
        speed: int = 9600,
        terminator: bytes = b"\r",
        *,
        on_code: Callable[[str], None],
        on_state: Callable[[ScannerState], None],
        retry_seconds: float = 1.0,
        read_timeout: float = 0.2,
    ) -> None:
        self.port = port
        self.speed = speed
        self.terminator = terminator
        self.on_code = on_code
        self.on_state = on_state
        self.retry_seconds = retry_seconds
        self.read_timeout = read_timeout
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.state = ScannerState(ScannerLink.OPENING, port)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="serial-scanner", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._say(ScannerState(ScannerLink.STOPPED, self.port))

    def describe(self) -> str:
        return f"serial {self.port} at {self.speed}"

    # -- the thread ------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                line = serial.Serial(self.port, self.speed, timeout=self.read_timeout)
            except (serial.SerialException, OSError, ValueError) as error:
                self._waiting(_reason(error))
                self._stop.wait(self.retry_seconds)
                continue
            try:
                self._say(ScannerState(ScannerLink.CONNECTED, self.port))
                log.info("serial scanner on %s connected", self.port)
                self._read(line)
            except (serial.SerialException, OSError) as error:
                self._waiting(f"unplugged ({_reason(error)})")
                self._stop.wait(self.retry_seconds)
            finally:
                try:
                    line.close()
                except (serial.SerialException, OSError):
                    pass

    def _read(self, line: serial.Serial) -> None:
        """Codes until the line fails; STX/ETX framing some scanners add is dropped."""
        pending = b""
        while not self._stop.is_set():
            chunk = line.read(256)
            if not chunk:
                continue
            pending += chunk
            *codes, pending = pending.split(self.terminator)
            for raw in codes:
                code = raw.decode("latin-1").strip("\r\n\x00\x02\x03 ")
                if code:
                    self.on_code(code)
            if len(pending) > MAX_CODE:
                log.warning("serial scanner on %s: %d bytes with no terminator thrown away (check its speed "
                            "and terminator)", self.port, len(pending))
                pending = b""

    def _waiting(self, reason: str) -> None:
        if self.state.link is not ScannerLink.WAITING or self.state.reason != reason:
            log.warning("serial scanner on %s: %s", self.port, reason)
        self._say(ScannerState(ScannerLink.WAITING, self.port, reason))

    def _say(self, state: ScannerState) -> None:
        changed = state != self.state
        self.state = state
        if changed:
            self.on_state(state)


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if "No such file" in text or "could not open port" in text and "2]" in text:
        return "not plugged in"
    if "Permission denied" in text or "13]" in text:
        return "no permission to open it (add the till's user to the dialout group)"
    return text[:120]
