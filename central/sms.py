"""Text messages to customers' phones (gift cards: "your card is ready", the one-time codes).

``SmsSender`` is the interface: ``send(phone, text)`` with an E.164 phone.  A chain plugs its
SMS gateway in by implementing it.  ``LoggingSmsSender`` is the one shipped: it logs each
message with the phone masked (the text itself, one-time codes included, is logged: it is for
the demo and tests, never a production gateway) and, when ``$KASSA_HUB_SMS_LOG`` names a file,
appends ``{"phone", "text", "at"}`` as one JSON line there, so tests and the demo read the code.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from pos.gift_cards.numbers import masked_phone as masked

log = logging.getLogger(__name__)

SMS_LOG_VARIABLE = "KASSA_HUB_SMS_LOG"


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send ``text`` to the E.164 ``phone``."""
        ...


class LoggingSmsSender:
    """Logs the message (phone masked) and appends it to ``$KASSA_HUB_SMS_LOG`` if set."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = path

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", masked(phone), text)
        path = self._path if self._path is not None else os.environ.get(SMS_LOG_VARIABLE)
        if not path:
            return
        line = json.dumps({"phone": phone, "text": text, "at": datetime.now(timezone.utc).isoformat()},
                          ensure_ascii=False)
        with open(path, "a", encoding="utf-8") as file:
            file.write(line + "\n")


def read_sms_log(path: str | Path) -> list[dict[str, str]]:
    """The messages a ``LoggingSmsSender`` appended to ``path``, oldest first."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]
