"""``kassa backup`` and ``kassa restore`` as IT runs them: the real command in a fresh
process on real files; a backup taken while another process sells is a whole, consistent
till database; a restore is refused while the till runs and for a file that is not this
till's database, and keeps the database it replaces."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from local_db.backups import inspect_copy
from local_db.database import SCHEMA_HEAD, open_database, schema_version
from local_db.demo_store import create_demo_store
from local_db.journal_check import journal_check
from shell.till import claim_database, release_database
from tests.crash.sale_loop import CATALOG_SIZE
from tests.local_db.old_tills import make_old_till, table_rows
from tests.test_cli import kassa

ROOT = Path(__file__).resolve().parents[2]


def _config(folder: Path, db: Path, store: str = "S1", till: str = "T01") -> Path:
    config = folder / "kassa.toml"
    config.write_text(f'[store]\nstore_id = "{store}"\nname = "Shop"\n[till]\ntill_id = "{till}"\n'
                      f'[database]\npath = "{db}"\n', encoding="utf-8")
    return config


def _sell(db: Path, sales: int) -> None:
    """``sales`` sales made by the crash test's headless till (store S1, till T01)."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.crash.sale_loop", str(db), "7"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    done = 0
    while done < sales:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        done += line.startswith("COMPLETED")
    proc.kill()
    proc.communicate()


@pytest.fixture
def till_db(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "till.sqlite3"
    with open_database(db) as database:
        create_demo_store(database, items=CATALOG_SIZE)
    _sell(db, 3)
    return db


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_kassa_backup_writes_a_checked_private_copy_beside_the_database_and_says_where(tmp_path: Path,
                                                                                      till_db: Path) -> None:
    config = _config(tmp_path, till_db)
    result = kassa("backup", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    [copy] = till_db.parent.glob("till.sqlite3.backup-*.bak")
    assert re.fullmatch(r"till\.sqlite3\.backup-\d{8}T\d{6}Z\.bak", copy.name)
    assert result.stdout.startswith(f"{copy}: ") and "integrity ok" in result.stdout
    assert f"schema {SCHEMA_HEAD}, 3 sales, last receipt 3" in result.stdout
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert table_rows(copy) == table_rows(till_db)
    assert not Path(str(copy) + "-wal").exists()  # one self-contained file

    named = tmp_path / "monday.bak"
    assert kassa("backup", str(named), "--config", str(config), data_dir=tmp_path).returncode == 0
    assert table_rows(named) == table_rows(till_db)
    again = kassa("backup", str(named), "--config", str(config), data_dir=tmp_path)
    assert again.returncode == 2 and f"{named} already exists" in again.stderr
    stick = tmp_path / "usb"
    stick.mkdir()
    assert kassa("backup", str(stick), "--config", str(config), data_dir=tmp_path).returncode == 0
    [on_stick] = stick.glob("till.sqlite3.backup-*.bak")
    assert table_rows(on_stick) == table_rows(till_db)


def test_kassa_backup_of_a_till_with_no_database_says_there_is_none(tmp_path: Path) -> None:
    config = _config(tmp_path, tmp_path / "nothing" / "till.sqlite3")
    result = kassa("backup", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2
    assert "there is no till database at" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "nothing").exists()


def test_a_backup_taken_while_another_process_sells_is_a_whole_consistent_till_database(tmp_path: Path,
                                                                                       till_db: Path) -> None:
    config = _config(tmp_path, till_db)
    seller = subprocess.Popen([sys.executable, "-m", "tests.crash.sale_loop", str(till_db), "11"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert seller.stdout is not None
    try:
        seller.stdout.readline()  # REOPENED: it is selling from here on
        copies = []
        for number in range(3):
            copy = tmp_path / f"during-{number}.bak"
            result = kassa("backup", str(copy), "--config", str(config), data_dir=tmp_path)
            assert result.returncode == 0, result.stderr
            copies.append(copy)
        sold = sum(line.startswith("COMPLETED") for line in _lines_so_far(seller))
    finally:
        seller.kill()
        _out, err = seller.communicate()
    assert "Traceback" not in err, err[-2000:]  # the seller never failed for the backups
    counts = []
    for copy in copies:
        with open_database(copy, upgrade=False) as db:
            assert journal_check(db) == []  # gapless receipts, every sale whole with its outbox row
            counts.append(inspect_copy(copy).sales)
    assert counts == sorted(counts) and counts[0] >= 3
    assert sold > 0


def _lines_so_far(proc: subprocess.Popen[str]) -> list[str]:
    """One more line from the seller: it was still selling after the backups."""
    assert proc.stdout is not None
    return [proc.stdout.readline() for _ in range(20)]


def test_kassa_restore_puts_a_backup_back_and_keeps_the_database_it_replaces(tmp_path: Path, till_db: Path) -> None:
    config = _config(tmp_path, till_db)
    monday = tmp_path / "monday.bak"
    assert kassa("backup", str(monday), "--config", str(config), data_dir=tmp_path).returncode == 0
    _sell(till_db, 2)
    newer = table_rows(till_db)

    refused = kassa("restore", str(monday), "--config", str(config), data_dir=tmp_path)
    assert refused.returncode == 2
    assert (f"the current database {till_db} has 5 sales up to receipt 5, the backup only 3 up to receipt 3"
            in refused.stderr)
    assert "would number new sales from 4 again" in refused.stderr and "--force" in refused.stderr
    assert table_rows(till_db) == newer and list(till_db.parent.glob("*.bak")) == []

    result = kassa("restore", str(monday), "--force", "--config", str(config), data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    assert f"{till_db}: restored from {monday} (schema {SCHEMA_HEAD}, 3 sales, last receipt 3)" in result.stdout
    [kept] = till_db.parent.glob("till.sqlite3.before-restore-*.bak")
    assert f"the database it replaced is kept in {kept}" in result.stdout
    assert table_rows(kept) == newer and inspect_copy(kept).sales == 5
    assert table_rows(till_db) == table_rows(monday)
    assert stat.S_IMODE(till_db.stat().st_mode) == 0o600
    assert not till_db.with_name("till.sqlite3.incoming").exists()
    with open_database(till_db) as db:
        assert journal_check(db) == []
    _sell(till_db, 1)  # the till sells on from receipt 4
    assert inspect_copy(till_db).last_receipt == 4


def test_kassa_restore_is_refused_while_the_till_runs(tmp_path: Path, till_db: Path) -> None:
    config = _config(tmp_path, till_db)
    monday = tmp_path / "monday.bak"
    assert kassa("backup", str(monday), "--config", str(config), data_dir=tmp_path).returncode == 0
    before = table_rows(till_db)
    lock = claim_database(till_db)  # as the running till holds it
    try:
        result = kassa("restore", str(monday), "--config", str(config), data_dir=tmp_path)
    finally:
        release_database(lock)
    assert result.returncode == 2
    assert f"the till is running on {till_db}" in result.stderr and "close it first" in result.stderr
    assert table_rows(till_db) == before
    assert list(till_db.parent.glob("*.bak")) == []


def _not_a_database(path: Path) -> str:
    path.write_bytes(b"these are not the sales you are looking for" * 100)
    return "is not a database or is damaged"


def _damaged(path: Path) -> str:
    data = bytearray(path.read_bytes())
    for offset in range(4096 + 100, len(data), 4096):  # scribble over every page but the first
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return "is not a database or is damaged"


def _not_kassa(path: Path) -> str:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    return "not a Kassa till database"


def _newer(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0999'")
    conn.commit()
    conn.close()
    return f"was made by a newer Kassa (schema 0999; this Kassa knows up to {SCHEMA_HEAD})"


@pytest.mark.parametrize("spoil", [_not_a_database, _damaged, _not_kassa, _newer])
def test_kassa_restore_refuses_a_file_that_is_not_a_usable_till_database(tmp_path: Path, till_db: Path,
                                                                         spoil) -> None:  # noqa: ANN001
    config = _config(tmp_path, till_db)
    backup = tmp_path / "backup.bak"
    assert kassa("backup", str(backup), "--config", str(config), data_dir=tmp_path).returncode == 0
    expected = spoil(backup)
    before = _sha(till_db)

    result = kassa("restore", str(backup), "--config", str(config), data_dir=tmp_path)

    assert result.returncode == 2, result.stdout
    assert expected in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert _sha(till_db) == before and list(till_db.parent.glob("*.bak")) == []


def test_kassa_restore_of_another_tills_database_says_what_differs_and_needs_force(tmp_path: Path,
                                                                                  till_db: Path) -> None:
    other = _config(tmp_path, till_db, store="S2", till="T05")
    backup = tmp_path / "s1-t01.bak"
    assert kassa("backup", str(backup), "--config", str(other), data_dir=tmp_path).returncode == 0

    refused = kassa("restore", str(backup), "--config", str(other), data_dir=tmp_path)
    assert refused.returncode == 2
    assert "it records store S1, the settings say store S2" in refused.stderr
    assert "it records till T01, the settings say till T05" in refused.stderr and "--force" in refused.stderr

    forced = kassa("restore", str(backup), "--force", "--config", str(other), data_dir=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert table_rows(till_db) == table_rows(backup)


def test_a_restored_backup_of_an_older_schema_is_upgraded_when_the_till_next_starts(tmp_path: Path) -> None:
    old = make_old_till(tmp_path / "old.sqlite3", "0003")
    db = tmp_path / "data" / "till.sqlite3"
    config = _config(tmp_path, db, store="S001", till="T01")

    result = kassa("restore", str(old.path), "--config", str(config), data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "(schema 0003, 4 sales, last receipt 4)" in result.stdout
    assert "kept in" not in result.stdout  # there was no database to keep
    audit = kassa("check-journal", "--config", str(config), data_dir=tmp_path)
    assert audit.returncode == 0, audit.stderr
    with open_database(db, upgrade=False) as opened:
        assert schema_version(opened) == SCHEMA_HEAD
    assert len(list(db.parent.glob("till.sqlite3.before-*.bak"))) == 1  # the upgrade's own backup
