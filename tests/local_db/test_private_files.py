"""The till database (PIN hashes, every sale) is readable by the till's user only: a new
one is born 0600 in a 0700 folder, with its -wal and -shm files, and an older install's
looser modes are tightened when the till opens it."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from local_db import private_files
from local_db.cashiers import add_cashier
from local_db.database import open_database
from local_db.private_files import private_folder, tighten, tighten_files

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def everyday_umask() -> Iterator[None]:
    """The usual umask of a desktop session: new files 0644, folders 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_database_is_private_with_its_wal_and_shm_files(tmp_path: Path) -> None:
    path = tmp_path / "data" / "till.sqlite3"
    with open_database(path) as db:
        add_cashier(db, "1", "Olena", "1234")
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(path.parent) == 0o700
    assert os.umask(0o022) == 0o022  # the process's umask is given back


def test_an_old_install_with_loose_modes_is_tightened_at_start_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "till.sqlite3"
    with open_database(path) as db:
        add_cashier(db, "1", "Olena", "1234")
    for f in tmp_path.iterdir():
        os.chmod(f, 0o644)  # as a till before this change left them
    with caplog.at_level(logging.WARNING, logger="local_db.private_files"), open_database(path) as db:
        add_cashier(db, "2", "Rashad", "4321")  # writes: -wal and -shm exist again
        for f in tmp_path.iterdir():
            assert mode(f) == 0o600, f.name
    assert any("till.sqlite3 was readable by other users (mode 644); now 600" in r.getMessage() for r in caplog.records)


def test_a_wal_file_left_loose_by_a_crash_is_tightened_before_sqlite_reuses_it(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_database(path) as db:
        add_cashier(db, "1", "Olena", "1234")
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"")  # a power cut leaves the -wal behind (empty once checkpointed)
    os.chmod(wal, 0o666)
    os.chmod(path, 0o644)
    with open_database(path) as db:
        add_cashier(db, "2", "Rashad", "4321")
        assert mode(path) == 0o600 and mode(wal) == 0o600


def test_tightening_only_removes_bits_and_leaves_links_and_missing_files_alone(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("x")
    os.chmod(target, 0o604)
    (tmp_path / "link").symlink_to(target)
    assert not tighten(tmp_path / "link", 0o600)
    assert mode(target) == 0o604
    assert not tighten(tmp_path / "absent", 0o600)
    os.chmod(target, 0o400)
    assert not tighten(target, 0o600) and mode(target) == 0o400  # never adds a bit
    tighten_files(tmp_path, names=("elsewhere",))
    assert mode(target) == 0o400


def test_a_folder_is_created_private_and_an_existing_one_tightened(tmp_path: Path) -> None:
    assert mode(private_folder(tmp_path / "a" / "b")) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    os.chmod(loose, 0o755)
    assert mode(private_folder(loose)) == 0o700


def test_on_windows_modes_are_left_to_the_folders_acl_and_nothing_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(private_files, "POSIX", False)
    path = tmp_path / "till.sqlite3"
    path.touch()
    os.chmod(path, 0o644)
    assert not tighten(path, 0o600)
    with open_database(path):
        assert mode(path) == 0o644
