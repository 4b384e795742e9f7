"""A small TCP proxy between the till and the hub that breaks the link on command:
refuse connections, hold traffic back (delay), cut a connection right after the
request went through to the hub - so the hub does the work but the answer is lost -,
hold the next answers back (a slow hub), cut a request part-way through its body (the
hub never sees it whole), or answer requests itself (an HTTP error from "the hub"
without the hub hearing of them).  ``fail_requests`` makes a link that fails a share of its
requests, one request per connection, each failing in one of three ways."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
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
        self._answer_delays: list[float] = []
        self._request_cuts: list[int] = []
        self.requests_cut = 0
        self._canned: list[bytes] = []
        self.canned_answers = 0
        self.forwarded_up = 0  # bytes passed on to the hub, all connections together
        self._moved = threading.Condition(self._lock)
        self._released = threading.Event()  # set on close: delayed answers go at once
        self._open: set[socket.socket] = set()
        self._closed = False
        self._failing: tuple[float, random.Random, frozenset[int]] | None = None
        self.requests_seen = 0  # while fail_requests is on
        self.requests_failed: dict[str, int] = {"answered 503": 0, "cut before the hub": 0, "answer lost": 0}
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

    def delay_next_answers(self, count: int, seconds: float) -> None:
        """The next ``count`` answers reach the till ``seconds`` late (a slow hub): the hub
        has done the work, the till waits."""
        with self._lock:
            self._answer_delays = [seconds] * count

    def cut_next_requests(self, count: int = 1, after_bytes: int = 1024) -> None:
        """The next ``count`` requests are cut after their first ``after_bytes`` bytes went
        to the hub: headers and part of the body, never the whole of it."""
        with self._lock:
            self._request_cuts = [after_bytes] * count

    def answer_next_requests(self, count: int, status: int = 500, body: bytes = b"") -> None:
        """The next ``count`` requests are answered by the proxy with ``status`` (one
        request per connection, then closed) and never reach the hub.  Open connections are
        dropped so that the next requests come on new ones."""
        body = body or b'{"error": "internal", "detail": "injected by the test proxy"}'
        answer = (f"HTTP/1.1 {status} Injected\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode("ascii") + body
        with self._lock:
            self._canned = [answer] * count
        self.drop_connections()

    def fail_requests(self, rate: float, *, seed: int = 0, numbers: frozenset[int] = frozenset()) -> None:
        """From now on every request goes on a connection of its own (``Connection: close``)
        and fails with probability ``rate`` (a seeded draw), or when its number (0, 1, 2...) is
        in ``numbers``: answered 503 by the proxy, cut before it reaches the hub, or passed to
        the hub and its answer lost (a third each).  ``rate=0`` with no ``numbers`` passes all."""
        with self._lock:
            self._failing = (rate, random.Random(seed), frozenset(numbers))
        self.drop_connections()

    @property
    def failed(self) -> int:
        with self._lock:
            return sum(self.requests_failed.values())

    def wait_forwarded(self, at_least: int, timeout: float) -> bool:
        """Until ``at_least`` bytes in all went to the hub (False if ``timeout`` passed first)."""
        with self._moved:
            return self._moved.wait_for(lambda: self.forwarded_up >= at_least, timeout)

    def drop_connections(self) -> None:
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _close(sock)

    def close(self) -> None:
        self._closed = True
        self._released.set()
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
            if self._failing is not None:
                threading.Thread(target=self._one_request, args=(client,), daemon=True).start()
                continue
            canned = self._take(self._canned)
            if canned is not None:
                threading.Thread(target=self._answer_itself, args=(client, canned), daemon=True).start()
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
        budget: int | None = None  # bytes of this request still let through before a cut
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if self.delay:
                    time.sleep(self.delay)  # a slow link is the point here
                if answers:
                    if self._take_cut():
                        break
                    hold = self._take(self._answer_delays)
                    if hold is not None:
                        self._released.wait(hold)  # a slow hub is the point here
                else:
                    if budget is None:
                        budget = self._take(self._request_cuts)
                        if budget is not None:
                            with self._lock:
                                self.requests_cut += 1
                    if budget is not None:
                        data, budget = data[:budget], budget - len(data[:budget])
                target.sendall(data)
                if not answers:
                    with self._moved:
                        self.forwarded_up += len(data)
                        self._moved.notify_all()
                    if budget is not None and budget <= 0:
                        break  # the rest of the request never reaches the hub
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)

    def _one_request(self, client: socket.socket) -> None:
        """Read one request, then fail it or pass it to the hub on a connection of its own."""
        upstream: socket.socket | None = None
        try:
            client.settimeout(10)
            request = read_request(client)
            if request is None:
                return
            head, body = request
            with self._lock:
                assert self._failing is not None
                rate, draw, numbers = self._failing
                fails = self.requests_seen in numbers or draw.random() < rate
                how = draw.choice(list(self.requests_failed))
                self.requests_seen += 1
                if fails:
                    self.requests_failed[how] += 1
            if fails and how == "answered 503":
                body503 = b'{"error": "unavailable", "detail": "injected by the test proxy"}'
                client.sendall(b"HTTP/1.1 503 Injected\r\nContent-Type: application/json\r\nContent-Length: "
                               + str(len(body503)).encode() + b"\r\nConnection: close\r\n\r\n" + body503)
                return
            if fails and how == "cut before the hub":
                return
            lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
            upstream = socket.create_connection(self.upstream, timeout=10)
            upstream.sendall(b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + body)
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                if not fails:  # an answer lost: the hub did the work, the till hears nothing
                    client.sendall(data)
        except OSError:
            pass
        finally:
            if upstream is not None:
                _close(upstream)
            _close(client)

    def _answer_itself(self, client: socket.socket, answer: bytes) -> None:
        """Read one whole request (headers, then Content-Length bytes), send ``answer``, close."""
        try:
            client.settimeout(10)
            if read_request(client) is None:
                return
            client.sendall(answer)
            with self._lock:
                self.canned_answers += 1
        except OSError:
            pass
        finally:
            _close(client)

    def _take(self, armed: list) -> Any:  # type: ignore[type-arg]
        with self._lock:
            return armed.pop(0) if armed else None

    def _take_cut(self) -> bool:
        with self._lock:
            if self._cuts <= 0:
                return False
            self._cuts -= 1
            self.responses_cut += 1
            if self._cuts == 0:
                self.cut_done.set()
            return True


def read_request(client: socket.socket) -> tuple[bytes, bytes] | None:
    """One whole request from ``client``: its head (without the blank line) and its body
    (Content-Length bytes); None if the connection closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head, body


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
