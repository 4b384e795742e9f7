"""The migrations build the tables the code uses; docs/openapi.json is the app's own."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from central.app import openapi_document
from central.database import HubDatabase
from central.tables import metadata

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_migrations_build_the_tables_the_code_uses(hub_db: HubDatabase) -> None:
    with hub_db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_migrating_twice_changes_nothing(hub_db: HubDatabase) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from central.database import MIGRATIONS, migrate

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    newest = ScriptDirectory.from_config(config).get_current_head()
    migrate(hub_db)
    with hub_db.reading() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == newest
    assert newest is not None and int(newest) >= 6  # 0006: the promotions


def test_the_committed_openapi_document_matches_the_app() -> None:
    committed = OPENAPI.read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(openapi_document()), (
        "docs/openapi.json is stale: regenerate it with  .venv/bin/python -m central.app > docs/openapi.json")
    assert committed == openapi_document()
