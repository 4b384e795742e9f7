"""Tryton's JSON-RPC values: dates, times, Decimals and bytes travel as ``{"__class__": ...}``
objects (trytond.protocols.jsonrpc), both ways."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    if isinstance(value, datetime):
        return {"__class__": "datetime", "year": value.year, "month": value.month, "day": value.day,
                "hour": value.hour, "minute": value.minute, "second": value.second,
                "microsecond": value.microsecond}
    if isinstance(value, date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    if isinstance(value, time):
        return {"__class__": "time", "hour": value.hour, "minute": value.minute, "second": value.second,
                "microsecond": value.microsecond}
    if isinstance(value, timedelta):
        return {"__class__": "timedelta", "seconds": value.total_seconds()}
    if isinstance(value, (bytes, bytearray)):
        return {"__class__": "bytes", "base64": base64.b64encode(value).decode()}
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} cannot go to Tryton")


def _hook(obj: dict[str, Any]) -> Any:
    kind = obj.get("__class__")
    if kind == "Decimal":
        return Decimal(obj["decimal"])
    if kind == "datetime":
        return datetime(obj["year"], obj["month"], obj["day"], obj["hour"], obj["minute"], obj["second"],
                        obj["microsecond"])
    if kind == "date":
        return date(obj["year"], obj["month"], obj["day"])
    if kind == "time":
        return time(obj["hour"], obj["minute"], obj["second"], obj["microsecond"])
    if kind == "timedelta":
        return timedelta(seconds=obj["seconds"])
    if kind == "bytes":
        return base64.b64decode(obj["base64"])
    return obj


def encode(value: Any) -> str:
    return json.dumps(value, default=_default, separators=(",", ":"))


def decode(text: str) -> Any:
    return json.loads(text, object_hook=_hook)
