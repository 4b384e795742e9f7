"""Serial devices simulated on pseudo-terminals: the till opens a real tty path (through a
symlink, as IT would name /dev/ttyUSB0), the simulator answers on the master side.
Unplugging closes the master; plugging back makes a new pty behind the same symlink."""

from __future__ import annotations

import os
import select
import threading
import tty
from pathlib import Path


class PtyDevice:
    """A pty pair behind ``path`` (a symlink to the slave)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.master = -1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.plug_in()

    def plug_in(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no line editing: bytes pass as they are
        name = os.ttyname(slave)
        os.close(slave)  # the till opens it by name
        if self.path.is_symlink():
            self.path.unlink()
        self.path.symlink_to(name)
        self.master = master
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(master, self._stop), daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def close(self) -> None:
        self.unplug()
        if self.path.is_symlink():
            self.path.unlink()

    def _serve(self, master: int, stop: threading.Event) -> None:
        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 1024)
            except OSError:  # the till closed its side: wait for it to open again
                stop.wait(0.05)
                continue
            self.received(data)

    def received(self, data: bytes) -> None:
        raise NotImplementedError

    def send(self, data: bytes) -> None:
        os.write(self.master, data)


class ScaleSimulator(PtyDevice):
    """A Toledo 8217 scale: answers each ``W`` with ``answer`` (None: stays silent)."""

    def __init__(self, path: Path, answer: bytes | None = b"\x0201234\r") -> None:
        self.answer = answer
        self.requests = 0
        self.heard = bytearray()  # every byte the till sent
        super().__init__(path)

    def weight(self, grams: int) -> None:
        self.answer = b"\x02" + f"{grams:05d}".encode() + b"\r"

    def status(self, bits: int) -> None:
        self.answer = b"\x02?" + bytes([0x40 | bits]) + b"\r"

    def received(self, data: bytes) -> None:
        self.heard.extend(data)
        for byte in data:
            if byte & 0x7F == ord("W"):
                self.requests += 1
                if self.answer is not None:
                    self.send(self.answer)


class ByteRecorder(PtyDevice):
    """A display that only listens: every byte the till sent, in order."""

    def __init__(self, path: Path) -> None:
        self.data = bytearray()
        self.lock = threading.Lock()
        super().__init__(path)

    def received(self, data: bytes) -> None:
        with self.lock:
            self.data.extend(data)

    def taken(self) -> bytes:
        with self.lock:
            return bytes(self.data)
