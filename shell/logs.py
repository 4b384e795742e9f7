"""The log every ``kassa`` command writes, and what it never holds.

Where: ``KASSA_LOG_DIR`` if set; else beside the database when ``KASSA_DATA_DIR`` names
the data folder (a till kept in one folder, the tests); else the platform's log folder
(``platformdirs.user_log_dir("kassa")``: ``~/.local/state/kassa/log`` on Linux,
``%LOCALAPPDATA%\\kassa\\Logs`` on Windows).  The demo logs into its own folder.

What: ``kassa.log``, one JSON object a line (``LOG_FIELDS``: time in UTC ISO 8601, level,
logger, thread, message, exception text when there is one, and any ``extra=`` fields),
rotated at 5 MB with 5 older files kept (``kassa.log.1`` ... ``.5``: at most 30 MB, weeks
of a busy till's INFO lines).  Files 0600 in a 0700 folder (they name cashiers and amounts).
The terminal gets one clear line (``kassa: ...``), the file keeps the traceback.

Never: a secret.  Every record passes ``redact`` before any handler writes it: values
registered with ``never_log`` (the hub credential when it is loaded, an enrolment code when
it is read), ``Authorization``/``Bearer`` values, ``pin=...``-like pairs, hub credentials
(``kt1.…``), enrolment codes (``XXXX-XXXX-XXXX``), PIN hashes (``$argon2id$…``, which a
database error may quote) and anything that looks like a card number
(13 to 19 digits passing the Luhn check; a 13- or 14-digit product barcode with a valid GTIN
check digit is kept: barcodes are the till's everyday data).
"""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
import os
import re
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

from local_db.private_files import private_folder, private_opener, tighten_files

LOG_DIR_VARIABLE = "KASSA_LOG_DIR"
LOG_FILE = "kassa.log"
MAX_BYTES = 5_000_000
BACKUP_COUNT = 5
LOG_FIELDS = ("time", "level", "logger", "thread", "message", "exception")
REMOVED = "<removed>"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words and numbers everywhere


def default_log_folder() -> Path:
    """``KASSA_LOG_DIR``; else ``KASSA_DATA_DIR`` (a till kept in one folder); else the platform's log folder."""
    chosen = os.environ.get(LOG_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    from local_db.database import DATA_DIR_VARIABLE

    data = os.environ.get(DATA_DIR_VARIABLE)
    if data:
        return Path(data)
    import platformdirs

    return Path(platformdirs.user_log_dir("kassa", appauthor=False))


def log_files(directory: Path) -> list[Path]:
    """The log and its rotated files in ``directory``, newest first."""
    found = [p for p in directory.glob(LOG_FILE + "*") if p.is_file() and _is_log_name(p.name)]
    return sorted(found, key=lambda p: int(p.name.rpartition(".")[2]) if p.name != LOG_FILE else 0)


def _is_log_name(name: str) -> bool:
    suffix = name.removeprefix(LOG_FILE)
    return suffix == "" or (suffix.startswith(".") and suffix[1:].isdigit())


# -- what is never written -------------------------------------------------------------
_never: set[str] = set()
_never_lock = threading.Lock()


def never_log(value: str | None) -> None:
    """From now on ``value`` (a credential, an enrolment code) is replaced by ``<removed>``
    wherever a log record would hold it.  Values under 4 characters are ignored."""
    if not value:
        return
    variants = {value, value.strip()}
    with _never_lock:
        _never.update(v for v in variants if len(v) >= MIN_SECRET_LENGTH)


_KEYS = r"pin|pin_?code|password|passwd|passphrase|secret|credential|token|api_?key|enrol+ment_?code"
_COLON_KEYS = r"pin|pin_?code|password|passwd|passphrase|api_?key|enrol+ment_?code"  # not 'credential: <prose>'
_VALUE = r"[^\s\"',;&}]+"
_KEY_HINTS = ("pin", "pass", "secret", "credential", "token", "api", "enrol")
_PATTERNS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    # Authorization: Bearer kt1.x.y / "authorization": "Basic abc"
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:(?:bearer|basic|token)\s+)?" + _VALUE), r"\1" + REMOVED,
     ("authorization",)),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + REMOVED, ("bearer",)),
    # pin=1234, token = abc, "pin": "1234", {'secret': 'x'}, password: x, enrolment_code: ABCD-...
    (re.compile(rf"(?i)\b({_KEYS})(\s*=\s*[\"']?){_VALUE}"), r"\1\2" + REMOVED, _KEY_HINTS),
    (re.compile(rf"(?i)([\"'](?:{_KEYS})[\"']\s*:\s*[\"']?){_VALUE}"), r"\1" + REMOVED, _KEY_HINTS),
    (re.compile(rf"(?i)\b({_COLON_KEYS})(\s*:\s*[\"']?){_VALUE}"), r"\1\2" + REMOVED, _KEY_HINTS),
    (re.compile(r"\bkt1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"), "kt1." + REMOVED, ("kt1.",)),
    # a PIN hash quoted by a database error's parameters: a 4-digit PIN is found from it in minutes
    (re.compile(r"\$argon2(?:id|i|d)\$[A-Za-z0-9$=,+/.-]+"), REMOVED, ("$argon2",)),
    (re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b"), REMOVED, ("-",)),
)
_DIGIT_RUN = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,}(?![\d])")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _gtin_valid(digits: str) -> bool:
    body, check = digits[:-1], int(digits[-1])
    weighted = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - weighted % 10) % 10 == check


def _cards(match: re.Match[str]) -> str:
    """Every run of whole groups holding 13 to 19 digits that pass the Luhn check is removed
    ("receipt 5 4111 1111 1111 1111": the card after the 5 too).  A single group of 13 or 14
    digits with a valid GTIN check digit is a product barcode and stays."""
    parts = re.split(r"([ -])", match.group(0))
    groups = parts[0::2]
    hit = [False] * len(groups)
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and luhn_valid(digits) and not (
                    first == last and len(digits) in (13, 14) and _gtin_valid(digits)):
                hit[first:last + 1] = [True] * (last - first + 1)
    if not any(hit):
        return match.group(0)
    out: list[str] = []
    for index, group in enumerate(groups):
        if hit[index] and index and hit[index - 1]:
            continue  # the card's next group: already replaced
        if index:
            out.append(parts[2 * index - 1])
        out.append("<card number removed>" if hit[index] else group)
    return "".join(out)


def redact(text: str) -> str:
    """``text`` without registered secrets, credentials, PINs, enrolment codes and card numbers."""
    if not text:
        return text
    with _never_lock:
        registered = sorted(_never, key=len, reverse=True)
    for value in registered:
        if value in text:
            text = text.replace(value, REMOVED)
    lowered = text.lower()
    for pattern, replacement, hints in _PATTERNS:
        if any(hint in lowered for hint in hints):  # most lines hold none of the words: no regex runs
            text = pattern.sub(replacement, text)
    return _DIGIT_RUN.sub(_cards, text)


_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


def _redacted_value(value: Any, depth: int = 0) -> Any:
    """An ``extra`` field as it may be written: numbers and flags as they are unless they
    look like a card number, lists and dicts item by item (a few levels deep), anything
    else as redacted text."""
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        text = redact(str(value))
        return value if text == str(value) else text
    if isinstance(value, (list, tuple)) and depth < 4:
        return [_redacted_value(item, depth + 1) for item in value]
    if isinstance(value, dict) and depth < 4:
        return {redact(str(key)): _redacted_value(item, depth + 1) for key, item in value.items()}
    return redact(str(value))


class Redaction(logging.Filter):
    """Rewrites a record so that no handler can write a secret: the message (with its
    arguments merged), the exception and stack text, and every ``extra`` field.  It sits
    on each handler of the root logger (a filter on a logger sees only that logger's own
    records, not those of the ``kassa.*``/``sync.*`` loggers that propagate to it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):  # the file's handler did it; the terminal's need not
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a wrong format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in _extras(record).items():
            setattr(record, key, _redacted_value(value))
        setattr(record, "_redacted", True)  # noqa: B010
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: ``LOG_FIELDS`` then the record's ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "thread": record.threadName,
            "message": record.getMessage() if getattr(record, "_redacted", False) else redact(record.getMessage()),
        }
        exception = record.exc_text or (self.formatException(record.exc_info) if record.exc_info else "")
        if exception:
            line["exception"] = redact(exception)
        if record.stack_info:
            line["stack"] = redact(record.stack_info)
        for key, value in _extras(record).items():
            line.setdefault(key, _redacted_value(value))
        return json.dumps(line, ensure_ascii=False, default=str)


class _OneLine(logging.Formatter):
    """The terminal's line: the message alone (the file keeps the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(f"kassa: {record.getMessage()}".rstrip())


def setup_logging(directory: Path, verbose: bool = False) -> Path:
    """Log JSON lines to a rotating file in ``directory`` and one line to stderr.  The
    folder is 0700 and the log files 0600; looser modes left by an older install are
    tightened, and the log says so."""
    log_file = directory / LOG_FILE
    try:
        if not directory.is_dir():
            private_folder(directory)
        handler = _PrivateLogFile(log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    except OSError as error:
        raise SystemExit(f"kassa: cannot write the log {log_file}: {error.strerror or error}. Make the folder "
                         f"writable for this user, or name another with {LOG_DIR_VARIABLE}.") from None
    handler.setFormatter(JsonLines())
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.CRITICAL)
    if not verbose:  # the person at the terminal gets one clear line; the file keeps the traceback
        console.setFormatter(_OneLine())
    else:
        console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    for each in (handler, console):
        each.addFilter(Redaction())
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.handlers[:] = [handler, console]
    private_folder(directory)
    tighten_files(directory, patterns=("kassa.log*", "*.lock", "*.sqlite3*"))
    return log_file


class _PrivateLogFile(logging.handlers.RotatingFileHandler):
    """A rotating log whose every new file (the first, and each one after a rotation) is 0600."""

    def _open(self) -> io.TextIOWrapper:
        file = open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private_opener)
        return cast(io.TextIOWrapper, file)
