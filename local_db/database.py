"""The till's one SQLite file: where it lives, how it is opened, and its schema kept current.

The file and its ``-wal`` and ``-shm`` companions are readable by the till's user only
(0600, see ``local_db.private_files``): they hold the cashiers' PIN hashes.

Every connection runs in WAL mode with ``synchronous=FULL`` (a committed sale survives a
power cut), foreign keys on and a 3 s busy timeout.  The schema is created and upgraded
only by the Alembic migrations in ``local_db/migrations``, run here at start-up; when the
file is already at :data:`SCHEMA_HEAD` the check costs one small query, so a till with a
million products is ready in milliseconds.

Repositories take a connection per call from the engine's pool, so the till worker and the
printer worker never share one.  Three ways to get one:

* :meth:`Database.lookup` - no transaction, for a single SELECT (the scan path);
* :meth:`Database.reading` - ``BEGIN`` ... a consistent snapshot over several SELECTs;
* :meth:`Database.writing` - ``BEGIN IMMEDIATE`` ... ``COMMIT``: takes the write lock first,
  so a write never fails half-way because another connection started writing.

SQLite has one writer at a time.  Background work (staging a pull, building a new catalog)
writes in short transactions on a connection from :meth:`Database.bulk_writing`, and each
of those first gives way to the till's own writes (a sale, the open basket) that are
waiting or running, so a cashier never waits for more than one short background transaction.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import QueuePool

from local_db import backups
from local_db.private_files import private_folder, private_umask, tighten_files
from local_db.problems import (
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseTooNew,
    FolderNotWritable,
    UpgradeFailed,
    UpgradeNotRolledBack,
    explain,
)

T = TypeVar("T")

log = logging.getLogger(__name__)

SCHEMA_HEAD = "0015"  # the newest migration in local_db/migrations/versions (a test checks it)
MIGRATIONS = Path(__file__).with_name("migrations")
DATABASE_FILE = "till.sqlite3"
DATA_DIR_VARIABLE = "KASSA_DATA_DIR"
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
BULK_MMAP_BYTES = 1024 * 1024 * 1024  # memory-mapped I/O for background bulk work only  # above this, PRAGMA quick_check would slow start-up
_BEGIN = "kassa_begin"  # execution option: the statement that opens a transaction


def default_database_path() -> Path:
    """``$KASSA_DATA_DIR/till.sqlite3`` if set, else the user's data folder for "kassa"."""
    folder = os.environ.get(DATA_DIR_VARIABLE)
    if folder:
        return Path(folder) / DATABASE_FILE
    return Path(platformdirs.user_data_dir("kassa", appauthor=False)) / DATABASE_FILE


class WriteTurns:
    """The till's own writes go first: background writers wait while any is waiting or running."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._foreground = 0

    @contextmanager
    def foreground(self) -> Iterator[None]:
        with self._changed:
            self._foreground += 1
        try:
            yield
        finally:
            with self._changed:
                self._foreground -= 1
                if not self._foreground:
                    self._changed.notify_all()

    def wait_for_quiet(self) -> None:
        with self._changed:
            self._changed.wait_for(lambda: not self._foreground)


class BulkWriter:
    """One connection kept for a long piece of background work done in short transactions."""

    def __init__(self, conn: Connection, turns: WriteTurns) -> None:
        self.conn = conn
        self._turns = turns

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """BEGIN IMMEDIATE ... COMMIT, after giving way to the till's own writes."""
        self._turns.wait_for_quiet()
        with self.conn.begin():
            yield self.conn

    @contextmanager
    def durable_transaction(self) -> Iterator[Connection]:
        """The work's end, as durable as a sale (``synchronous=FULL``)."""
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA synchronous = FULL")
        try:
            with self.transaction() as conn:
                yield conn
        finally:
            raw.execute("PRAGMA synchronous = NORMAL")


@dataclass(eq=False)
class Database:
    """An open till database: the SQLAlchemy engine over one SQLite file."""

    engine: Engine
    path: Path
    turns: WriteTurns = field(default_factory=WriteTurns)

    @contextmanager
    def lookup(self) -> Iterator[Connection]:
        """A connection without a transaction, for one SELECT."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_BEGIN: ""})
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: every SELECT inside sees the same committed state."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_BEGIN: "BEGIN"})
            with conn.begin():
                yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE): commits on success, rolls back on any error.
        Background work waits while one of these is waiting or running (``turns``)."""
        with self.turns.foreground(), self.engine.connect() as conn:
            conn.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})
            with conn.begin():
                yield conn

    @contextmanager
    def bulk_writing(self, *, cache_kib: int) -> Iterator[BulkWriter]:
        """One connection for many background transactions (a new catalog being built), with
        a page cache of ``cache_kib``, ``synchronous=NORMAL`` (the work is thrown away and
        redone if power is lost before it is used) and foreign keys NOT enforced by SQLite,
        so whole tables can be filled, dropped and renamed without a lookup per row: the
        work done with it must keep its keys itself."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
            # the file read through memory: a sale committed meanwhile empties this
            # connection's page cache, and pages mapped from the OS's cache cost no reload
            raw.execute(f"PRAGMA mmap_size = {BULK_MMAP_BYTES}")
            raw.execute("PRAGMA synchronous = NORMAL")
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                yield BulkWriter(conn, self.turns)
            finally:
                raw.execute("PRAGMA mmap_size = 0")
                raw.execute("PRAGMA cache_size = -2000")  # SQLite's default, for the pool
                raw.execute("PRAGMA synchronous = FULL")
                raw.execute("PRAGMA foreign_keys = ON")

    def read(self, work: Callable[[Connection], T], doing: str) -> T:
        """Run ``work`` in a read transaction; a database error becomes a StorageProblem
        that says what the till was ``doing``."""
        try:
            with self.reading() as conn:
                return work(conn)
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.path, doing=doing) from error

    def write(self, work: Callable[[Connection], T], doing: str) -> T:
        """Run ``work`` in a write transaction (committed on success); errors as in ``read``."""
        try:
            with self.writing() as conn:
                return work(conn)
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.path, doing=doing) from error

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_database(path: Path, *, busy_timeout_ms: int = 3000, upgrade: bool = True) -> Database:
    """Open (or create) the till database at ``path`` and bring its schema to the newest
    version.  Raises a StorageProblem that says what to do when it cannot.

    With ``upgrade=False`` (a read-only inspector such as ``kassa doctor``) the file must
    exist; it is opened as it is: no folder or file is created, no migration runs, its
    journal mode is left alone and no quick check is made, so nothing is written to it and
    :func:`schema_version` tells where it is (compare with :data:`SCHEMA_HEAD`)."""
    path = Path(path)
    if not upgrade:
        return _open_as_it_is(path, busy_timeout_ms)
    try:
        if not path.parent.is_dir():
            private_folder(path.parent)  # a new folder is 0700
    except OSError as error:
        raise FolderNotWritable(folder=str(path.parent), reason=error.strerror or str(error)) from None
    if path.is_dir():
        raise DatabaseDamaged(path=str(path), reason="it is a folder")
    files = database_files(path)
    tighten_files(path.parent, files)  # an older install's 0644: SQLite copies it to new -wal/-shm
    engine = _make_engine(path, busy_timeout_ms)
    db = Database(engine, path)
    try:
        with private_umask():  # the first connection creates the file, its -wal and -shm: 0600
            version = schema_version(db)
        tighten_files(path.parent, files)
        if version != SCHEMA_HEAD:
            if version is not None and pending_migrations(version):
                _upgrade_keeping_a_backup(db, version)
            else:  # a new file is created; one of a newer Kassa is refused (DatabaseTooNew)
                upgrade_schema(db)
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            _quick_check(db)
    except BaseException as error:
        engine.dispose()
        if isinstance(error, (sa_exc.SQLAlchemyError, OSError)):
            raise explain(error, path=path, doing="opening the database") from error
        raise
    return db


def _open_as_it_is(path: Path, busy_timeout_ms: int) -> Database:
    if path.is_dir():
        raise DatabaseDamaged(path=str(path), reason="it is a folder")
    if not path.is_file():
        raise DatabaseMissing(path=str(path))
    engine = _make_engine(path, busy_timeout_ms, wal=False)
    db = Database(engine, path)
    try:
        schema_version(db)  # a file that is not a database says so here
    except BaseException as error:
        engine.dispose()
        if isinstance(error, (sa_exc.SQLAlchemyError, OSError)):
            raise explain(error, path=path, doing="opening the database") from error
        raise
    return db


def database_files(path: Path) -> tuple[str, ...]:
    """The names of the database file and of the files SQLite keeps beside it."""
    return (path.name, *(path.name + suffix for suffix in ("-wal", "-shm", "-journal")))


def _make_engine(path: Path, busy_timeout_ms: int, *, wal: bool = True) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False},
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=8,
    )

    @event.listens_for(engine, "connect")
    def _set_up_connection(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _begin)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if wal:  # a file opened as it is (upgrade=False) keeps its journal mode
                mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.warning("SQLite refused WAL mode for %s (got %s)", path, mode)
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        statement = conn.get_execution_options().get(_BEGIN, "BEGIN")
        if statement:
            conn.exec_driver_sql(statement)

    return engine


def schema_version(db: Database) -> str | None:
    """The Alembic revision the file is at; None for a new, empty file."""
    with db.lookup() as conn:
        has_table = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if not has_table:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


def migration_order() -> tuple[str, ...]:
    """Every revision in ``local_db/migrations/versions``, oldest first (the last is SCHEMA_HEAD)."""
    return _migration_order(str(MIGRATIONS))


@lru_cache(maxsize=4)
def _migration_order(location: str) -> tuple[str, ...]:
    from alembic.script import Script, ScriptDirectory

    script = ScriptDirectory(location)
    order: list[str] = []
    revision: Script | None = script.get_revision("head")
    while revision is not None:
        order.append(revision.revision)
        below = revision.down_revision
        revision = script.get_revision(below) if isinstance(below, str) else None
    return tuple(reversed(order))


def pending_migrations(version: str | None) -> tuple[str, ...] | None:
    """The migrations a file at schema ``version`` still needs, in order (empty at head);
    every one for a new file (``None``); ``None`` for a schema this Kassa does not know (newer)."""
    order = migration_order()
    if version is None:
        return order
    if version not in order:
        return None
    return order[order.index(version) + 1:]


class MigrationFailed(Exception):
    """A migration raised: ``reached`` is the schema the file had reached in the failed
    transaction (SQLite rolls the whole upgrade back), ``error`` what went wrong."""

    def __init__(self, reached: str | None, error: BaseException) -> None:
        super().__init__(f"migration after schema {reached} failed: {error}")
        self.reached = reached
        self.error = error


def upgrade_schema(db: Database) -> None:
    """Run the Alembic migrations up to head, in one transaction holding the write lock.
    DatabaseTooNew for a file of a newer Kassa; MigrationFailed when a migration raises (the
    transaction is rolled back: the file stays at the schema it had)."""
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.writing() as conn:
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as error:
            version = _version_in(conn) or "?"
            log.error("cannot upgrade the database from %s: %s", version, error)
            raise DatabaseTooNew(version=version) from None
        except Exception as error:
            raise MigrationFailed(_version_in(conn), error) from error
    log.info("database %s upgraded to schema %s", db.path, SCHEMA_HEAD)


def _version_in(conn: Connection) -> str | None:
    try:
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    except sa_exc.SQLAlchemyError:
        return None
    return None if row is None else str(row[0])


def _upgrade_keeping_a_backup(db: Database, version: str) -> None:
    """Back the file up, then migrate it; if a migration fails, put the backup back and
    refuse to go on (UpgradeFailed), so the till never runs on a half-upgraded file."""
    copy = backups.backup_before_upgrade(db.path, SCHEMA_HEAD)
    try:
        upgrade_schema(db)
    except MigrationFailed as failure:
        pending = pending_migrations(failure.reached) or pending_migrations(version) or (SCHEMA_HEAD,)
        fields = {"version": version, "migration": pending[0], "reason": _reason(failure.error),
                  "backup": str(copy.path), "path": str(db.path)}
        log.error("migration %s of %s failed; putting back the backup %s", pending[0], db.path, copy.path,
                  exc_info=failure.error)
        db.engine.dispose()
        try:
            if backups.open_elsewhere(db.path):
                _leave_the_rolled_back_file(db.path, version)
            else:
                backups.put_in_place(copy.path, db.path)
        except Exception as error:  # noqa: BLE001 - said in the message, and logged
            log.exception("could not put the backup %s back in place of %s", copy.path, db.path)
            raise UpgradeNotRolledBack(restore_reason=_reason(error), **fields) from failure.error
        raise UpgradeFailed(**fields) from failure.error


def _leave_the_rolled_back_file(path: Path, version: str) -> None:
    """Another program has the file open (a till of the older Kassa still running): putting
    the backup in its place would lose what that program writes.  SQLite rolled the failed
    upgrade back, so the file is as it was: it stays, and the backup is kept beside it."""
    found = backups.inspect_copy(path).schema
    if found != version:
        raise OSError(f"another program has the database open, and it is at schema {found}")
    log.warning("%s is open in another program: left as SQLite rolled it back (schema %s), not replaced", path, version)


def _reason(error: BaseException) -> str:
    cause = error.orig if isinstance(error, sa_exc.DBAPIError) and error.orig is not None else error
    text = " ".join(str(cause).split())
    return text[:300] or type(cause).__name__


def _quick_check(db: Database) -> None:
    with db.lookup() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        raise DatabaseDamaged(path=str(db.path), reason="; ".join(rows[:3]))


def integrity_problems(db: Database) -> list[str]:
    """The full ``PRAGMA integrity_check`` (slow on a big catalog: for a maintenance screen)."""
    try:
        with db.lookup() as conn:
            rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing="checking the database") from error
    return [] if rows == ["ok"] else rows
