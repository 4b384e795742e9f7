"""A real fake network printer: a TCP server on 127.0.0.1 that records every byte it is
sent, like a printer on port 9100.  Tests and the end-to-end UI test point an
``EscposReceiptPrinter("network:127.0.0.1:PORT")`` at it.

``switch_off()`` closes the listening socket, so connections are refused like a printer
that is off; ``switch_on()`` listens again on the same port.  ``paper`` makes it answer the
real-time paper status query (DLE EOT 4) as a printer with paper ("ok"), nearly out
("low") or out ("out"); ``None`` never answers, like many network printers.  ``stall()``
makes it accept connections but read nothing, like a jammed printer with a full buffer.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Literal

log = logging.getLogger(__name__)

PAPER_STATUS_QUERY = b"\x10\x04\x04"
PAPER_REPLIES = {"ok": b"\x12", "low": b"\x1e", "out": b"\x72"}
PaperState = Literal["ok", "low", "out"]


class LoopbackPrinter:
    def __init__(self, port: int = 0, *, host: str = "127.0.0.1", paper: PaperState | None = None) -> None:
        self.host = host
        self.port = port
        self.paper = paper
        self._data = bytearray()
        self._connections = 0
        self._changed = threading.Condition()
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stalled = threading.Event()

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
        with connection:
            connection.settimeout(10)
            while True:
                while self._stalled.is_set() and self._server is not None:
                    time.sleep(0.05)  # a jammed printer: nothing is read
                try:
                    chunk = connection.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                if self.paper is not None and PAPER_STATUS_QUERY in chunk:
                    try:
                        connection.sendall(PAPER_REPLIES[self.paper])
                    except OSError:
                        return
                with self._changed:
                    self._data += chunk
                    self._changed.notify_all()
