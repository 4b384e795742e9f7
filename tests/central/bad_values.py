"""Edge values that once made the hub answer 500, and a way to send them: JSON text
written by hand, so a lone surrogate goes as its escape ("\\ud800") and NaN as NaN,
exactly as an outside fuzzer sends them (an HTTP client's json= would refuse both)."""

from __future__ import annotations

import copy
import json
from typing import Any

from fastapi.testclient import TestClient

from pos.codec import sale_to_dict
from pos.sale import Sale

BIG = 2**63  # one past BIGINT
CALENDAR_END = "9999-12-31T23:59:59-23:59"  # overflows when converted to UTC
CALENDAR_START = "0001-01-01T00:00:00+23:59"  # underflows


def raw_json(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=True, allow_nan=True).encode("ascii")


def post_raw(client: Any, url: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.post(url, content=raw_json(body), headers={**(headers or {}), "Content-Type": "application/json"})


def document(sale: Sale) -> dict[str, Any]:
    return copy.deepcopy(sale_to_dict(sale))


def set_at(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """``doc`` with the leaf at a dotted path (``lines.0.name``) replaced (or added)."""
    parts = path.split(".")
    target: Any = doc
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return doc


def push_raw(client: TestClient, auth: dict[str, str], items: list[tuple[Any, Any]]) -> Any:
    return post_raw(client, "/v1/sales/batch", {"sales": [{"seq": seq, "sale": sale} for seq, sale in items]}, auth)
