"""Upgrades keep all data: a till database made by each earlier schema is backed up (SQLite's
online backup) and migrated to the newest schema with every row kept; a failed migration
puts the file back as it was and the till refuses to start on it, again at the next start."""

from __future__ import annotations

import hashlib
import shutil
import stat
from pathlib import Path

import pytest

import local_db.backups as backups
import local_db.database as database
from local_db.cashiers import SqlCashiers
from local_db.catalog import SqlCatalog
from local_db.database import SCHEMA_HEAD, open_database, schema_version
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from local_db.outbox import OutboxCounts, SqlOutbox
from local_db.problems import BackupWontFit, DatabaseMissing, UpgradeFailed
from tests.fakes import SHAMPOO
from tests.local_db.conftest import TILL_ID, make_sql_till, sell
from tests.local_db.old_tills import (
    EARLIER_SCHEMAS,
    PRODUCTS,
    make_old_till,
    migrate,
    schema_text,
    table_columns,
    table_rows,
)

VERSIONS = database.MIGRATIONS / "versions"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _schema_of(path: Path) -> str | None:
    with open_database(path, upgrade=False) as db:
        return schema_version(db)


@pytest.mark.parametrize("schema", EARLIER_SCHEMAS)
def test_a_database_of_each_earlier_schema_is_upgraded_and_keeps_every_row(tmp_path: Path, schema: str) -> None:
    old = make_old_till(tmp_path / "till.sqlite3", schema)
    columns = table_columns(old.path)
    before = table_rows(old.path, columns)
    store_day = 3 if schema >= "0007" else 0  # a shift opening, a cash movement and a return
    assert len(before["sales"]) == 4 and len(before["outbox"]) == 4 + store_day and len(before["cashiers"]) == 2

    with open_database(old.path) as db:
        assert schema_version(db) == SCHEMA_HEAD
        assert table_rows(old.path, columns) == before
        assert journal_check(db) == []
        journal = SqlJournal(db, TILL_ID)
        assert [journal.get_sale(sale.sale_id) for sale in old.sales] == list(old.sales)
        assert [SqlCatalog(db).by_code(p.code) for p in PRODUCTS] == list(PRODUCTS)
        assert SqlCashiers(db).sign_in("7", "4321") is not None
        assert journal.load_basket() is not None  # the basket left open is still there
        counts = SqlOutbox(db).counts()
        if schema >= "0002":
            assert counts == OutboxCounts(waiting=2 + store_day, quarantined=1, acknowledged=1)
        else:
            assert counts.waiting == 4
        journal.discard_basket()
        assert sell(make_sql_till(journal), SHAMPOO.barcode).receipt_number == 5  # no gap, no repeat
        assert journal_check(db) == []

    [backup] = backups.upgrade_backups(old.path)
    assert backup.name.startswith(f"till.sqlite3.before-{SCHEMA_HEAD}-") and backup.suffix == ".bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert _schema_of(backup) == schema
    assert table_rows(backup, columns) == before


def test_a_new_database_and_one_already_at_the_newest_schema_are_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_database(path).close()
    open_database(path).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["till.sqlite3"]


def test_only_the_last_three_upgrade_backups_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    older = [tmp_path / f"till.sqlite3.before-0005-2026110{day}T080000Z.bak" for day in (1, 2, 3)]
    for file in older:
        file.write_bytes(b"an older upgrade's copy")
    make_old_till(path, EARLIER_SCHEMAS[-1])
    open_database(path).close()
    kept = backups.upgrade_backups(path)
    assert kept[:2] == older[1:] and len(kept) == 3
    assert _schema_of(kept[2]) == EARLIER_SCHEMAS[-1]


def _break_migration_0006(path: Path) -> None:
    """A hand-edited file: the outbox already has the column migration 0006 renames to."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE outbox ADD COLUMN row_id INTEGER")
    conn.commit()
    conn.close()


def test_a_failed_real_migration_puts_the_old_file_back_and_the_till_refuses_to_start(tmp_path: Path) -> None:
    old = make_old_till(tmp_path / "till.sqlite3", "0004")
    _break_migration_0006(old.path)
    before, shape = table_rows(old.path), schema_text(old.path)

    with pytest.raises(UpgradeFailed) as caught:
        open_database(old.path)

    [backup] = backups.upgrade_backups(old.path)
    message = str(caught.value)
    for words in ("from schema 0004", "migration 0006 failed", "duplicate column name: row_id",
                  f"The database {old.path} is back exactly as it was", str(backup),
                  "will not run on a half-upgraded file", "Tell IT"):
        assert words in message
    # 0005 had run in the same transaction: its table went with the rollback
    assert schema_text(old.path) == shape and table_rows(old.path) == before
    assert _schema_of(old.path) == "0004"
    assert not Path(str(old.path) + "-wal").exists()

    with pytest.raises(UpgradeFailed):  # the next start refuses again, on the same old file
        open_database(old.path)
    assert schema_text(old.path) == shape and table_rows(old.path) == before


BAD_MIGRATION = '''"""A test's migration that changes rows and tables, then fails."""
from alembic import op

revision = "0999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TABLE loyalty_cards (card TEXT PRIMARY KEY)")
    op.execute("UPDATE cashiers SET name = 'changed'")
    op.execute("DELETE FROM outbox")
    op.execute("UPDATE till_counter SET next_receipt_number = 1")
    raise RuntimeError("the loyalty import found no cards file")


def downgrade() -> None:
    pass
'''


@pytest.fixture
def migrations_with_a_bad_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real migrations with a failing 0999 after the head."""
    location = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS, location, ignore=shutil.ignore_patterns("__pycache__"))
    (location / "versions" / "0999_bad.py").write_text(BAD_MIGRATION.replace("{head}", SCHEMA_HEAD))
    monkeypatch.setattr(database, "MIGRATIONS", location)
    monkeypatch.setattr(database, "SCHEMA_HEAD", "0999")
    return location


def test_a_failed_migration_after_the_head_leaves_every_row_as_it_was(tmp_path: Path, migrations_with_a_bad_one: Path) -> None:
    path = tmp_path / "data" / "till.sqlite3"
    path.parent.mkdir()
    old = make_old_till(path, EARLIER_SCHEMAS[-1])
    migrate_to_real_head(path)
    before, shape = table_rows(path), schema_text(path)
    inode = path.stat().st_ino

    with pytest.raises(UpgradeFailed) as caught:
        open_database(path)

    assert path.stat().st_ino != inode  # the backup was put in the file's place
    message = str(caught.value)
    assert f"from schema {SCHEMA_HEAD}: migration 0999 failed (the loyalty import found no cards file)" in message
    assert schema_text(path) == shape and table_rows(path) == before
    with open_database(path, upgrade=False) as db:
        assert schema_version(db) == SCHEMA_HEAD
        assert journal_check(db) == []
        assert SqlJournal(db, TILL_ID).get_sale(old.sales[-1].sale_id) == old.sales[-1]
    with pytest.raises(UpgradeFailed):
        open_database(path)
    assert table_rows(path) == before
    assert len(backups.upgrade_backups(path)) == 2  # one per attempt, each the same old file
    assert all(table_rows(copy) == before for copy in backups.upgrade_backups(path))


def migrate_to_real_head(path: Path) -> None:
    with database.Database(database._make_engine(path, 3000), path) as db:
        migrate(db, SCHEMA_HEAD)


def test_an_upgrade_that_cannot_back_up_for_lack_of_disk_does_not_start(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    old = make_old_till(tmp_path / "till.sqlite3", EARLIER_SCHEMAS[-1])
    before = _sha(old.path)
    free = shutil.disk_usage(tmp_path).free
    monkeypatch.setattr(backups, "SPARE_BYTES", free + 1)  # as if the disk were that much fuller

    with pytest.raises(BackupWontFit) as caught:
        open_database(old.path)

    assert "not enough free disk space for a backup" in str(caught.value)
    assert _sha(old.path) == before and _schema_of(old.path) == EARLIER_SCHEMAS[-1]
    assert backups.upgrade_backups(old.path) == [] and not list(tmp_path.glob("*.partial"))


def test_an_inspector_opens_an_old_file_without_writing_anything(tmp_path: Path) -> None:
    old = make_old_till(tmp_path / "till.sqlite3", EARLIER_SCHEMAS[0])
    before = _sha(old.path)
    with open_database(old.path, upgrade=False) as db:
        assert schema_version(db) == EARLIER_SCHEMAS[0]
        assert database.pending_migrations(schema_version(db)) == database.migration_order()[1:]
        assert journal_check(db) == []
    assert _sha(old.path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["till.sqlite3"]


def test_an_inspector_is_told_when_there_is_no_database_and_none_is_made(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing) as caught:
        open_database(tmp_path / "nothing" / "till.sqlite3", upgrade=False)
    assert "There is no till database at" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_migration_leaves_a_file_another_program_has_open_where_it_is(tmp_path: Path,
                                                                              migrations_with_a_bad_one: Path) -> None:
    """Replacing the file would cut that program (an older till still running) off from it:
    what it writes next would be lost.  SQLite rolled the upgrade back, so the file stays."""
    import sqlite3

    path = tmp_path / "till.sqlite3"
    make_old_till(path, EARLIER_SCHEMAS[-1])
    migrate_to_real_head(path)
    before, inode = table_rows(path), path.stat().st_ino
    other = sqlite3.connect(path, isolation_level=None)
    try:
        assert other.execute("SELECT COUNT(*) FROM sales").fetchone() == (4,)
        with pytest.raises(UpgradeFailed) as caught:
            open_database(path)
        assert "is back exactly as it was" in str(caught.value)
        assert path.stat().st_ino == inode and table_rows(path) == before
        other.execute("INSERT INTO sync_state (key, value) VALUES ('written_meanwhile', 'yes')")
    finally:
        other.close()
    assert ("written_meanwhile", "yes") in table_rows(path)["sync_state"]
    assert len(backups.upgrade_backups(path)) == 1


def test_kassa_refuses_to_start_on_a_database_whose_upgrade_fails_with_one_clear_line(tmp_path: Path) -> None:
    from tests.test_cli import kassa

    old = make_old_till(tmp_path / "till.sqlite3", "0005")
    _break_migration_0006(old.path)
    before = table_rows(old.path)
    config = tmp_path / "kassa.toml"
    config.write_text(f'[store]\nstore_id = "S001"\nname = "Shop"\n[database]\npath = "{old.path}"\n',
                      encoding="utf-8")
    for _start in range(2):
        result = kassa("check-journal", "--config", str(config), data_dir=tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert "could not upgrade the till's database from schema 0005: migration 0006 failed" in result.stderr
        assert "will not run on a half-upgraded file" in result.stderr and "Traceback" not in result.stderr
        assert table_rows(old.path) == before


def _break_migration_0007(path: Path) -> None:
    """A hand-edited file: a table named like one migration 0007 creates is already there."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE z_reports (note TEXT)")
    conn.commit()
    conn.close()


def test_a_failed_migration_0007_puts_the_0006_file_back_and_kassa_refuses_with_one_clear_line(
        tmp_path: Path) -> None:
    from tests.test_cli import kassa

    old = make_old_till(tmp_path / "till.sqlite3", "0006")
    _break_migration_0007(old.path)
    before, shape = table_rows(old.path), schema_text(old.path)

    with pytest.raises(UpgradeFailed) as caught:
        open_database(old.path)
    message = str(caught.value)
    for words in ("from schema 0006", "migration 0007 failed", "table z_reports already exists",
                  f"The database {old.path} is back exactly as it was"):
        assert words in message
    assert schema_text(old.path) == shape and table_rows(old.path) == before  # the outbox as 0006 had it
    assert _schema_of(old.path) == "0006"

    config = tmp_path / "kassa.toml"
    config.write_text(f'[store]\nstore_id = "S001"\nname = "Shop"\n[database]\npath = "{old.path}"\n',
                      encoding="utf-8")
    result = kassa("check-journal", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "could not upgrade the till's database from schema 0006: migration 0007 failed" in result.stderr
    assert table_rows(old.path) == before
