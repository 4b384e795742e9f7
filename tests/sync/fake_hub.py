"""A tiny HTTP server that answers dataset pulls with whatever bytes a test sets: for
answers the real hub never sends (malformed, truncated, oversized, off-schema)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def page(dataset: str, items: list[dict[str, Any]], cursor: int, more: bool = False) -> bytes:
    return json.dumps({"dataset": dataset, "items": items, "cursor": str(cursor), "more": more,
                       "snapshot": str(cursor)}).encode()


class FakeHub:
    def __init__(self) -> None:
        self.answers: dict[str, bytes] = {}  # dataset -> body; missing datasets answer an empty page
        self.truncate: set[str] = set()  # datasets whose answer is cut short of its Content-Length
        self.requests: list[str] = []

    def answer(self, dataset: str, after: str) -> tuple[bytes, bool]:
        """The set body, unless the till already has it (its cursor is not past ``after``)."""
        body = self.answers.get(dataset)
        if body is None or _cursor(body) <= int(after or 0):
            body = page(dataset, [], int(after or 0))
        return body, dataset in self.truncate


def _cursor(body: bytes) -> int:
    try:
        return int(json.loads(body)["cursor"])
    except (ValueError, KeyError, TypeError):
        return 1 << 62  # a broken body is always served


@contextmanager
def fake_hub() -> Iterator[tuple[str, FakeHub]]:
    hub = FakeHub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            hub.requests.append(self.path)
            dataset = parts.path.rsplit("/", 1)[-1]
            body, truncated = hub.answer(dataset, parse_qs(parts.query).get("after", ["0"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + (100 if truncated else 0)))
            self.end_headers()
            self.wfile.write(body)
            if truncated:
                self.close_connection = True

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hub
    finally:
        server.shutdown()
        server.server_close()
