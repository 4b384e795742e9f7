"""The hub on both its databases: SQLite (a file in tmp_path) and PostgreSQL
($KASSA_TEST_PG_URL; each test gets a fresh schema).  Locally, without that variable,
the PostgreSQL cases are skipped; CI always sets it (.ci/postgres.sh)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
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
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return str(request.getfixturevalue("fresh_postgresql_url"))


@pytest.fixture
def hub_db(database_url: str) -> Iterator[HubDatabase]:
    db = open_hub_database(database_url, migrate_schema=True)
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
