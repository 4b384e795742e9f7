"""The application shell as IT meets it: every command opens the till through one factory
(shell.till.open_till); the commands that only read run beside a running till, those that
write are refused while it runs; and no command but the window's loads Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from local_db.database import open_database
from local_db.journal import SqlJournal
from local_db.problems import DatabaseInUse
from shell.settings import load_settings
from shell.till import open_till
from tests.fakes import SHAMPOO, STORE
from tests.local_db.conftest import make_sql_till, sell
from tests.sync.conftest import Hub
from tests.sync.test_commands_and_credentials import settings_file

ROOT = Path(__file__).resolve().parents[2]

# Runs the kassa command's main in this fresh interpreter, then names on stderr the Qt and ui
# modules it loaded ("-" for none).
CHILD = """
import sys
from shell.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
finally:
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "ui"))
    print("LOADED:", " ".join(loaded) or "-", file=sys.stderr)
sys.exit(code)
"""


def kassa(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"KASSA_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def loaded(result: subprocess.CompletedProcess[str]) -> str:
    return next(line for line in result.stderr.splitlines() if line.startswith("LOADED: ")).removeprefix("LOADED: ")


@pytest.fixture
def enrolled(hub: Hub, tmp_path: Path) -> Path:
    """An enrolled till with one sale in its journal; returns its settings file."""
    config = settings_file(tmp_path, hub.url)
    done = kassa("enrol", "--hub", hub.url, "--code", hub.enrolment_code(), "--config", str(config), data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert loaded(done) == "-"
    with open_database(tmp_path / "till.sqlite3") as db:
        sell(make_sql_till(SqlJournal(db, STORE.till_id)), SHAMPOO.barcode)
    return config


def test_the_commands_that_need_no_window_never_import_qt_nor_ui(enrolled: Path, tmp_path: Path, hub: Hub) -> None:
    config = str(enrolled)
    png = tmp_path / "r1.png"
    commands = [
        ("check-config", "--config", config),
        ("status", "--config", config),
        ("check-journal", "--config", config),
        ("receipt", "1", "--png", str(png), "--config", config),
        ("receipt", "1", "--reprint", "--config", config),
        ("sync", "--config", config),
        ("status", "--config", config),
        ("self-test",),  # a sale into a file printer in a temporary folder: no window
    ]
    for command in commands:
        result = kassa(*command, data_dir=tmp_path)
        assert result.returncode == 0, (command, result.stderr)
        assert loaded(result) == "-", command
    assert hub.sale_count() == 1 and png.read_bytes().startswith(b"\x89PNG")


def test_the_window_commands_do_load_qt_so_the_check_above_can_fail(tmp_path: Path) -> None:
    result = kassa("demo", "--no-hub", "--items", "50", "--quit-after", "0", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "PySide6" in loaded(result).split()[0] and "ui.app" in loaded(result).split()


def test_status_check_journal_and_a_png_run_beside_a_running_till_but_sync_enrol_and_reprint_wait(
        enrolled: Path, tmp_path: Path, hub: Hub) -> None:
    config = str(enrolled)
    with open_till(load_settings(enrolled), writes=True):  # the till's window holds its database
        for command in (("status",), ("check-journal",), ("receipt", "1", "--png", str(tmp_path / "r.png"))):
            result = kassa(*command, "--config", config, data_dir=tmp_path)
            assert result.returncode == 0, (command, result.stderr)
        assert "waiting to send: 1" in kassa("status", "--config", config, data_dir=tmp_path).stdout
        for command in (("sync",), ("receipt", "1", "--reprint"),
                        ("enrol", "--hub", hub.url, "--code", hub.enrolment_code())):
            result = kassa(*command, "--config", config, data_dir=tmp_path)
            assert result.returncode == 2, (command, result.stdout)
            assert "another copy of Kassa is running" in result.stderr and "Traceback" not in result.stderr
        assert hub.sale_count() == 0
    synced = kassa("sync", "--config", config, data_dir=tmp_path)  # the till closed: its lock is free
    assert synced.returncode == 0, synced.stderr
    assert hub.sale_count() == 1


def test_an_open_till_holds_the_lock_until_it_is_closed(tmp_path: Path) -> None:
    config = tmp_path / "kassa.toml"
    config.write_text(f'[store]\nstore_id = "S1"\nname = "Shop"\n[database]\npath = "{tmp_path / "t.sqlite3"}"\n',
                      encoding="utf-8")
    settings = load_settings(config)
    with open_till(settings, writes=True) as till:
        with pytest.raises(DatabaseInUse):
            open_till(settings, writes=True)
        with open_till(settings, writes=False) as reader:  # a reader never waits for the lock
            assert reader.journal.next_receipt_number() == till.journal.next_receipt_number() == 1
    with open_till(settings, writes=True) as again:
        assert again.lock is not None
    assert again.lock is None


def test_check_journal_status_and_the_status_bar_count_the_outbox_alike(tmp_path: Path) -> None:
    """One meaning of "waiting" (neither acknowledged nor quarantined), quarantined apart."""
    from local_db.outbox import OutboxCounts, SqlOutbox

    path = tmp_path / "till.sqlite3"
    with open_database(path) as db:
        till = make_sql_till(SqlJournal(db, STORE.till_id))
        for _ in range(5):
            sell(till, SHAMPOO.barcode)
        outbox = SqlOutbox(db)
        outbox.acknowledge([1])
        outbox.quarantine(2, "unknown_product: product 1009 is not in the catalog")
        outbox.quarantine(4, "bad_total: the total does not add up")
        assert outbox.counts() == OutboxCounts(waiting=2, quarantined=2, acknowledged=1)
        assert SqlJournal(db, STORE.till_id).unsent_count() == outbox.unsent_count() == 2  # the status bar's figure
    identity = f'[store]\nstore_id = "{STORE.store_id}"\nname = "Shop"\n[till]\ntill_id = "{STORE.till_id}"\n' \
               f'[database]\npath = "{path}"\n'
    offline, online = tmp_path / "offline.toml", tmp_path / "online.toml"
    offline.write_text(identity, encoding="utf-8")
    online.write_text(identity + '[sync]\nhub_url = "http://127.0.0.1:9"\ncredential_store = "file"\n', encoding="utf-8")

    audit = kassa("check-journal", "--config", str(offline), data_dir=tmp_path)
    assert audit.returncode == 0, audit.stderr
    assert audit.stdout.splitlines()[0] == "next receipt 6, 2 documents waiting to be sent, 2 quarantined"
    alone = kassa("status", "--config", str(offline), data_dir=tmp_path)
    assert alone.stdout.splitlines() == ["link: offline only (no [sync] settings); waiting to send: 2; quarantined: 2"]
    linked = kassa("status", "--config", str(online), data_dir=tmp_path)
    assert linked.returncode == 0, linked.stderr
    lines = linked.stdout.splitlines()
    assert lines[2].startswith("waiting to send: 2 (oldest ") and lines[3] == "quarantined: 2"
