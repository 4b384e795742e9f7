"""A serial scanner simulated on a pseudo-terminal: codes arrive whole and in order, a scanner
unplugged (the pty closed) and plugged back (a new pty behind the same path) is read again, and
its state goes waiting -> connected -> waiting -> connected with the reason."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.serial_scanner import ScannerLink, ScannerState, SerialScanner

WAIT = 20.0  # seconds: a safety net only; every wait ends on the event itself


class PtyScanner:
    """A scanner plugged in behind ``path`` (a symlink, as /dev/serial/by-id/... is)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.master = self.slave = -1

    def plug_in(self) -> None:
        self.master, self.slave = os.openpty()
        if self.path.is_symlink():
            self.path.unlink()
        self.path.symlink_to(os.ttyname(self.slave))

    def scan(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        os.close(self.master)
        os.close(self.slave)
        self.path.unlink()


@pytest.fixture
def events(tmp_path: Path) -> Iterator[tuple[PtyScanner, "queue.Queue[object]", SerialScanner]]:
    device = PtyScanner(tmp_path / "scanner")
    got: queue.Queue[object] = queue.Queue()
    scanner = SerialScanner(str(device.path), 9600, b"\r", on_code=got.put, on_state=got.put, retry_seconds=0.05)
    yield device, got, scanner
    scanner.stop()


def next_state(got: "queue.Queue[object]", link: ScannerLink) -> ScannerState:
    while True:
        item = got.get(timeout=WAIT)
        if isinstance(item, ScannerState) and item.link is link:
            return item


def next_code(got: "queue.Queue[object]") -> str:
    while True:
        item = got.get(timeout=WAIT)
        if isinstance(item, str):
            return item


def test_codes_arrive_whole_and_in_order_even_in_pieces(events):
    device, got, scanner = events
    device.plug_in()
    scanner.start()
    next_state(got, ScannerLink.CONNECTED)
    device.scan(b"4820000000017\r96385")
    device.scan(b"074\r]C101048200000000171730123110AB\x1d3103000350\r")
    assert [next_code(got) for _ in range(3)] == [
        "4820000000017", "96385074", "]C101048200000000171730123110AB\x1d3103000350"]


def test_a_scanner_not_plugged_in_is_waited_for_with_the_reason(events):
    device, got, scanner = events
    scanner.start()
    waiting = next_state(got, ScannerLink.WAITING)
    assert waiting.reason == "not plugged in" and waiting.port == str(device.path)
    device.plug_in()
    next_state(got, ScannerLink.CONNECTED)
    device.scan(b"1001\r")
    assert next_code(got) == "1001"


def test_unplugged_and_plugged_back_it_reads_again(events):
    device, got, scanner = events
    device.plug_in()
    scanner.start()
    next_state(got, ScannerLink.CONNECTED)
    device.scan(b"4820000000017\r")
    assert next_code(got) == "4820000000017"
    device.unplug()
    assert next_state(got, ScannerLink.WAITING).reason
    device.plug_in()
    next_state(got, ScannerLink.CONNECTED)
    device.scan(b"96385074\r")
    assert next_code(got) == "96385074"


def test_stop_ends_the_thread_even_while_waiting(events):
    _device, got, scanner = events
    scanner.start()
    next_state(got, ScannerLink.WAITING)
    scanner.stop()
    assert next_state(got, ScannerLink.STOPPED)
    assert not any(t.name == "serial-scanner" and t.is_alive() for t in threading.enumerate())
