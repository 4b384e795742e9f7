"""``kassa doctor``: is this till well?  Eleven checks, one line each, for IT at the till and
for monitoring (``--json``, exit code).

It runs beside a running till: it takes no lock and never writes to the database (it is
opened with ``open_database(path, upgrade=False)``: no migration, no journal-mode change,
nothing created); it asks the hub only ``GET /v1/health`` (no credential), once, with a
short timeout.

Verdicts: ``ok``; ``attention`` (the till sells, but something needs looking at: sales
not sent for a while, an old catalog, the hub out of reach, a clock off, the printer
silent, little disk left); ``problem`` (the till cannot work or may lose data: wrong
settings, a damaged database or one from a newer Kassa, a full disk); ``skipped`` (does
not apply, e.g. no hub for an offline-only till, or an earlier check failed).  Exit code:
0 when no check needs attention, 1 when one does, 2 when one is a problem.

The ``--json`` document (``FORMAT_VERSION`` 1; fields are only ever added)::

    {"format": "kassa.doctor", "format_version": 1, "kassa_version": "0.1.0",
     "checked_at": "2026-12-02T05:00:00+00:00", "store_id": "S001", "till_id": "T01",
     "verdict": "ok" | "attention" | "problem", "exit_code": 0 | 1 | 2,
     "checks": [{"name": one of CHECK_NAMES, in that order, always all of them,
                 "verdict": "ok" | "attention" | "problem" | "skipped",
                 "summary": "what was found", "advice": "what to do, or empty",
                 "details": {figures, by check: see each check below}}]}
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pos.errors import PosError
from shell.logs import redact
from shell.promotions_report import check_promotions

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
OK, ATTENTION, PROBLEM, SKIPPED = "ok", "attention", "problem", "skipped"
CHECK_NAMES = ("settings", "database", "migrations", "queue", "quarantine", "catalog", "promotions", "enrolment",
               "clock", "printer", "disk")
_FROM_DATABASE = ("migrations", "queue", "quarantine", "catalog", "promotions")  # skipped without one
HUB_TIMEOUT = 3.0  # seconds: doctor never hangs on a hub that does not answer
PRINTER_TIMEOUT = 2.0  # seconds for the TCP connect to a network printer
CLOCK_ATTENTION = timedelta(seconds=60)  # receipts carry the time; the hub's tills report calls 'skewed' later
DISK_PROBLEM_BYTES = 100 * 1024 * 1024  # a sale may no longer commit
DISK_ATTENTION_BYTES = 500 * 1024 * 1024
DISK_ATTENTION_SHARE = 0.05
_RANK = {OK: 0, SKIPPED: 0, ATTENTION: 1, PROBLEM: 2}


@dataclass(frozen=True)
class Check:
    name: str
    verdict: str
    summary: str
    advice: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        advice = f" - {self.advice}" if self.advice else ""
        return redact(f"{self.verdict.upper():<9} {self.name:<10} {self.summary}{advice}")

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "verdict": self.verdict, "summary": redact(self.summary),
                "advice": redact(self.advice), "details": json.loads(redact(json.dumps(self.details, default=str)))}


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]
    checked_at: datetime
    store_id: str | None
    till_id: str | None

    @property
    def verdict(self) -> str:
        worst = max((_RANK[c.verdict] for c in self.checks), default=0)
        return (OK, ATTENTION, PROBLEM)[worst]

    @property
    def exit_code(self) -> int:
        return _RANK[self.verdict]

    def lines(self) -> list[str]:
        counted = {v: sum(c.verdict == v for c in self.checks) for v in (ATTENTION, PROBLEM)}
        said = ", ".join(f"{n} {v}" for v, n in counted.items() if n) or "all well"
        who = f"till {self.till_id} of store {self.store_id}" if self.store_id else "this till"
        return [c.line() for c in self.checks] + [f"kassa doctor: {who}: {said}"]

    def as_json(self) -> dict[str, Any]:
        return {"format": "kassa.doctor", "format_version": FORMAT_VERSION, "kassa_version": kassa_version(),
                "checked_at": self.checked_at.isoformat(timespec="seconds"), "store_id": self.store_id,
                "till_id": self.till_id, "verdict": self.verdict, "exit_code": self.exit_code,
                "checks": [c.as_json() for c in self.checks]}


def kassa_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kassa")
    except PackageNotFoundError:  # a frozen bundle without the distribution's metadata
        from sync.hub_client import APP_VERSION

        return APP_VERSION


def run_doctor(config: Path | None, *, demo: bool = False, demo_dir: Path | None = None,
               hub_port: int | None = None) -> Report:
    """Every check, in ``CHECK_NAMES`` order."""
    settings, settings_check = _settings(config, demo, demo_dir, hub_port)
    checks: dict[str, Check] = {"settings": settings_check}
    if settings is None:
        from shell.till import data_dir

        checks["disk"] = check_disk(data_dir())
        return _report(checks, None)
    from shell.till import database_path

    path = database_path(settings)
    checks.update(_database_checks(settings, path))
    checks.update(_hub_checks(settings))
    checks["printer"] = check_printer(settings)
    checks["disk"] = check_disk(path.parent)
    return _report(checks, settings)


def _report(checks: dict[str, Check], settings: Any) -> Report:
    done = tuple(checks.get(name) or Check(name, SKIPPED, "not checked: the settings cannot be used")
                 for name in CHECK_NAMES)
    report = Report(done, datetime.now(timezone.utc), settings.store.store_id if settings else None,
                    settings.till.till_id if settings else None)
    log.info("kassa doctor: %s", report.verdict, extra={"checks": {c.name: c.verdict for c in done}})
    return report


# -- settings --------------------------------------------------------------------------
def load_settings_quietly(config: Path | None, demo: bool = False, demo_dir: Path | None = None,
                          hub_port: int | None = None) -> Any:
    """The settings doctor would check, or None when they cannot be used."""
    return _settings(config, demo, demo_dir, hub_port)[0]


def _settings(config: Path | None, demo: bool, demo_dir: Path | None, hub_port: int | None) -> tuple[Any, Check]:
    from shell.config_check import check_config_file
    from shell.settings import default_settings_path

    if demo:
        from shell.command_args import settings_of
        from shell.demo import demo_hub, with_hub
        from shell.demo_hub import DEMO_HUB_PORT

        demo_store = settings_of(None, demo=True, demo_dir=demo_dir)
        return with_hub(demo_store, demo_hub(demo_store, hub_port or DEMO_HUB_PORT)), Check("settings", OK, "the demo store's settings", details={"path": None})
    path = config or default_settings_path()
    _forget_secrets_in(path)
    try:
        settings, problems = check_config_file(path)
    except PosError as error:
        return None, Check("settings", PROBLEM, error.user_message(), f"fix it, then check with kassa check-config --config {path}",
                           {"path": str(path), "mistakes": [error.user_message()]})
    if problems:
        return settings, Check("settings", PROBLEM, f"{path}: {len(problems)} mistake(s): {'; '.join(problems)}",
                               f"fix them, then check with kassa check-config --config {path}",
                               {"path": str(path), "mistakes": problems})
    return settings, Check("settings", OK, f"{path} is valid", details={"path": str(path)})


def _forget_secrets_in(path: Path) -> None:
    """A mistake quoted back from the settings file never shows its enrolment code."""
    from shell.diagnostics import forget_settings_secrets

    try:
        forget_settings_secrets(path.read_bytes()[:200_000].decode("utf-8", "replace"))
    except OSError:
        pass


# -- the database: integrity, migrations, queue, quarantine, catalog -------------------
def _database_checks(settings: Any, path: Path) -> dict[str, Check]:
    from local_db.database import open_database
    from local_db.private_files import private_umask

    if not path.exists():
        return {"database": Check("database", ATTENTION, f"there is no database at {path} yet",
                                  "start the till once (kassa run) and it is created", {"path": str(path)}),
                **_skipped(_FROM_DATABASE, "no database yet")}
    try:
        with private_umask():  # SQLite may create the -wal/-shm files beside it: 0600, like the till's
            db = open_database(path, upgrade=False)
    except PosError as error:
        return {"database": _damaged(path, error.user_message()),
                **_skipped(_FROM_DATABASE, "the database cannot be used")}
    try:
        with private_umask():
            return _inspect(db, settings, path)
    finally:
        db.close()


def _skipped(names: tuple[str, ...], why: str) -> dict[str, Check]:
    return {name: Check(name, SKIPPED, f"not checked: {why}") for name in names}


def _damaged(path: Path, reason: str) -> Check:
    return Check("database", PROBLEM, f"{path} cannot be used: {reason}",
                 "stop the till and restore the last backup (kassa restore), or call support with kassa diagnostics",
                 {"path": str(path)})


def _inspect(db: Any, settings: Any, path: Path) -> dict[str, Check]:
    from sqlalchemy import exc as sa_exc

    started = time.monotonic()
    try:
        with db.lookup() as conn:
            rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    except sa_exc.SQLAlchemyError as error:
        rows = [str(getattr(error, "orig", None) or error)]
    seconds = round(time.monotonic() - started, 3)
    size = path.stat().st_size
    if rows != ["ok"]:
        return {"database": _damaged(path, "; ".join(rows[:3])),
                **_skipped(_FROM_DATABASE, "the database is damaged")}
    checks = {"database": Check("database", OK, f"{path}: quick check passed ({size / 1e6:.1f} MB)",
                                details={"path": str(path), "size_bytes": size, "quick_check_seconds": seconds})}
    for name, check in (("migrations", check_migrations), ("queue", check_queue),
                        ("quarantine", check_quarantine), ("catalog", check_catalog),
                        ("promotions", check_promotions)):
        checks[name] = _guarded(name, lambda check=check: check(db, settings))  # type: ignore[misc]
    return checks


def _guarded(name: str, check: Callable[[], Check]) -> Check:
    from sqlalchemy import exc as sa_exc

    try:
        return check()
    except (PosError, sa_exc.SQLAlchemyError) as error:
        text = error.user_message() if isinstance(error, PosError) else str(getattr(error, "orig", error))
        return Check(name, SKIPPED, f"could not be read from this database ({text})",
                     "see the migrations check: a database behind the newest schema is upgraded at the next start")


def check_migrations(db: Any, settings: Any) -> Check:
    from local_db.database import SCHEMA_HEAD, migration_order, schema_version

    version = schema_version(db)
    known = migration_order()
    details = {"schema": version, "head": SCHEMA_HEAD}
    if version == SCHEMA_HEAD:
        return Check("migrations", OK, f"schema {version}, the newest this Kassa knows", details=details)
    if version is None:
        return Check("migrations", ATTENTION, "the database is empty (no schema yet)",
                     "start the till once (kassa run): it creates the tables", details)
    if version in known:
        return Check("migrations", ATTENTION, f"schema {version}, behind {SCHEMA_HEAD}",
                     "the till upgrades it at its next start (it backs the file up first)", details)
    return Check("migrations", PROBLEM, f"schema {version} is unknown to this Kassa (its newest is {SCHEMA_HEAD}): "
                 "a newer Kassa wrote it", "install the Kassa version that wrote it; never run an older one on it",
                 details)


def _offline_policy(settings: Any) -> tuple[int, int]:
    """The [offline] thresholds of the settings (their defaults when the file leaves them out)."""
    return settings.offline.warn_unsent_after_minutes, settings.offline.warn_catalog_older_than_hours


def check_queue(db: Any, settings: Any) -> Check:
    from local_db.outbox import SqlOutbox

    outbox = SqlOutbox(db)
    counts = outbox.counts()
    oldest = outbox.oldest_unsent_at()
    now = datetime.now(timezone.utc)
    age = max(timedelta(0), now - oldest) if oldest else None
    warn_minutes, _ = _offline_policy(settings)
    details = {"waiting": counts.waiting, "acknowledged": counts.acknowledged,
               "oldest_unsent_at": oldest.isoformat() if oldest else None,
               "oldest_unsent_seconds": int(age.total_seconds()) if age is not None else None,
               "warn_after_minutes": warn_minutes}
    if settings.sync is None:
        return Check("queue", OK, f"{counts.waiting} sales kept for the hub (an offline-only till sends nothing)",
                     details=details)
    if age is None:
        return Check("queue", OK, "no sale waiting to be sent", details=details)
    said = f"{counts.waiting} sales waiting to be sent, the oldest for {describe_age(age)}"
    if age > timedelta(minutes=warn_minutes):
        return Check("queue", ATTENTION, f"{said} (more than {warn_minutes} min)",
                     "check the link to the hub (kassa status); the sales are safe in the journal meanwhile", details)
    return Check("queue", OK, said, details=details)


def check_quarantine(db: Any, settings: Any) -> Check:
    from local_db.outbox import SqlOutbox

    held = SqlOutbox(db).quarantined_count()
    details = {"quarantined": held}
    if held:
        return Check("quarantine", ATTENTION, f"{held} sales the hub refused are set aside",
                     "kassa status shows the hub's reasons; a manager retries them at the till (Ctrl+Q) once fixed",
                     details)
    return Check("quarantine", OK, "no sale set aside", details=details)


def check_catalog(db: Any, settings: Any) -> Check:
    from local_db.reference_data import DATASETS

    _, warn_hours = _offline_policy(settings)
    if settings.sync is None:
        return Check("catalog", SKIPPED, "an offline-only till pulls no catalog", details={"warn_after_hours": warn_hours})
    rows = db.read(lambda c: c.exec_driver_sql("SELECT dataset, pulled_at FROM sync_cursors").fetchall(),
                   "reading when each dataset was pulled")
    pulled = {str(name): datetime.fromisoformat(str(at)) for name, at in rows}
    details: dict[str, Any] = {"datasets": {d: pulled[d].isoformat() if d in pulled else None for d in DATASETS},
                               "warn_after_hours": warn_hours}
    never = [d for d in DATASETS if d not in pulled]
    if never:
        return Check("catalog", ATTENTION, f"never pulled: {', '.join(never)}",
                     "check the link and enrolment (kassa status), then kassa sync", details)
    now = datetime.now(timezone.utc)
    oldest = min(pulled[d] for d in DATASETS)
    age = max(timedelta(0), now - oldest)
    details["oldest_pull_seconds"] = int(age.total_seconds())
    said = f"last pulled {describe_age(age)} ago"
    if age > timedelta(hours=warn_hours):
        stale = [d for d in DATASETS if now - pulled[d] > timedelta(hours=warn_hours)]
        return Check("catalog", ATTENTION, f"{said} ({', '.join(stale)}; more than {warn_hours} h): prices may be old",
                     "check the link to the hub (kassa status), then kassa sync", details)
    return Check("catalog", OK, said, details=details)


# -- the hub: enrolment and the clock ------------------------------------------------------
def _hub_checks(settings: Any) -> dict[str, Check]:
    if settings.sync is None:
        return {name: Check(name, SKIPPED, "an offline-only till (no [sync] settings) has no hub")
                for name in ("enrolment", "clock")}
    return {"enrolment": check_enrolment(settings), "clock": check_clock(settings)}


def check_enrolment(settings: Any) -> Check:
    """Is a credential stored?  Never shown: only where it is kept."""
    from shell.till import credential_store_of
    from sync.credentials import account_name
    from sync.errors import SyncError

    account = account_name(settings.store.store_id, settings.till.till_id)
    try:
        store = credential_store_of(settings)
        found = bool(store.load(account))
    except SyncError as error:
        return Check("enrolment", ATTENTION, f"the credential cannot be read: {error.user_message()}",
                     "fix the credential store, or enrol again: kassa enrol --hub URL --code CODE",
                     {"enrolled": None})
    details = {"enrolled": found, "credential_kept_in": store.where, "hub_url": settings.sync.hub_url}
    if not found:
        return Check("enrolment", ATTENTION, f"not enrolled: no credential in {store.where}; the till sells, "
                     "but sends nothing to the hub", "kassa enrol --hub URL --code CODE (a code from kassa-hub enrol-code)",
                     details)
    return Check("enrolment", OK, f"enrolled as till {settings.till.till_id} of store {settings.store.store_id} "
                 f"(credential in {store.where})", details=details)


def check_clock(settings: Any) -> Check:
    from shell.till import make_hub_client
    from sync.errors import SyncError
    from sync.hub_client import RetryPolicy

    sync = settings.sync
    details: dict[str, Any] = {"hub_url": sync.hub_url, "skew_seconds": None, "round_trip_seconds": None}
    with make_hub_client(sync.hub_url, None, ca_bundle=sync.ca_bundle, timeout=min(sync.timeout, HUB_TIMEOUT),
                         retry=RetryPolicy(attempts=1)) as client:
        try:
            health = client.health()
        except SyncError as error:
            return Check("clock", ATTENTION, f"the clock could not be compared with the hub's: {error.user_message()}",
                         "the till sells offline meanwhile; check the network and the hub (kassa status)", details)
    skew = health.skew.total_seconds()
    details.update(skew_seconds=round(skew, 3), round_trip_seconds=round(health.round_trip.total_seconds(), 3))
    ahead = "ahead of" if skew < 0 else "behind"
    said = f"{abs(skew):.1f} s {ahead} the hub (± {health.round_trip.total_seconds() / 2:.2f} s)"
    if abs(skew) > CLOCK_ATTENTION.total_seconds():
        return Check("clock", ATTENTION, f"this till's clock is {said}",
                     "set the computer's clock (turn on time synchronisation, NTP): receipts carry its time", details)
    return Check("clock", OK, f"this till's clock is {said}", details=details)


# -- the printer ---------------------------------------------------------------------------
def check_printer(settings: Any) -> Check:
    from hardware.printer_config import parse_printer

    p = settings.printer
    try:
        spec = parse_printer(p.connection, profile=p.profile, width=p.width, timeout=p.timeout)
    except PosError as error:
        return Check("printer", PROBLEM, f"the printer setting cannot work: {error.user_message()}",
                     "fix [printer] connection, then kassa check-config", {"connection": p.connection})
    details: dict[str, Any] = {"connection": spec.address, "kind": spec.kind}
    if spec.kind == "none":
        return Check("printer", OK, "printing is off (connection = none): receipts stay in the journal", details=details)
    if spec.kind == "dummy":
        return Check("printer", OK, "receipts go to memory (connection = dummy): nothing is printed", details=details)
    if spec.kind == "network":
        return _network_printer(spec, details)
    if spec.kind == "usb":
        return _usb_printer(spec, details)
    return _path_printer(spec, details)


def _network_printer(spec: Any, details: dict[str, Any]) -> Check:
    try:
        with socket.create_connection((spec.target, spec.port), timeout=min(spec.timeout, PRINTER_TIMEOUT)):
            pass
    except OSError as error:
        return Check("printer", ATTENTION, f"{spec.address} does not answer ({error.strerror or error})",
                     "check the printer is on, cabled and at that address; receipts wait in the queue meanwhile",
                     details)
    return Check("printer", OK, f"{spec.address} accepts a connection", details=details)


def _path_printer(spec: Any, details: dict[str, Any]) -> Check:
    """file: a file or device node; serial: a device node; preview: a folder of pictures."""
    target = Path(spec.target)
    if spec.kind == "serial" and os.name == "nt":
        return Check("printer", OK, f"{spec.address}: serial ports are not checked on Windows", details=details)
    if spec.kind == "preview":
        folder = target if target.exists() else target.parent
        if folder.is_dir() and os.access(folder, os.W_OK):
            return Check("printer", OK, f"receipts are saved as pictures in {target}", details=details)
        return Check("printer", ATTENTION, f"receipt pictures cannot be saved in {target}",
                     "make the folder, writable by the till's user", details)
    if target.exists():
        if os.access(target, os.W_OK):
            what = "the device" if not target.is_file() else "the file"
            return Check("printer", OK, f"{spec.address}: {what} {target} is there and writable", details=details)
        return Check("printer", ATTENTION, f"{spec.address}: {target} is there but the till's user cannot write to it",
                     "give the till's user write access (e.g. the lp or dialout group)", details)
    if spec.kind == "file" and target.parent.is_dir() and os.access(target.parent, os.W_OK):
        return Check("printer", OK, f"{spec.address}: receipts are written to the file {target} (made at the first one)",
                     details=details)
    return Check("printer", ATTENTION, f"{spec.address}: {target} does not exist",
                 "check the printer is plugged in and on, and the device name in [printer] connection", details)


def _usb_printer(spec: Any, details: dict[str, Any]) -> Check:
    devices = Path("/sys/bus/usb/devices")
    if not devices.is_dir():
        return Check("printer", OK, f"{spec.address}: USB devices are not checked on this system", details=details)
    wanted = (f"{spec.vendor_id:04x}", f"{spec.product_id:04x}")
    for device in devices.iterdir():
        try:
            ids = ((device / "idVendor").read_text().strip(), (device / "idProduct").read_text().strip())
            if ids != wanted:
                continue
            node = Path(f"/dev/bus/usb/{int((device / 'busnum').read_text()):03d}/{int((device / 'devnum').read_text()):03d}")
        except (OSError, ValueError):
            continue
        if os.access(node, os.W_OK):
            return Check("printer", OK, f"{spec.address} is plugged in ({node})", details=details)
        return Check("printer", ATTENTION, f"{spec.address} is plugged in, but the till's user cannot write to {node}",
                     "add a udev rule giving the till's user access to the printer", details)
    return Check("printer", ATTENTION, f"{spec.address} is not plugged in (no such USB device)",
                 "check the printer's cable and power", details)


# -- the disk ------------------------------------------------------------------------------
def check_disk(folder: Path) -> Check:
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    usage = shutil.disk_usage(existing)
    share = usage.free / usage.total if usage.total else 0.0
    details = {"folder": str(folder), "free_bytes": usage.free, "total_bytes": usage.total, "free_share": round(share, 4)}
    said = f"{usage.free / 1e9:.1f} GB free ({share:.0%}) where the data is ({folder})"
    if usage.free < DISK_PROBLEM_BYTES:
        return Check("disk", PROBLEM, said, "free disk space now: with less than 100 MB a sale may not be saved",
                     details)
    if usage.free < DISK_ATTENTION_BYTES or share < DISK_ATTENTION_SHARE:
        return Check("disk", ATTENTION, said, "free some disk space (below 500 MB or 5 % the till runs short)",
                     details)
    return Check("disk", OK, said, details=details)


def describe_age(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60} min"
    return f"{hours // 24} days {hours % 24} h"
