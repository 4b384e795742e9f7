"""The migrations build the tables the code uses; docs/openapi.json is the app's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from central.app import openapi_document
from central.database import SCHEMA_HEAD, HubDatabase, open_hub_database, schema_version
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


def test_the_schema_head_in_the_code_is_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from central.database import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_a_hub_database_at_the_newest_migration_opens_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    with open_hub_database(url, migrate_schema=True) as db:
        assert schema_version(db) == SCHEMA_HEAD
    opened = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom central.database import open_hub_database\n"
         f"open_hub_database({url!r}, migrate_schema=True).close()\nprint('alembic' in sys.modules)"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    assert opened.stdout.strip() == "False", opened.stderr


def test_an_empty_database_has_no_schema_version_until_migrated(tmp_path: Path) -> None:
    with open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite3'}") as db:
        assert schema_version(db) is None


def test_the_committed_openapi_document_matches_the_app() -> None:
    committed = OPENAPI.read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(openapi_document()), (
        "docs/openapi.json is stale: regenerate it with  .venv/bin/python -m central.app > docs/openapi.json")
    assert committed == openapi_document()
