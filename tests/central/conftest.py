"""The hub on both its databases: SQLite (a file in tmp_path) and PostgreSQL
($KASSA_TEST_PG_URL; each test gets a fresh schema, or a fresh database: its role needs
CREATEDB, as .ci/postgres.sh's has).  Locally, without that variable, the PostgreSQL cases
are skipped; CI always sets it (.ci/postgres.sh).

A test that opens the hub's database (``hub_db``, and so ``client`` and ``shop``) gets it
already migrated: a copy of one each worker migrated once (a file copy; PostgreSQL's
``CREATE DATABASE ... TEMPLATE``), as migrating it would leave it.  That took the hub's tests
from about 0.3 s of set-up each to a few hundredths.  A test of ``database_url`` alone still
gets an empty database (the migrations' own tests)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from central.app import create_app
from central.database import HubDatabase, open_hub_database
from tests.central.shop import Shop

PG_VARIABLE = "KASSA_TEST_PG_URL"


def postgresql_url() -> str:
    url = os.environ.get(PG_VARIABLE)
    if not url:
        pytest.skip(f"{PG_VARIABLE} is not set (CI sets it with .ci/postgres.sh)")
    return url


@contextmanager
def scratch_postgresql_url(prefix: str = "hub_test") -> Iterator[str]:
    """A URL whose connections use a new, empty schema (dropped afterwards)."""
    base = postgresql_url()
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def fresh_postgresql_url() -> Iterator[str]:
    """A URL whose connections use a new, empty schema (dropped afterwards)."""
    with scratch_postgresql_url() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, or a migrated one when the test opens it with ``hub_db`` (which
    migrates it first thing: the same database, made faster)."""
    migrated = "hub_db" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "hub.sqlite3"
        if migrated:
            _copy_sqlite(request.getfixturevalue("migrated_sqlite"), path)
        return f"sqlite:///{path}"
    return str(request.getfixturevalue("migrated_postgresql_url" if migrated else "fresh_postgresql_url"))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hub database file migrated once for this worker."""
    path = tmp_path_factory.mktemp("hub-template") / "hub.sqlite3"
    open_hub_database(f"sqlite:///{path}", migrate_schema=True).close()
    return path


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


@pytest.fixture(scope="session")
def migrated_postgresql_template() -> Iterator[str]:
    """The name of a PostgreSQL database migrated once for this worker (nothing stays
    connected to it: a template must be idle to be copied)."""
    with _scratch_database("hub_template") as (name, url):
        open_hub_database(url, migrate_schema=True).close()
        yield name


@pytest.fixture
def migrated_postgresql_url(migrated_postgresql_template: str) -> Iterator[str]:
    """A URL of a new database copied from the migrated template (dropped afterwards)."""
    with _scratch_database("hub_test", template=migrated_postgresql_template) as (_, url):
        yield url


@contextmanager
def _scratch_database(prefix: str, template: str | None = None) -> Iterator[tuple[str, str]]:
    """The name and URL of a new PostgreSQL database (a copy of ``template``), dropped afterwards."""
    base = postgresql_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    try:
        yield name, make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin: Engine, name: str) -> None:
    """Dropped: PostgreSQL stops an autovacuum worker in it by itself (a worker ``WITH (FORCE)``
    may not end: it is the superuser's); a connection a test left open is ended with FORCE."""
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
    except sa_exc.DBAPIError:  # still in use by a connection of ours
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def hub_db(database_url: str) -> Iterator[HubDatabase]:
    db = open_hub_database(database_url, migrate_schema=True)  # a copy already migrated: one query
    yield db
    db.close()


@pytest.fixture
def client(database_url: str, hub_db: HubDatabase) -> Iterator[TestClient]:
    app = create_app(database_url)
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.close()


@pytest.fixture
def shop(hub_db: HubDatabase, client: TestClient) -> Shop:
    """A store with the fakes' products on the hub, and a helper to enrol its tills."""
    return Shop.set_up(hub_db, client)
