"""The card terminal protocol's frames (docs/card-terminal-protocol.md): one JSON object per
line, UTF-8, at most ``MAX_FRAME`` bytes with its newline, every message carrying ``"v": 1``.

Shared by the till's adapter (``hardware.card_terminal``) and the emulator
(``hardware.card_terminal_emulator``).  Whatever bytes arrive, reading and decoding either
give a frame or raise ``FrameProblem`` with a plain English reason: never another
exception, never a wait longer than the deadline given.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Any

PROTOCOL_VERSION = 1
MAX_FRAME = 4096  # bytes, the newline included
REQUEST_KINDS = ("pay", "status", "cancel", "refund")
OUTCOMES = ("approved", "declined", "cancelled", "pending", "unknown")
ERROR_CODES = ("bad_request", "unsupported_version", "busy", "amount_mismatch")
MAX_MINOR = 10**15  # no card payment is this large; refused as garbage


class FrameProblem(ValueError):
    """Bytes that are not a frame of this protocol; the text says what was wrong
    (short, to follow "unreadable answer: ")."""


class VersionProblem(FrameProblem):
    """A frame of another protocol version."""


# -- bytes <-> frames ----------------------------------------------------------------------
def encode(message: dict[str, Any]) -> bytes:
    data = json.dumps({"v": PROTOCOL_VERSION, **message}, ensure_ascii=True, separators=(",", ":")).encode() + b"\n"
    if len(data) > MAX_FRAME:
        raise ValueError(f"a frame of {len(data)} bytes is over the {MAX_FRAME}-byte limit")
    return data


def split_frame(buffer: bytes) -> tuple[bytes | None, bytes]:
    """The first whole frame (without its newline) and the bytes after it, or ``None`` and
    the buffer while no newline has come.  Raises ``FrameProblem`` once the frame is too long."""
    end = buffer.find(b"\n", 0, MAX_FRAME)
    if end < 0:
        if len(buffer) >= MAX_FRAME:
            raise FrameProblem(f"longer than {MAX_FRAME} bytes")
        return None, buffer
    return buffer[:end], buffer[end + 1 :]


def read_frame(connection: socket.socket, deadline: float) -> bytes:
    """One frame from ``connection`` before ``deadline`` (``time.monotonic()``).  Raises
    ``TimeoutError`` when the deadline passes, ``FrameProblem`` for a frame too long or a
    connection closed in the middle of a frame or before it, ``OSError`` for the socket."""
    buffer = b""
    while True:
        frame, _rest = split_frame(buffer)
        if frame is not None:
            return frame
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no whole answer before the deadline")
        connection.settimeout(remaining)
        chunk = connection.recv(MAX_FRAME)
        if not chunk:
            raise FrameProblem("the connection closed in the middle of it" if buffer else "the connection closed with nothing sent")
        buffer += chunk


def decode(frame: bytes) -> dict[str, Any]:
    """A frame's JSON object, its version checked."""
    try:
        text = frame.decode("utf-8")
        message = json.loads(text, parse_constant=_refuse_constant, parse_float=_refuse_float)
    except UnicodeDecodeError:
        raise FrameProblem("not UTF-8 text") from None
    except FrameProblem:
        raise
    except (ValueError, RecursionError):
        raise FrameProblem("not JSON") from None
    if not isinstance(message, dict):
        raise FrameProblem("not a JSON object")
    version = message.get("v")
    if version != PROTOCOL_VERSION or isinstance(version, bool):
        raise VersionProblem(f"protocol version {_quoted(version)}, not {PROTOCOL_VERSION}")
    return message


def _refuse_constant(name: str) -> Any:
    raise FrameProblem(f"{name} is not a number this protocol uses")


def _refuse_float(text: str) -> Any:
    raise FrameProblem("a fractional number (amounts are whole minor units)")


# -- fields ---------------------------------------------------------------------------------
def text_field(message: dict[str, Any], name: str, limit: int = 200) -> str:
    value = message.get(name)
    if not isinstance(value, str):
        raise FrameProblem(f"the field {name!r} is missing or not text")
    if len(value) > limit:
        raise FrameProblem(f"the field {name!r} is longer than {limit} characters")
    return value


def whole_field(message: dict[str, Any], name: str) -> int:
    value = message.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < MAX_MINOR:
        raise FrameProblem(f"the field {name!r} is missing or not a positive whole number")
    return value


def payment_id_field(message: dict[str, Any], name: str = "payment_id") -> uuid.UUID:
    text = text_field(message, name, 36)
    try:
        return uuid.UUID(text)
    except ValueError:
        raise FrameProblem(f"the field {name!r} is not a UUID") from None


def choice_field(message: dict[str, Any], name: str, choices: tuple[str, ...]) -> str:
    value = message.get(name)
    if value not in choices or not isinstance(value, str):
        raise FrameProblem(f"the field {name!r} is {_quoted(value)}, not one of {', '.join(choices)}")
    return value


def _quoted(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


# -- requests (what the till sends) ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Request:
    kind: str  # pay, status, cancel, refund
    payment_id: uuid.UUID  # a refund's own id for a refund
    amount_minor: int
    currency: str
    original_payment_id: uuid.UUID | None = None  # refund only: the sale's card payment, if known

    def frame(self) -> bytes:
        message: dict[str, Any] = {
            "type": self.kind, "payment_id": str(self.payment_id),
            "amount_minor": self.amount_minor, "currency": self.currency,
        }
        if self.original_payment_id is not None:
            message["original_payment_id"] = str(self.original_payment_id)
        return encode(message)


def parse_request(message: dict[str, Any]) -> Request:
    kind = choice_field(message, "type", REQUEST_KINDS)
    currency = text_field(message, "currency", 3)
    if len(currency) != 3 or not currency.isascii() or not currency.isupper():
        raise FrameProblem("the field 'currency' is not a three-letter ISO 4217 code")
    original = None
    if kind == "refund" and message.get("original_payment_id") is not None:
        original = payment_id_field(message, "original_payment_id")
    return Request(kind, payment_id_field(message), whole_field(message, "amount_minor"), currency, original)
