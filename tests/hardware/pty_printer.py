"""A serial receipt printer on a pseudo-terminal: pyserial opens the slave side as it would
/dev/ttyUSB0, this reads the master side, records every byte and answers the real-time
status queries (DLE EOT 1-4) from ``state``.  The setting names a symlink, so ``unplug()``
(the master closed, the link gone) and ``plug_in()`` (a new pty behind the same link) are
what a shop does with a USB-serial cable."""

from __future__ import annotations

import os
import select
import threading
from dataclasses import replace
from pathlib import Path

from hardware.printer_status import PrinterStatus, encode


class PtyPrinter:
    def __init__(self, link: Path) -> None:
        self.link = link
        self.state = PrinterStatus(known=True)
        self.silent = False
        self._data = bytearray()
        self._lock = threading.Condition()
        self._master: int | None = None
        self._slave: int | None = None
        self._thread: threading.Thread | None = None

    @property
    def setting(self) -> str:
        return f"serial:{self.link}:19200"

    def plug_in(self) -> PtyPrinter:
        master, slave = os.openpty()
        self._master, self._slave = master, slave
        if self.link.is_symlink() or self.link.exists():
            self.link.unlink()
        self.link.symlink_to(os.ttyname(slave))
        self._thread = threading.Thread(target=self._serve, args=(master,), daemon=True)
        self._thread.start()
        return self

    def unplug(self) -> None:
        master, slave, thread = self._master, self._slave, self._thread
        self._master = self._slave = self._thread = None
        if self.link.is_symlink():
            self.link.unlink()
        for fd in (master, slave):
            if fd is not None:
                os.close(fd)
        if thread is not None:
            thread.join(timeout=2)

    def cover(self, open_: bool) -> None:
        self.state = replace(self.state, cover_open=open_)

    def received(self) -> bytes:
        with self._lock:
            return bytes(self._data)

    def wait_for(self, needle: bytes, timeout: float = 10.0) -> bytes:
        with self._lock:
            if not self._lock.wait_for(lambda: needle in self._data, timeout):
                raise TimeoutError(f"the pty printer received {len(self._data)} bytes, not {needle!r}")
            return bytes(self._data)

    def _serve(self, master: int) -> None:
        pending = b""
        while True:
            try:
                ready, _, _ = select.select([master], [], [], 0.1)
                if not ready:
                    if self._master != master:
                        return
                    continue
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._data += chunk
                self._lock.notify_all()
            data = pending + chunk
            answers = bytearray()
            at = data.find(b"\x10\x04")
            while at != -1 and at + 2 < len(data):
                if 1 <= data[at + 2] <= 4:
                    answers.append(encode(self.state)[data[at + 2] - 1])
                at = data.find(b"\x10\x04", at + 2)
            pending = data[-2:]
            if answers and not self.silent:
                try:
                    os.write(master, bytes(answers))
                except OSError:
                    return
