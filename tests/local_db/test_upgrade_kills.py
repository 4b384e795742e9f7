"""A till killed (SIGKILL) in the middle of upgrading its database leaves either the old
database or the new one, whole and usable, never a half-upgraded one: the migrations run in
one SQLite transaction, and a failed one's backup is put back by an atomic rename.

The child (tests/local_db/upgrade_child.py) stops before the N-th SQL statement of the
migrations and is killed there; N goes from 0 (backup made, nothing migrated) to the last
statement.  KASSA_SOAK=1 kills at every tenth statement instead of seven points."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import local_db.database as database
from local_db import backups
from local_db.database import SCHEMA_HEAD, open_database, schema_version
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from tests.local_db.conftest import TILL_ID
from tests.local_db.old_tills import EARLIER_SCHEMAS, OldTill, make_old_till, schema_text, table_columns, table_rows
from tests.local_db.test_upgrades import BAD_MIGRATION

ROOT = Path(__file__).resolve().parents[2]
OLDEST = EARLIER_SCHEMAS[0]
SOAK = bool(os.environ.get("KASSA_SOAK"))


def run_child(path: Path, stop_at: str, migrations: Path | None = None) -> str:
    """Start the till's upgrade in a child; SIGKILL it if it says STOPPED; what it said."""
    command = [sys.executable, "-m", "tests.local_db.upgrade_child", str(path), stop_at]
    if migrations is not None:
        command.append(str(migrations))
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    said = proc.stdout.readline().strip()
    if said == "STOPPED":
        proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)
    assert said, f"the child said nothing: {err[-2000:]}"
    return said


@cache
def statements_in_an_upgrade(schema: str) -> int:
    """How many SQL statements upgrading a file of ``schema`` runs (one run to the end)."""
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"kassa-upgrade-count-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        old = make_old_till(folder / "till.sqlite3", schema)
        said = run_child(old.path, "statement:never")
        assert said.startswith("DONE "), said
        return int(said.split()[1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_old_or_new(old: OldTill, before: dict[str, list[tuple[object, ...]]], columns: dict[str, list[str]]) -> str:
    with open_database(old.path, upgrade=False) as db:
        found = schema_version(db)
    assert found in (old.schema, SCHEMA_HEAD), f"a half-upgraded file: schema {found}"
    if found == old.schema:  # the old database, whole: every row and table as it was
        assert table_rows(old.path) == table_rows(backups.upgrade_backups(old.path)[-1])
    assert table_rows(old.path, columns) == before
    with open_database(old.path) as db:  # and the next start upgrades it and sells on
        assert schema_version(db) == SCHEMA_HEAD
        assert journal_check(db) == []
        journal = SqlJournal(db, TILL_ID)
        assert [journal.get_sale(sale.sale_id) for sale in old.sales] == list(old.sales)
    assert table_rows(old.path, columns) == before
    return found


POINTS = [i / 10 for i in range(11)] if SOAK else [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]


@pytest.mark.parametrize("share", POINTS)
def test_a_kill_inside_the_upgrade_leaves_the_old_or_the_new_database_never_a_half_one(tmp_path: Path,
                                                                                        share: float) -> None:
    total = statements_in_an_upgrade(OLDEST)
    assert total > 20  # an upgrade from 0001 runs many statements: the points below are spread over them
    stop = round(share * total)
    old = make_old_till(tmp_path / "till.sqlite3", OLDEST)
    columns = table_columns(old.path)
    before = table_rows(old.path, columns)

    said = run_child(old.path, f"statement:{stop}")

    assert said == "STOPPED"
    assert _check_old_or_new(old, before, columns) == OLDEST  # the kill came before the commit


def test_a_kill_after_the_upgrade_committed_leaves_the_new_database(tmp_path: Path) -> None:
    old = make_old_till(tmp_path / "till.sqlite3", OLDEST)
    columns = table_columns(old.path)
    before = table_rows(old.path, columns)
    assert run_child(old.path, "statement:never").startswith("DONE ")
    assert _check_old_or_new(old, before, columns) == SCHEMA_HEAD


def test_a_kill_while_a_failed_upgrades_backup_is_put_back_leaves_the_old_database(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "0999_bad.py").write_text(BAD_MIGRATION.replace("{head}", SCHEMA_HEAD))
    old = make_old_till(tmp_path / "till.sqlite3", EARLIER_SCHEMAS[-1])
    open_database(old.path).close()  # at the real head; the test's 0999 is the one to fail
    before, shape = table_rows(old.path), schema_text(old.path)

    assert run_child(old.path, "restore", migrations) == "STOPPED"

    assert schema_text(old.path) == shape and table_rows(old.path) == before
    assert run_child(old.path, "statement:never", migrations) == "REFUSED"  # and the next start refuses
    assert schema_text(old.path) == shape and table_rows(old.path) == before
    with open_database(old.path) as db:  # this Kassa (without 0999) sells on it
        assert journal_check(db) == []
