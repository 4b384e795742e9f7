"""A real fake network printer: a TCP server on 127.0.0.1 that records every byte it is
sent, like a printer on port 9100.  Tests, ``kassa printer test --demo`` and the end-to-end
UI test point an ``EscposReceiptPrinter("network:127.0.0.1:PORT")`` at it.

It answers the real-time status queries (DLE EOT 1-4, ``hardware.printer_status``) from
``state``, a ``PrinterStatus`` a test may change at any time (``paper``, ``cover_open``...
set the common ones), like an Epson printer does, wherever the query is in the stream.
Faults a shop meets:

- ``switch_off()`` / ``switch_on()``: connections refused, then accepted again on the same port;
- ``silent = True``: never answers a status query, like many network printers;
- ``stall()`` / ``resume()``: accepts connections but reads nothing (a jammed printer, a
  cable pulled with the connection still up): the sender blocks once the buffers are full;
- ``unplug_after(n)``: the next receipt's connection is dropped after ``n`` bytes of it;
- ``go_silent_after(n)``: the next connection goes silent after ``n`` bytes: nothing more is
  read or answered on it (a cable pulled with the connection still up);
- ``paper_out_after(n)``: the roll ends after ``n`` more bytes (later status says so);
- ``bytes_per_second``: a slow printer that takes its time to read a receipt.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Literal

from hardware.printer_status import PrinterStatus, encode

log = logging.getLogger(__name__)

DLE, EOT = 0x10, 0x04
PaperState = Literal["ok", "low", "out"]


class LoopbackPrinter:
    def __init__(self, port: int = 0, *, host: str = "127.0.0.1", paper: PaperState | None = None) -> None:
        self.host = host
        self.port = port
        self.state = PrinterStatus(known=True)
        self.silent = False
        if paper is not None:
            self.paper = paper
        self._data = bytearray()
        self._connections = 0
        self._changed = threading.Condition()
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stalled = threading.Event()
        self._unplug_after: int | None = None
        self._silent_after: int | None = None
        self._paper_left: int | None = None
        self.bytes_per_second: float | None = None

    # -- the printer's state ---------------------------------------------------------------
    @property
    def paper(self) -> PaperState:
        return "out" if self.state.paper_out else "low" if self.state.paper_low else "ok"

    @paper.setter
    def paper(self, value: PaperState) -> None:
        self.state = replace(self.state, paper_out=value == "out", paper_low=value in ("low", "out"))

    @property
    def cover_open(self) -> bool:
        return self.state.cover_open

    @cover_open.setter
    def cover_open(self, value: bool) -> None:
        self.state = replace(self.state, cover_open=value)

    def unplug_after(self, count: int) -> None:
        """Drop the next connection after ``count`` bytes of receipt (status queries aside)."""
        self._unplug_after = count

    def go_silent_after(self, count: int) -> None:
        """The next connection reads and answers nothing more after ``count`` bytes."""
        self._silent_after = count

    def paper_out_after(self, count: int) -> None:
        self._paper_left = count

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> LoopbackPrinter:
        if self._server is not None:
            return self
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.host, self.port))
        server.listen(8)
        server.settimeout(0.1)  # lets the accept loop notice stop()
        self.port = server.getsockname()[1]
        self._server = server
        self._thread = threading.Thread(target=self._serve, args=(server,), name=f"loopback-printer-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.close()
        if thread is not None:
            thread.join(timeout=2)

    def switch_off(self) -> None:
        """Stop listening: connections are refused, as by a printer that is off."""
        self.stop()

    def switch_on(self) -> None:
        self.start()

    def stall(self) -> None:
        """Accept connections but read nothing: senders block once the buffers are full."""
        self._stalled.set()

    def resume(self) -> None:
        self._stalled.clear()

    def __enter__(self) -> LoopbackPrinter:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def setting(self) -> str:
        """The printer setting that reaches this printer."""
        return f"network:{self.host}:{self.port}"

    # -- what was printed ------------------------------------------------------------------
    def received(self) -> bytes:
        with self._changed:
            return bytes(self._data)

    @property
    def connections(self) -> int:
        with self._changed:
            return self._connections

    def clear(self) -> None:
        with self._changed:
            self._data.clear()

    def wait_for(self, condition: int | bytes | Callable[[bytes], bool], timeout: float = 5.0) -> bytes:
        """Wait until at least N bytes arrived, a byte string arrived, or ``condition(data)``
        holds; returns the bytes received.  Raises ``TimeoutError`` if that does not happen."""
        if isinstance(condition, int):
            count = condition
            predicate: Callable[[bytes], bool] = lambda data: len(data) >= count
        elif isinstance(condition, bytes):
            needle = condition
            predicate = lambda data: needle in data
        else:
            predicate = condition
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(bytes(self._data)), timeout):
                raise TimeoutError(f"the loopback printer received {len(self._data)} bytes, not what was awaited")
            return bytes(self._data)

    # -- the server --------------------------------------------------------------------------
    def _serve(self, server: socket.socket) -> None:
        while True:
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:  # the listening socket was closed: switched off
                return
            with self._changed:
                self._connections += 1
            threading.Thread(target=self._receive, args=(connection,), daemon=True).start()

    def _receive(self, connection: socket.socket) -> None:
        unplug_after, self._unplug_after = self._unplug_after, None
        silent_after, self._silent_after = self._silent_after, None
        received = 0
        pending = b""  # the end of the last chunk, in case a query was split
        with connection:
            connection.settimeout(10)
            while True:
                while self._stalled.is_set() and self._server is not None:
                    time.sleep(0.05)  # a jammed printer: nothing is read
                size = 65536 if not self.bytes_per_second else max(1, int(self.bytes_per_second / 20))
                try:
                    chunk = connection.recv(size)
                except OSError:
                    return
                if not chunk:
                    return
                if self.bytes_per_second:
                    time.sleep(len(chunk) / self.bytes_per_second)
                if unplug_after is not None and received + len(chunk) > unplug_after:
                    chunk = chunk[: max(0, unplug_after - received)]
                    self._keep(chunk)
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return  # pulled out: the connection is reset
                if silent_after is not None and received + len(chunk) > silent_after:
                    self._keep(chunk[: max(0, silent_after - received)])
                    while self._server is not None:
                        time.sleep(0.05)  # silent: nothing more is read or answered here
                    return
                received += len(chunk)
                self._use_paper(chunk)
                self._keep(chunk)  # before answering: whoever hears the answer finds the query received
                answers, pending = self._answers(pending + chunk)
                if answers and not self.silent:
                    try:
                        connection.sendall(answers)
                    except OSError:
                        return

    def _answers(self, data: bytes) -> tuple[bytes, bytes]:
        """The answers to every DLE EOT n in ``data``, and the bytes to keep for the next chunk."""
        answers = bytearray()
        reply = encode(self.state)
        at = data.find(bytes([DLE, EOT]))
        while at != -1 and at + 2 < len(data):
            n = data[at + 2]
            if 1 <= n <= 4:
                answers.append(reply[n - 1])
            at = data.find(bytes([DLE, EOT]), at + 2)
        return bytes(answers), data[-2:]  # a query split between two chunks is found next time

    def _use_paper(self, chunk: bytes) -> None:
        if self._paper_left is None:
            return
        self._paper_left -= len(chunk)
        if self._paper_left <= 0:
            self._paper_left = None
            self.paper = "out"

    def _keep(self, chunk: bytes) -> None:
        with self._changed:
            self._data += chunk
            self._changed.notify_all()
