"""A misbehaving card terminal on loopback: it reads whatever the till sends and answers with
the bytes a function makes of it (garbage, card numbers, answers about another payment...)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

Answer = Callable[[bytes], bytes]


class RawCardTerminal:
    def __init__(self, answer: Answer, *, pause: float = 0.0) -> None:
        self.answer = answer
        self.pause = pause  # seconds between the answer's bytes (0: all at once)
        self.requests: list[bytes] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.port = self._server.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RawCardTerminal:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self._server.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                try:
                    request = self._read_line(connection)
                    self.requests.append(request)
                    reply = self.answer(request)
                    if not self.pause:
                        connection.sendall(reply)
                        continue
                    for byte in reply:
                        if self._stopping.wait(self.pause):
                            return
                        connection.sendall(bytes([byte]))
                except OSError:
                    continue

    @staticmethod
    def _read_line(connection: socket.socket) -> bytes:
        data = b""
        while b"\n" not in data:
            chunk = connection.recv(4096)
            if not chunk:
                break
            data += chunk
        return data
