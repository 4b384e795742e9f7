"""An HTTP proxy in front of a real hub that fails every sale batch holding a "poison" sale:
the hub itself never hears of such a batch, the till gets what the test set (a 500, a
body that is not what its headers say, a 413).  Every other request goes through to the
hub unchanged, and its answer back.  The proxy keeps, in order, the receipts of each batch
the hub answered 200 to, and can fail every batch (a hub whose sales intake is broken) or
every request (a hub that fails everything, heartbeats too)."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

INTERNAL_ERROR = (500, {"Content-Type": "application/json"},
                  b'{"error": "internal", "detail": "the hub failed; the request was not applied"}')
NOT_GZIP = (200, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, b"this is not gzip at all")
TOO_LARGE = (413, {"Content-Type": "application/json"}, b'{"error": "too_large", "detail": "request too large"}')

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class PoisonProxy:
    upstream: tuple[str, int]
    url: str = ""
    poison: set[str] = field(default_factory=set)  # sale_ids whose batches are failed
    answer: Answer = INTERNAL_ERROR
    fail_every_batch: bool = False
    fail_everything: bool = False
    poisoned: int = 0  # batches failed on purpose
    failed_heartbeats: int = 0
    stored_batches: list[list[int]] = field(default_factory=list)  # receipts of batches the hub answered 200
    sizes: list[int] = field(default_factory=list)  # sales per batch request, every one
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        batch = path.startswith("/v1/sales/batch")
        sales = json.loads(body)["sales"] if batch and body else []
        with self.lock:
            if batch:
                self.sizes.append(len(sales))
            if self.fail_everything or batch and (
                    self.fail_every_batch or any(item["sale"]["sale_id"] in self.poison for item in sales)):
                self.poisoned += batch
                self.failed_heartbeats += path.startswith("/v1/heartbeat")
                return self.answer
        status, answer_headers, answer = self._forward(method, path, headers, body)
        if batch and status == 200:
            with self.lock:
                self.stored_batches.append([int(item["seq"]) for item in sales])
        return status, answer_headers, answer

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            sent = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection", "accept-encoding")}
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            answer = response.read()
            kept = {k: v for k, v in response.getheaders()
                    if k.lower() not in ("content-length", "transfer-encoding", "connection")}
            return response.status, kept, answer
        finally:
            connection.close()

    def stored_in_order(self) -> list[int]:
        with self.lock:
            return [seq for batch in self.stored_batches for seq in batch]


@contextmanager
def poison_proxy(upstream_url: str) -> Iterator[PoisonProxy]:
    parts = urlsplit(upstream_url)
    proxy = PoisonProxy((parts.hostname or "127.0.0.1", parts.port or 80))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, answer = proxy.handle(self.command, self.path, dict(self.headers.items()), body)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = _any  # noqa: N815

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="poison-proxy", daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
