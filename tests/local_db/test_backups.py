"""local_db.backups on real files: a copy is whole or absent, never half; putting a copy in
place never replays an old log over it; names never collide; and a file brought in from
outside (``kassa restore``) is judged without ever raising anything but a refusal.

The fuzz test is bounded for CI (``EXAMPLES``); ``KASSA_SOAK=1`` tries many more."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local_db import backups
from local_db.database import SCHEMA_HEAD, open_database
from pos.errors import StorageProblem
from tests.local_db.old_tills import EARLIER_SCHEMAS, make_old_till, table_rows

EXAMPLES = 400 if os.environ.get("KASSA_SOAK") else 40
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_putting_a_copy_in_place_never_replays_the_old_files_log_over_it(tmp_path: Path) -> None:
    live = tmp_path / "till.sqlite3"
    make_old_till(live, EARLIER_SCHEMAS[-1])
    copy = backups.copy_database(live, tmp_path / "copy.bak").path
    wanted = table_rows(copy)
    # the live file gets more writes, left in a -wal as a killed till leaves them
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO sync_state (key, value) VALUES ('after_the_copy', 'x')")
    shutil.copyfile(str(live) + "-wal", tmp_path / "left.wal")
    writer.close()
    shutil.copyfile(tmp_path / "left.wal", str(live) + "-wal")

    backups.put_in_place(copy, live)

    assert table_rows(live) == wanted
    assert not Path(str(live) + "-wal").exists() and not Path(str(live) + "-shm").exists()
    assert stat.S_IMODE(live.stat().st_mode) == 0o600
    assert table_rows(copy) == wanted  # the copy itself is left as it was


def test_a_copy_that_cannot_be_made_leaves_no_file_under_its_name(tmp_path: Path) -> None:
    not_a_database = tmp_path / "till.sqlite3"
    not_a_database.write_bytes(b"x" * 8192)
    target = tmp_path / "copy.bak"
    with pytest.raises(StorageProblem):
        backups.copy_database(not_a_database, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["till.sqlite3"]


def test_a_copy_is_made_from_a_missing_file_never(tmp_path: Path) -> None:
    with pytest.raises(StorageProblem):
        backups.copy_database(tmp_path / "till.sqlite3", tmp_path / "copy.bak")
    assert list(tmp_path.iterdir()) == []  # SQLite was not allowed to create an empty database


def test_an_upgrade_backup_half_written_when_a_till_was_killed_is_cleared_at_the_next(tmp_path: Path) -> None:
    live = tmp_path / "till.sqlite3"
    make_old_till(live, EARLIER_SCHEMAS[-1])
    half = tmp_path / f"till.sqlite3.before-{SCHEMA_HEAD}-20261201T080000Z.bak.partial"
    half.write_bytes(b"half a copy")
    copy = backups.backup_before_upgrade(live, SCHEMA_HEAD)
    assert not half.exists()
    assert backups.upgrade_backups(live) == [copy.path]
    assert table_rows(copy.path) == table_rows(live)


def test_backup_names_carry_the_utc_time_and_never_collide(tmp_path: Path) -> None:
    live = tmp_path / "till.sqlite3"
    first = backups.upgrade_backup_path(live, "0007", NOON)
    assert first.name == "till.sqlite3.before-0007-20261202T120000Z.bak"
    first.write_bytes(b"")
    second = backups.upgrade_backup_path(live, "0007", NOON)
    assert second.name == "till.sqlite3.before-0007-20261202T120000Z-2.bak"
    second.write_bytes(b"")
    assert backups.upgrade_backups(live) == [first, second]
    assert backups.manual_backup_path(live, NOON).name == "till.sqlite3.backup-20261202T120000Z.bak"
    assert backups.restore_backup_path(live, NOON).name == "till.sqlite3.before-restore-20261202T120000Z.bak"
    assert backups.upgrade_backups(tmp_path / "other.sqlite3") == []


def test_a_backup_that_does_not_fit_on_the_disk_says_how_much_it_needs(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    live = tmp_path / "till.sqlite3"
    open_database(live).close()
    monkeypatch.setattr(backups, "SPARE_BYTES", shutil.disk_usage(tmp_path).free + 1)
    with pytest.raises(backups.BackupWontFit) as caught:
        backups.backup_database(live, tmp_path / "copy.bak")
    assert "it needs" in str(caught.value) and "MB" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["till.sqlite3"]


@pytest.fixture(scope="module")
def sound_copy(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("sound")
    make_old_till(folder / "till.sqlite3", EARLIER_SCHEMAS[-1])
    return backups.copy_database(folder / "till.sqlite3", folder / "copy.bak").path.read_bytes()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=64)), min_size=1,
                        max_size=8),
       cut=st.none() | st.integers(min_value=0))
def test_a_file_from_outside_is_judged_without_raising_anything_but_a_refusal(
        tmp_path: Path, sound_copy: bytes, changes: list[tuple[int, bytes]], cut: int | None) -> None:
    data = bytearray(sound_copy)
    for offset, scribble in changes:
        at = offset % len(data)
        data[at:at + len(scribble)] = scribble
    if cut is not None:
        del data[cut % len(data):]
    brought = tmp_path / "brought.bak"
    brought.write_bytes(bytes(data))
    problems = backups.copy_problems(brought, full=True)  # never raises
    assert all(isinstance(problem, str) for problem in problems)
    if not problems:
        try:
            facts = backups.inspect_copy(brought)
        except sqlite3.Error:
            return  # refused with SQLite's reason
        assert facts.sales >= 0
