"""The composition root keeps the till's data folder private: 0700, and the database, its
lock file, the log and the demo's receipt pictures 0600, on a fresh start and on a start
over an older install that left them readable by everyone."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.printers import make_receipt_printer
from tests.hardware.samples import sample_receipt
from shell.demo import private_demo_receipts
from shell.settings import parse_settings
from shell.wiring import build_services, setup_logging

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")

SETTINGS = """
[store]
store_id = "S1"
name = "Kassa Demo"
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "kassa"
    monkeypatch.setenv("KASSA_DATA_DIR", str(folder))
    previous_umask = os.umask(0o022)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield folder
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    os.umask(previous_umask)


def start_till(folder: Path) -> None:
    """What ``kassa run`` does before the window opens."""
    setup_logging(folder)
    services = build_services(parse_settings(SETTINGS, Path("kassa.toml")))
    assert services.till is not None
    logging.getLogger("tests").info("a line in the log")


def test_a_fresh_till_makes_its_folder_and_files_private(data_dir: Path) -> None:
    start_till(data_dir)
    names = {p.name: mode(p) for p in data_dir.iterdir()}
    assert mode(data_dir) == 0o700
    assert {"till.sqlite3", "till.sqlite3.lock", "kassa.log"} <= set(names)
    assert names == {name: 0o600 for name in names}


def test_a_start_over_an_old_loose_install_tightens_everything_and_says_so(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o755)
    for name in ("till.sqlite3", "till.sqlite3-wal", "till.sqlite3-shm", "till.sqlite3.lock", "kassa.log", "kassa.log.1"):
        (data_dir / name).write_bytes(b"")
        os.chmod(data_dir / name, 0o644)
    os.chmod(data_dir, 0o755)
    start_till(data_dir)
    assert mode(data_dir) == 0o700
    assert {p.name: mode(p) for p in data_dir.iterdir()} == {p.name: 0o600 for p in data_dir.iterdir()}
    log_text = (data_dir / "kassa.log").read_text(encoding="utf-8")
    assert f"{data_dir} was readable by other users (mode 755); now 700" in log_text
    assert "kassa.log.1 was readable by other users (mode 644); now 600" in log_text


def test_every_log_file_is_born_private_also_after_a_rotation(data_dir: Path) -> None:
    log_file = setup_logging(data_dir)
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.doRollover()
    handler.doRollover()
    assert mode(log_file) == 0o600 and mode(Path(f"{log_file}.1")) == 0o600


def test_the_demo_receipt_pictures_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "receipts"
    folder.mkdir(mode=0o755)
    old = folder / "receipt-T01-000001.png"
    old.write_bytes(b"")
    os.chmod(folder, 0o755)
    os.chmod(old, 0o644)
    previous_umask = os.umask(0o022)
    try:
        private_demo_receipts(folder)
        make_receipt_printer(f"preview:{folder}").print_receipt(sample_receipt(("1001",)))
        fresh = make_receipt_printer(f"preview:{tmp_path / 'new'}")
        fresh.print_receipt(sample_receipt(("1001",)))
    finally:
        os.umask(previous_umask)
    assert mode(folder) == 0o700 and mode(tmp_path / "new") == 0o700
    assert {p.name: mode(p) for p in folder.iterdir()} == {p.name: 0o600 for p in folder.iterdir()}
    assert [mode(p) for p in (tmp_path / "new").iterdir()] == [0o600]
