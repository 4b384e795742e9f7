"""Opening the till database: migrations, connection settings, clear messages on trouble."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from local_db.database import (
    MIGRATIONS,
    SCHEMA_HEAD,
    Database,
    default_database_path,
    integrity_problems,
    open_database,
    schema_version,
)
from local_db.problems import DatabaseDamaged, DatabaseInUse, DatabaseTooNew, FolderNotWritable
from pos.errors import StorageProblem

TABLES = {
    "vat_rates", "products", "barcodes", "product_search", "cashiers", "till_counter", "sales", "sale_lines",
    "sale_payments", "sale_taxes", "outbox", "print_jobs", "open_basket", "alembic_version",
}


def names(db: Database, kind: str) -> set[str]:
    with db.lookup() as conn:
        return set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = ?", (kind,)).scalars())


def test_migrations_create_the_schema_from_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "till.sqlite3"
    with open_database(path) as db:
        assert path.exists()
        assert TABLES <= names(db, "table")
        assert {"sales_no_update", "sales_no_delete", "sale_lines_no_delete", "products_search_insert"} <= names(db, "trigger")
        assert schema_version(db) == SCHEMA_HEAD
        assert integrity_problems(db) == []


def test_the_schema_head_in_the_code_is_the_newest_migration() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_every_connection_is_durable_and_checks_foreign_keys(db: Database) -> None:
    with db.lookup() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 3000


def test_reopening_a_current_database_does_not_even_load_alembic(db_path: Path) -> None:
    open_database(db_path).close()
    code = (
        "import sys; from pathlib import Path; from local_db.database import open_database; "
        f"open_database(Path({str(db_path)!r})).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "False"


def test_a_file_that_is_not_a_database_gives_a_clear_message(db_path: Path) -> None:
    db_path.write_bytes(b"Kassa price list, not a database\n" * 200)
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(db_path)
    message = caught.value.user_message()
    assert str(db_path) in message and "not a till database" in message and "backup" in message


def test_a_folder_in_place_of_the_database_gives_a_clear_message(db_path: Path) -> None:
    db_path.mkdir()
    with pytest.raises(DatabaseDamaged, match="folder"):
        open_database(db_path)


def test_a_folder_that_cannot_be_made_gives_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(FolderNotWritable) as caught:
        open_database(blocker / "till.sqlite3")
    assert str(blocker) in caught.value.user_message()


def test_a_database_locked_by_another_program_gives_a_clear_message(db_path: Path) -> None:
    open_database(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseInUse) as caught:
            open_database(db_path, busy_timeout_ms=50)
        assert "another program" in caught.value.user_message()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_database_from_a_newer_kassa_is_refused(db_path: Path) -> None:
    open_database(db_path).close()
    other = sqlite3.connect(db_path)
    other.execute("UPDATE alembic_version SET version_num = '0099'")
    other.commit()
    other.close()
    with pytest.raises(DatabaseTooNew, match="0099"):
        open_database(db_path)


def test_every_problem_opening_the_database_is_a_storage_problem() -> None:
    for problem in (DatabaseDamaged, DatabaseInUse, DatabaseTooNew, FolderNotWritable):
        assert issubclass(problem, StorageProblem)


def test_the_data_folder_can_be_chosen_with_an_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KASSA_DATA_DIR", str(tmp_path))
    assert default_database_path() == tmp_path / "till.sqlite3"
    monkeypatch.delenv("KASSA_DATA_DIR")
    assert default_database_path().name == "till.sqlite3"
    assert "kassa" in str(default_database_path()).lower()


def test_the_migrations_can_be_undone_and_redone(db: Database) -> None:
    from alembic import command

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.writing() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert names(db, "table") <= {"alembic_version", "sqlite_sequence"}
    with db.writing() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert TABLES <= names(db, "table")
