"""What the till does when it starts from IT's settings file: enrolment with the hub.

IT drops one settings file with ``[sync] enrolment_code`` (a one-time code from
``kassa-hub enrol-code``).  At ``kassa run``, when no credential is stored yet for this
store and till, the till exchanges the code for its credential, stores it (keyring or the
protected file, ``credential_store``) and removes the ``enrolment_code`` line from the file
(every other line and comment kept byte for byte; the file rewritten atomically with its
mode and owner).  The code is a secret: never logged, printed or put in a message.

- The hub cannot be reached: the till starts anyway and sells offline; a background thread
  tries again (every ``RETRY_FIRST`` seconds, doubling up to ``RETRY_MAX``) with the running
  sync's own hub client, so the sync works as soon as the code is exchanged; failing that,
  the next start tries again.
- The hub refuses the code (unknown, used, expired, another till's): the log and the
  terminal say what to do, the status bar shows the refusal, the till sells offline; the
  code stays in the file (IT replaces it).
- A credential is already stored: the code is not used again, only removed from the file.
- The file cannot be rewritten (a read-only /etc): a warning names the file; the code is
  used already, so it is harmless there.
"""

from __future__ import annotations

import enum
import logging
import os
import re
import stat
import sys
import tempfile
import threading
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from shell.till import OpenTill
from shell.logs import never_log
from sync.credentials import CredentialStore, account_name
from sync.enrolment import enrol_till
from sync.errors import EnrolmentRefused, SyncError
from sync.hub_client import HubClient, RetryPolicy
from sync.service import SyncConfig

log = logging.getLogger(__name__)

RETRY_FIRST = 30.0  # seconds until the first retry of an enrolment the hub did not answer
RETRY_MAX = 600.0
FIRST_TRY = RetryPolicy(attempts=1)  # the window waits for this one: no retries, a short timeout
FIRST_TRY_TIMEOUT = 5.0


class Enrolment(enum.Enum):
    NO_CODE = "no enrolment code in the settings"
    ENROLLED = "enrolled with the code"
    ALREADY_ENROLLED = "a credential was already stored; the code was not used"
    WAITING = "the hub could not be reached; enrolment waits"
    REFUSED = "the hub refused the code"
    FAILED = "the code could not be exchanged (a certificate, the credential store, the hub's answer)"
    NO_CREDENTIAL_STORE = "the credential cannot be stored on this computer"


@dataclass
class FirstStart:
    enrolment: Enrolment
    code_removed: bool = False
    retry: EnrolmentRetry | None = field(default=None, repr=False)  # WAITING: the thread trying again


def first_start(till: OpenTill, settings_path: Path, *, retry_first: float = RETRY_FIRST,
                retry_max: float = RETRY_MAX) -> FirstStart:
    """Enrol the till with the code in its settings file if it is not enrolled yet (see the
    module's text).  Never raises for a hub or file problem: the till sells offline."""
    log.info("settings from %s", settings_path)
    sync = till.settings.sync
    if sync is None or sync.enrolment_code is None:
        return FirstStart(Enrolment.NO_CODE)
    code = sync.enrolment_code.get_secret_value()
    never_log(code)  # whatever a message or a library quotes, the log never holds it
    store_id, till_id = till.settings.store.store_id, till.settings.till.till_id
    try:
        credentials = till.credentials
        stored = credentials.load(account_name(store_id, till_id))
    except SyncError as problem:
        _say(f"enrolment waits: {_secret_free(problem.user_message(), code)}")
        return FirstStart(Enrolment.NO_CREDENTIAL_STORE)
    if stored:
        log.info("till %s of store %s is enrolled already (credential in %s); the enrolment code in %s is not "
                 "used again", till_id, store_id, credentials.where, settings_path)
        return FirstStart(Enrolment.ALREADY_ENROLLED, remove_enrolment_code(settings_path))
    config = till.sync_config
    assert config is not None
    first = SyncConfig(config.hub_url, config.ca_bundle, timeout=min(config.timeout, FIRST_TRY_TIMEOUT),
                       retry=FIRST_TRY)
    outcome = _try_enrol(till, till.hub_client(first, credential=False), code, credentials, settings_path)
    if outcome.enrolment is not Enrolment.WAITING:
        return outcome
    running = till.sync  # the window's sync: its client gets the credential when the code is exchanged
    assert running is not None
    outcome.retry = EnrolmentRetry(till, running.client, code, credentials, settings_path,
                                   first_wait=retry_first, max_wait=retry_max).start()
    return outcome


def _try_enrol(till: OpenTill, client: HubClient, code: str, credentials: CredentialStore,
               settings_path: Path, *, again: bool = False) -> FirstStart:
    store_id, till_id = till.settings.store.store_id, till.settings.till.till_id
    try:
        never_log(enrol_till(till.db, client, code, credentials, store_id=store_id, till_id=till_id).credential)
    except EnrolmentRefused as refused:
        _refused(till, refused, code, settings_path)
        return FirstStart(Enrolment.REFUSED)
    except SyncError as problem:
        reason = _secret_free(problem.user_message(), code)
        if till.sync is not None:
            till.sync.monitor.failed(problem)
        if not problem.retryable:  # a certificate, a credential store, an answer that cannot be used
            _say(f"enrolment did not succeed: {reason}. The till sells offline; it tries again at its next start.")
            return FirstStart(Enrolment.FAILED)
        if again:
            log.info("enrolment still waits: %s", reason)
        else:
            _say(f"enrolment waits: {reason}. The till sells offline and tries again while it runs and at its "
                 "next start.")
        return FirstStart(Enrolment.WAITING)
    log.info("enrolled with the code from %s", settings_path)
    return FirstStart(Enrolment.ENROLLED, remove_enrolment_code(settings_path))


def _refused(till: OpenTill, refused: EnrolmentRefused, code: str, settings_path: Path) -> None:
    store_id, till_id = till.settings.store.store_id, till.settings.till.till_id
    _say(f"{_secret_free(refused.user_message(), code)}. The till sells offline. Make a new code at the hub "
         f"(kassa-hub enrol-code --store {store_id} --till {till_id}), put it in enrolment_code in the [sync] "
         f"section of {settings_path} and start the till again (or run: kassa enrol --config {settings_path})",
         level=logging.ERROR)
    if till.sync is not None:
        till.sync.monitor.failed(refused)


def _say(message: str, level: int = logging.WARNING) -> None:
    """To the log and one line on the terminal (IT may have started the till from one)."""
    log.log(level, "%s", message)
    print(f"kassa: {message}", file=sys.stderr)


def _secret_free(text: str, code: str) -> str:
    """``text`` without the code in any spelling (a message quoting it would leak it)."""
    bare = "".join(ch for ch in code if ch not in "- ")
    for spelling in sorted({code, code.upper(), bare, bare.upper()}, key=len, reverse=True):
        if len(spelling) >= 4:
            text = re.sub(re.escape(spelling), "[the enrolment code]", text, flags=re.IGNORECASE)
    return text


class EnrolmentRetry:
    """Tries the code again while the till runs, with the running sync's hub client (so the
    sync has the credential at once), until it is exchanged, refused, or the till closes."""

    def __init__(self, till: OpenTill, client: HubClient, code: str, credentials: CredentialStore,
                 settings_path: Path, *, first_wait: float, max_wait: float) -> None:
        self._till, self._client, self._code = till, client, code
        self._credentials, self._path = credentials, settings_path
        self._first, self._max = first_wait, max_wait
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="enrolment-retry", daemon=True)
        self.outcome: FirstStart | None = None  # set when it ends with an answer from the hub

    def start(self) -> EnrolmentRetry:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """True when the thread has ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        wait = self._first
        while not self._stop.wait(wait):
            try:
                outcome = _try_enrol(self._till, self._client, self._code, self._credentials, self._path, again=True)
            except Exception as error:  # noqa: BLE001 - the till closed under it, a database problem
                log.warning("enrolment retry stopped (%s); the next start tries again", type(error).__name__)
                return
            if outcome.enrolment is not Enrolment.WAITING:
                self.outcome = outcome
                return
            wait = min(wait * 2, self._max)


# -- removing the code from the settings file ------------------------------------------------
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_TABLE = re.compile(r"""^[ \t]*\[(?!\[)(?P<name>[^\]#]*)\][ \t]*(#.*)?\r?$""")
_ARRAY_TABLE = re.compile(r"^[ \t]*\[\[")
_KEY = r"""(?:enrolment_code|"enrolment_code"|'enrolment_code')"""
_SYNC = r"""(?:sync|"sync"|'sync')"""
_IN_SYNC = re.compile(rf"^[ \t]*{_KEY}[ \t]*=")
_AT_ROOT = re.compile(rf"^[ \t]*{_SYNC}[ \t]*\.[ \t]*{_KEY}[ \t]*=")


def without_enrolment_code(text: str) -> str | None:
    """``text`` without its ``enrolment_code`` line, every other byte as it was; None when
    there is none or when removing a line would change anything else (a code written over
    several lines, in an inline table...): then the file is better left alone."""
    table: str | None = ""
    kept, removed = [], 0
    for unit in _LINE.findall(text):  # each line with its own line ending: removing one leaves the rest as it was
        line = unit.rstrip("\n")
        header = _TABLE.match(line)
        if header:
            table = ".".join(part.strip().strip("\"'") for part in header["name"].split("."))
        elif _ARRAY_TABLE.match(line):
            table = None
        if (table == "sync" and _IN_SYNC.match(line)) or (table == "" and _AT_ROOT.match(line)):
            removed += 1
            continue
        kept.append(unit)
    if removed != 1:
        return None
    result = "".join(kept)
    try:
        before = tomllib.loads(text, parse_float=Decimal)
        after = tomllib.loads(result, parse_float=Decimal)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    expected: dict[str, Any] = {**before, "sync": dict(before.get("sync", {}))}
    if "enrolment_code" not in expected["sync"]:
        return None
    del expected["sync"]["enrolment_code"]
    return result if after == expected else None


def remove_enrolment_code(path: Path) -> bool:
    """Remove the ``enrolment_code`` line from the settings file ``path`` (atomically, its
    mode and owner kept).  False, with a warning naming the file, when it cannot be done."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        log.warning("could not read %s to remove the used enrolment code (%s); the code is used, so it is "
                    "harmless there; remove its line when convenient", path, _why(error))
        return False
    without = without_enrolment_code(text)
    if without is None:
        log.warning("the enrolment code in %s is used, but its line could not be told apart from the rest of the "
                    "file; it is harmless there; remove the enrolment_code line by hand", path)
        return False
    try:
        write_atomically(path, without.encode("utf-8"))
    except OSError as error:
        log.warning("could not remove the used enrolment code from %s (%s); the code is used, so it is harmless "
                    "there; remove the enrolment_code line when convenient", path, _why(error))
        return False
    log.info("the used enrolment code was removed from %s", path)
    return True


def _why(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    return type(error).__name__


def write_atomically(path: Path, content: bytes) -> None:
    """Replace the file (a symbolic link's target) with ``content`` in one rename: a power
    cut leaves the old file or the new one, never half of one.  The new file has the old
    one's mode, owner and group; OSError (the folder is read-only, the owner cannot be
    kept) leaves the old file as it was."""
    target = path.resolve()
    old = target.stat()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, stat.S_IMODE(old.st_mode))
        if os.name == "posix":
            new = os.stat(temporary)
            if (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
                os.chown(temporary, old.st_uid, old.st_gid)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if os.name == "posix":
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
