"""The kassa command as IT uses it, in a fresh process each time."""

import subprocess
import sys
from pathlib import Path

import pytest

from local_db.database import open_database
from local_db.demo_store import create_demo_store
from pos.demo_catalog import generate_catalog
from shell.settings import parse_settings
from shell.wiring import build_services
from tests.shift_setup import open_shift_in

ROOT = Path(__file__).resolve().parents[1]


def kassa(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {"KASSA_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "shell.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def sold_till(tmp_path):
    db_path = tmp_path / "till.sqlite3"
    create_demo_store(open_database(db_path), items=50)
    config = tmp_path / "kassa.toml"
    config.write_text(f'[store]\nstore_id = "S1"\nname = "Shop"\n[database]\npath = "{db_path}"\n', encoding="utf-8")
    open_shift_in(db_path, "S1", "T01")
    till = build_services(parse_settings(config.read_text(encoding="utf-8"), config), open_database(db_path)).till
    till.start()
    till.sign_in("1", "1234")
    till.scan(next(p for p in generate_catalog(50) if p.barcode).barcode)
    till.pay_cash("")
    return config


def test_check_config_names_a_misspelt_key(tmp_path):
    config = tmp_path / "kassa.toml"
    config.write_text('[store]\nstore_id = "S1"\nname = "Shop"\n[printer]\nconection = "none"\n', encoding="utf-8")
    result = kassa("check-config", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2
    assert "conection" in result.stderr and "'connection'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_database_stops_the_till_with_one_clear_line(tmp_path):
    (tmp_path / "till.sqlite3").write_bytes(b"not a database" * 1000)
    config = tmp_path / "kassa.toml"
    config.write_text(f'[store]\nstore_id = "S1"\nname = "Shop"\n[database]\npath = "{tmp_path / "till.sqlite3"}"\n',
                      encoding="utf-8")
    result = kassa("run", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "not a till database or is damaged" in result.stderr


def test_the_journal_audit_and_a_receipt_rendered_to_png(sold_till, tmp_path):
    audit = kassa("check-journal", "--config", str(sold_till), data_dir=tmp_path)
    assert audit.returncode == 0, audit.stderr
    assert "next receipt 2, 2 documents waiting to be sent" in audit.stdout
    png = tmp_path / "r1.png"
    rendered = kassa("receipt", "1", "--png", str(png), "--config", str(sold_till), data_dir=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert png.read_bytes().startswith(b"\x89PNG")
    missing = kassa("receipt", "7", "--png", str(png), "--config", str(sold_till), data_dir=tmp_path)
    assert missing.returncode == 2 and "no receipt number 7" in missing.stderr


def test_the_demo_command_creates_the_store_and_its_hub_and_opens_the_window(tmp_path):
    from tests.test_demo import free_port

    port = str(free_port())
    result = kassa("demo", "--items", "200", "--hub-port", port, "--quit-after", "0", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "PIN 1234" in result.stdout and f"Demo hub: http://127.0.0.1:{port}" in result.stdout
    assert (tmp_path / "demo" / "till.sqlite3").exists() and (tmp_path / "demo" / "hub" / "hub.sqlite3").exists()
    status = kassa("demo-hub", "status", "--hub-port", port, data_dir=tmp_path)
    assert "not running" in status.stdout  # the demo stops the hub it started when the till closes


def test_the_demo_runs_offline_without_its_hub(tmp_path):
    result = kassa("demo", "--items", "200", "--no-hub", "--quit-after", "0", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Demo hub" not in result.stdout


def test_a_receipt_asked_for_without_options_is_shown_as_text(sold_till, tmp_path):
    shown = kassa("receipt", "1", "--config", str(sold_till), data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    rows = shown.stdout.splitlines()
    assert len(rows) > 5 and "S h o p" in rows[0] and "Чек № 1" in shown.stdout  # a double-size name
    assert all(len(row) <= 42 for row in rows)  # laid out at the printer's width
    missing = kassa("receipt", "7", "--config", str(sold_till), data_dir=tmp_path)
    assert missing.returncode == 2 and "no receipt number 7" in missing.stderr
