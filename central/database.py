"""The hub's database: one SQLAlchemy engine over SQLite (a single store's demo hub) or
PostgreSQL (the chain's hub, several hub processes at once), with the same code and the
same Alembic migrations on both.

Transactions:

* :meth:`HubDatabase.writing` - on SQLite ``BEGIN IMMEDIATE`` (the single writer takes the
  write lock first, so a write never fails half-way); on PostgreSQL an ordinary
  READ COMMITTED transaction, made safe by unique constraints and row locks.
* :meth:`HubDatabase.reading` - a read transaction.

Nothing the hub keeps in memory matters for correctness: every request reads what it
needs, so any number of hub processes can serve one PostgreSQL database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from central.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_HEAD = "0014"  # the newest migration in central/migrations/versions (a test checks it)
DATABASE_VARIABLE = "KASSA_HUB_DATABASE"
_BEGIN = "kassa_begin"  # execution option: the statement that opens a SQLite transaction
_MIGRATION_LOCK = 7_346_217  # PostgreSQL advisory lock key: one migrating process at a time


@dataclass(eq=False)
class HubDatabase:
    engine: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction: commits on success, rolls back on any error."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})
            with conn.begin():
                yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(**{_BEGIN: "BEGIN"})
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> HubDatabase:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def shown_url(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL we cannot parse is shown as given
        return url


def connect(url: str) -> HubDatabase:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``)."""
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        raise DatabaseUnavailable(f"{url!r} is not a database URL (sqlite:///FILE or postgresql+psycopg://...)") from None
    if parsed.get_backend_name() == "sqlite":
        return HubDatabase(_sqlite_engine(url))
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return HubDatabase(create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True))
    raise DatabaseUnavailable(f"the hub runs on SQLite or PostgreSQL, not {parsed.get_backend_name()}")


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           poolclass=QueuePool, pool_size=8, max_overflow=16)

    @event.listens_for(engine, "connect")
    def _set_up(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _begin)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")  # an accepted sale survives a power cut
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA temp_store = MEMORY")  # the catalog import's staging tables
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN, "BEGIN"))

    return engine


def migrate(db: HubDatabase) -> None:
    """Bring the schema to the newest migration, in one transaction (PostgreSQL: under an
    advisory lock, so hub processes starting together migrate one after the other).  A
    database already at :data:`SCHEMA_HEAD` costs one small query: Alembic is not even
    imported (its import was a third of a hub process's start, 0.35 s of 1.0)."""
    try:
        if schema_version(db) == SCHEMA_HEAD:
            return
    except sa_exc.OperationalError as error:
        raise unavailable(db, error) from None
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with db.writing() as conn:
            if not db.is_sqlite:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except sa_exc.OperationalError as error:
        raise unavailable(db, error) from None


def open_hub_database(url: str, *, migrate_schema: bool = False) -> HubDatabase:
    db = connect(url)
    try:
        if migrate_schema:
            migrate(db)
        else:
            with db.reading() as conn:
                conn.exec_driver_sql("SELECT 1")
    except sa_exc.OperationalError as error:
        db.close()
        raise unavailable(db, error) from None
    except BaseException:
        db.close()
        raise
    return db


def unavailable(db: HubDatabase, error: Exception) -> DatabaseUnavailable:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return DatabaseUnavailable(f"cannot use the database {shown_url(str(db.engine.url))}: {reason}")


def schema_version(db: HubDatabase) -> str | None:
    """The migration the database is at (None: not a hub database yet)."""
    with db.reading() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
