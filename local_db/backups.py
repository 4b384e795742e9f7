"""Copies of the till's database: made with SQLite's online backup API (a consistent copy
of a live database, never a file copy that could catch a sale half-written), and put back.

* Before migrations run on an existing database that is behind the newest schema,
  :func:`backup_before_upgrade` writes ``till.sqlite3.before-<head>-<UTC time>.bak`` next
  to it; the last :data:`UPGRADE_BACKUPS_KEPT` such copies are kept.
* ``kassa backup`` (:func:`backup_database`) copies the database while the till runs;
  ``kassa restore`` checks a copy (:func:`inspect_copy`) and puts it in place
  (:func:`put_in_place`), keeping the current database as a backup first.

A copy is written as ``<name>.partial``, checked (``PRAGMA quick_check`` or the full
``integrity_check``), flushed to disk and only then renamed to its name, so a kill or a
power cut never leaves a half copy under a backup's name.  Copies are 0600 (they hold the
cashiers' PIN hashes) and self-contained (rollback journal, no ``-wal`` beside them).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from local_db.private_files import FILE_MODE, private_opener, private_umask, tighten
from local_db.problems import BackupDamaged, BackupWontFit, explain

log = logging.getLogger(__name__)

UPGRADE_BACKUPS_KEPT = 3
SPARE_BYTES = 16 * 1024 * 1024  # left free on the disk beyond the copy itself
PARTIAL = ".partial"
_STAMP = "%Y%m%dT%H%M%SZ"
_UPGRADE_BACKUP = re.compile(r"\.before-(\d{4})-(\d{8}T\d{6}Z)(?:-(\d+))?\.bak$")


def utc_stamp(now: datetime | None = None) -> str:
    """``20261202T051500Z``: a moment as it appears in backup names."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP)


def upgrade_backup_path(database: Path, head: str, now: datetime | None = None) -> Path:
    """Where the copy taken before upgrading ``database`` to schema ``head`` goes."""
    return _unused(database.with_name(f"{database.name}.before-{head}-{utc_stamp(now)}.bak"))


def manual_backup_path(database: Path, now: datetime | None = None) -> Path:
    """The default file of ``kassa backup``: ``till.sqlite3.backup-<UTC time>.bak`` beside it."""
    return _unused(database.with_name(f"{database.name}.backup-{utc_stamp(now)}.bak"))


def restore_backup_path(database: Path, now: datetime | None = None) -> Path:
    """Where ``kassa restore`` keeps the database it replaces."""
    return _unused(database.with_name(f"{database.name}.before-restore-{utc_stamp(now)}.bak"))


def _unused(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists() or Path(str(candidate) + PARTIAL).exists():
        number += 1
        candidate = path.with_name(f"{path.name[:-4]}-{number}.bak")
    return candidate


def upgrade_backups(database: Path) -> list[Path]:
    """The copies taken before upgrades of ``database``, oldest first."""
    found = []
    for path in database.parent.glob(f"{glob_escape(database.name)}.before-*.bak"):
        match = _UPGRADE_BACKUP.search(path.name)
        if match and path.name.startswith(database.name):
            found.append((match.group(2), int(match.group(3) or 1), path))
    return [path for _stamp, _number, path in sorted(found)]


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def database_bytes(database: Path) -> int:
    """The size of the database with its write-ahead log: about what a copy needs."""
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += Path(str(database) + suffix).stat().st_size
        except FileNotFoundError:
            pass
    return total


def check_room(database: Path, target: Path) -> None:
    """BackupWontFit unless the disk holding ``target`` has room for a copy of ``database``."""
    needed = database_bytes(database) + SPARE_BYTES
    free = shutil.disk_usage(target.parent).free
    if free < needed:
        raise BackupWontFit(path=str(target), needed=_megabytes(needed), free=_megabytes(free))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class Copy:
    path: Path
    size: int


def copy_database(source: Path, target: Path, *, full_check: bool = False, busy_timeout_ms: int = 10_000,
                  read_only: bool = False) -> Copy:
    """Copy the SQLite database ``source`` to ``target`` with the online backup API, check
    the copy, flush it and rename it into place (0600).  The source may be in use: a till
    selling meanwhile is not blocked (WAL) and the copy is one consistent moment.  With
    ``read_only`` the source is opened read-only (a file that is not the till's own)."""
    partial = Path(str(target) + PARTIAL)
    remove_quietly(partial)
    try:
        with private_umask():
            _backup(source, partial, busy_timeout_ms, "ro" if read_only else "rw")
        problems = copy_problems(partial, full=full_check)
        if problems:
            raise BackupDamaged(path=str(partial), reason="; ".join(problems[:3]))
        _flush(partial)
        os.replace(partial, target)
        _flush_folder(target.parent)
    except BaseException as error:
        remove_quietly(partial)
        if isinstance(error, (sqlite3.Error, OSError)):
            raise explain(error, path=source, doing=f"copying the database to {target}") from error
        raise
    tighten(target, FILE_MODE)
    return Copy(target, target.stat().st_size)


def _backup(source: Path, target: Path, busy_timeout_ms: int, mode: str) -> None:
    src = sqlite3.connect(_uri(source, mode), uri=True, timeout=busy_timeout_ms / 1000, isolation_level=None)
    try:
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            src.backup(dst)  # in one step: one read transaction, a consistent copy
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()


def _uri(path: Path, mode: str) -> str:
    """An SQLite URI for ``path`` that never creates a missing file."""
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def copy_problems(path: Path, *, full: bool = False) -> list[str]:
    """What ``PRAGMA quick_check`` (or ``integrity_check``) finds wrong with ``path``."""
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True, isolation_level=None)
    except sqlite3.Error as error:
        return [str(error)]
    conn.text_factory = _lenient_text  # a damaged page's text is reported, not raised
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}")]
    except sqlite3.Error as error:
        return [str(error)]
    except UnicodeDecodeError:  # SQLite's own error message quoted the damaged bytes
        return ["its structure is damaged (unreadable schema or page)"]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _flush_folder(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def backup_before_upgrade(database: Path, head: str, *, kept: int = UPGRADE_BACKUPS_KEPT) -> Copy:
    """The copy of ``database`` taken before its migrations run; older ones beyond ``kept``
    are removed once the new one is safely written."""
    target = upgrade_backup_path(database, head)
    for stale in database.parent.glob(f"{glob_escape(database.name)}.before-*.bak{PARTIAL}"):
        remove_quietly(stale)  # left by a kill while copying
    check_room(database, target)
    copy = copy_database(database, target)
    for old in upgrade_backups(database)[:-kept]:
        remove_quietly(old)
        log.info("removed the old upgrade backup %s", old)
    log.info("database %s backed up to %s (%d bytes) before upgrading to schema %s", database, target, copy.size, head)
    return copy


def backup_database(database: Path, target: Path) -> Copy:
    """``kassa backup``: a checked (``integrity_check``) copy of ``database`` at ``target``."""
    check_room(database, target)
    return copy_database(database, target, full_check=True)


def put_in_place(copy: Path, database: Path) -> None:
    """Replace ``database`` by a copy of the database file ``copy`` (which stays as it is).
    Nothing may have ``database`` open.  The old file's log is checkpointed first, so a
    ``-wal`` left behind can never be replayed over the new file; the new file is complete
    on disk before it takes the database's name."""
    staged = Path(str(database) + ".restoring")
    remove_quietly(staged)
    try:
        with private_umask(), open(staged, "wb", opener=private_opener) as out, open(copy, "rb") as source:
            shutil.copyfileobj(source, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        checkpoint_and_close(database)
        os.replace(staged, database)
        for suffix in ("-wal", "-shm", "-journal"):
            remove_quietly(Path(str(database) + suffix))
        _flush_folder(database.parent)
    except BaseException:
        remove_quietly(staged)
        raise
    tighten(database, FILE_MODE)


def open_elsewhere(database: Path) -> bool:
    """Has another connection (another program) the database open?  Call it once this
    process has closed its own: SQLite removes the ``-wal`` file when the last connection
    to a database closes (after recovering one a killed program left), so one still there
    means another connection is open."""
    return Path(str(database) + "-wal").exists()


def checkpoint_and_close(database: Path) -> None:
    """Write the database's ``-wal`` into it and empty the log (nothing else may be using it)."""
    if not database.exists() or not Path(str(database) + "-wal").exists():
        return
    conn = sqlite3.connect(database, isolation_level=None, timeout=3)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        log.warning("could not checkpoint %s before replacing it: %s", database, error)
    finally:
        conn.close()


@dataclass(frozen=True)
class CopyFacts:
    """What a database file says about itself (read without changing it)."""

    schema: str | None  # None: no schema recorded (not a till database)
    tables: frozenset[str]
    sales: int
    last_receipt: int
    store_ids: frozenset[str]  # from its sales and from the hub enrolment it recorded
    till_ids: frozenset[str]

    @property
    def is_till_database(self) -> bool:
        return self.schema is not None and {"sales", "outbox", "till_counter"} <= self.tables


def inspect_copy(path: Path) -> CopyFacts:
    """The schema, sales and store/till a database file records; sqlite3.Error if it is not
    a database SQLite can read."""
    conn = sqlite3.connect(_uri(path, "ro"), uri=True, isolation_level=None)
    conn.text_factory = _lenient_text
    try:
        tables = frozenset(str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        schema = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            schema = None if row is None else str(row[0])
        sales, last, stores, tills = 0, 0, set(), set()
        if "sales" in tables:
            sales, last = conn.execute("SELECT COUNT(*), COALESCE(MAX(receipt_number), 0) FROM sales").fetchone()
            for store_id, till_id in conn.execute("SELECT DISTINCT store_id, till_id FROM sales"):
                stores.add(str(store_id))
                tills.add(str(till_id))
        if "sync_state" in tables:
            for key, value in conn.execute("SELECT key, value FROM sync_state WHERE key IN ('store_id', 'till_id')"):
                (stores if key == "store_id" else tills).add(str(value))
        return CopyFacts(schema, tables, int(sales), int(last), frozenset(stores), frozenset(tills))
    finally:
        conn.close()
