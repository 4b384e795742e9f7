"""A loopback TCP server that answers each HTTP request with exactly the bytes a test set:
any status line, headers (a ``Content-Encoding`` the body does not follow, broken chunked
framing, a NUL in a value, a wrong ``Content-Length``) and body.  It reads the whole
request first (so the client never sees its own request cut), sends the answer, and
closes the connection, so the client never waits on a timeout."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.sync.proxy import read_request


class ScriptedHub:
    def __init__(self) -> None:
        self.answer = b"HTTP/1.1 500 Nothing set\r\nContent-Length: 0\r\n\r\n"
        self.requests = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._closed = False
        threading.Thread(target=self._accept, name="scripted-hub", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client, self.answer), daemon=True).start()

    def _serve(self, client: socket.socket, answer: bytes) -> None:
        try:
            client.settimeout(30)
            if read_request(client) is not None:
                self.requests += 1
                client.sendall(answer)
                client.shutdown(socket.SHUT_WR)
                while client.recv(65536):  # let the client read all of it before the close
                    pass
        except OSError:
            pass
        finally:
            client.close()

    def close(self) -> None:
        self._closed = True
        self._server.close()


def http_answer(status: int | bytes, headers: list[tuple[bytes, bytes]], body: bytes, *,
                content_length: bool = True) -> bytes:
    """An answer's bytes; ``status`` may be a whole (odd) status line."""
    line = status if isinstance(status, bytes) else f"HTTP/1.1 {status} Scripted".encode()
    head = [line, *(name + b": " + value for name, value in headers)]
    if content_length:
        head.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(head) + b"\r\n\r\n" + body


@contextmanager
def scripted_hub() -> Iterator[ScriptedHub]:
    hub = ScriptedHub()
    try:
        yield hub
    finally:
        hub.close()
