"""A small TCP proxy between the till and the hub that breaks the link on command:
refuse connections, hold traffic back (delay), or cut a connection right after the
request went through to the hub - so the hub does the work but the answer is lost."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


class Proxy:
    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self.refusing = False
        self.delay = 0.0
        self._cuts = 0
        self.cut_done = threading.Event()
        self.responses_cut = 0
        self._open: set[socket.socket] = set()
        self._closed = False
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    # -- commands ----------------------------------------------------------------------
    def refuse(self, refusing: bool = True) -> None:
        """Refuse (close at once) new connections and drop open ones: the hub is 'down'."""
        self.refusing = refusing
        if refusing:
            self.drop_connections()

    def cut_next_responses(self, count: int = 1) -> None:
        """The next ``count`` answers are not passed on: the connection is cut instead."""
        with self._lock:
            self._cuts = count
            self.cut_done.clear()

    def drop_connections(self) -> None:
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _close(sock)

    def close(self) -> None:
        self._closed = True
        _close(self._server)
        self.drop_connections()

    # -- plumbing ----------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self.refusing:
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, answers: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if self.delay:
                    time.sleep(self.delay)  # a slow link is the point here
                if answers and self._take_cut():
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)

    def _take_cut(self) -> bool:
        with self._lock:
            if self._cuts <= 0:
                return False
            self._cuts -= 1
            self.responses_cut += 1
            if self._cuts == 0:
                self.cut_done.set()
            return True


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@contextmanager
def proxy_to(upstream_url: str) -> Iterator[Proxy]:
    proxy = Proxy(upstream_url)
    try:
        yield proxy
    finally:
        proxy.close()
