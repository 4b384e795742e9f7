"""kassa doctor as monitoring runs it: a real hub process on loopback, a real till database,
``kassa doctor`` in a subprocess.  A healthy till is all OK (exit 0); a stale queue needs
attention (1); a damaged database is a problem (2); a hub that is down or a printer that
does not answer is attention, never a crash; and doctor never changes the database file,
not even one behind the newest schema."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from local_db.database import SCHEMA_HEAD, open_database
from local_db.journal import SqlJournal
from shell.doctor import CHECK_NAMES, FORMAT_VERSION
from shell.settings import load_settings
from shell.till import open_till
from tests.central.hub_process import free_port
from tests.fakes import SHAMPOO, STORE
from tests.local_db.conftest import make_sql_till, sell
from tests.sync.conftest import Hub, hub  # noqa: F401 - the hub fixture
from tests.sync.test_shell_commands import kassa, loaded


def write_settings(folder: Path, hub_url: str | None, *, printer: str = "none", extra: str = "") -> Path:
    config = folder / "kassa.toml"
    text = (f'[store]\nstore_id = "{STORE.store_id}"\nname = "Shop"\n[till]\ntill_id = "{STORE.till_id}"\n'
            f'[printer]\nconnection = "{printer}"\n[database]\npath = "{folder / "till.sqlite3"}"\n')
    if hub_url:
        text += f'[sync]\nhub_url = "{hub_url}"\ncredential_store = "file"\n'
    config.write_text(text + extra, encoding="utf-8")
    return config


def enrolled_till(hub: Hub, folder: Path, **settings: str) -> Path:
    """A till enrolled with ``hub``, one sale sent and the catalog pulled; its settings file."""
    config = write_settings(folder, hub.url, **settings)
    done = kassa("enrol", "--hub", hub.url, "--code", hub.enrolment_code(), "--config", str(config), data_dir=folder)
    assert done.returncode == 0, done.stderr
    with open_database(folder / "till.sqlite3") as db:
        sell(make_sql_till(SqlJournal(db, STORE.till_id)), SHAMPOO.barcode)
    synced = kassa("sync", "--config", str(config), data_dir=folder)
    assert synced.returncode == 0, synced.stderr
    return config


def doctor(config: Path, folder: Path, *more: str) -> subprocess.CompletedProcess[str]:
    return kassa("doctor", "--config", str(config), *more, data_dir=folder)


def doctor_json(config: Path, folder: Path) -> dict:
    result = doctor(config, folder, "--json")
    document = json.loads(result.stdout)
    assert document["exit_code"] == result.returncode, result.stderr
    return document


def verdicts(document: dict) -> dict[str, str]:
    return {check["name"]: check["verdict"] for check in document["checks"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_healthy_till_is_all_ok_exits_0_and_its_json_has_every_check(hub: Hub, tmp_path: Path) -> None:
    config = enrolled_till(hub, tmp_path)
    result = doctor(config, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert loaded(result) == "-"  # no Qt: it runs on a till without a display
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == list(CHECK_NAMES)
    assert all(line.startswith(("OK ", "SKIPPED ")) for line in lines[:-1]), result.stdout
    assert lines[-1] == f"kassa doctor: till {STORE.till_id} of store {STORE.store_id}: all well"

    document = doctor_json(config, tmp_path)
    assert (document["format"], document["format_version"], document["verdict"]) == ("kassa.doctor", FORMAT_VERSION, "ok")
    assert verdicts(document) == {name: "ok" for name in CHECK_NAMES}
    assert all(set(check) == {"name", "verdict", "summary", "advice", "details"} for check in document["checks"])
    details = {check["name"]: check["details"] for check in document["checks"]}
    assert details["migrations"] == {"schema": SCHEMA_HEAD, "head": SCHEMA_HEAD}
    assert details["queue"]["waiting"] == 0 and details["queue"]["acknowledged"] == 1
    assert details["enrolment"]["enrolled"] is True
    assert all(details["catalog"]["datasets"].values())  # every dataset has its last pull
    assert abs(details["clock"]["skew_seconds"]) < 60  # the hub runs on this machine's clock
    assert datetime.fromisoformat(document["checked_at"]).tzinfo is not None


def test_a_sale_waiting_longer_than_the_offline_policy_needs_attention(hub: Hub, tmp_path: Path) -> None:
    config = enrolled_till(hub, tmp_path)
    with open_database(tmp_path / "till.sqlite3") as db:
        sell(make_sql_till(SqlJournal(db, STORE.till_id)), SHAMPOO.barcode)
        two_hours_ago = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat()
        with db.writing() as conn:  # as if the link had been down since then
            conn.exec_driver_sql("UPDATE outbox SET created_at = ? WHERE acked_at IS NULL", (two_hours_ago,))
    document = doctor_json(config, tmp_path)
    assert document["exit_code"] == 1
    assert {n: v for n, v in verdicts(document).items() if v != "ok"} == {"queue": "attention"}
    [queue] = [c for c in document["checks"] if c["name"] == "queue"]
    assert queue["details"]["waiting"] == 1 and queue["details"]["oldest_unsent_seconds"] >= 7200
    assert "kassa status" in queue["advice"]

    relaxed = config.read_text(encoding="utf-8") + "[offline]\nwarn_unsent_after_minutes = 180\n"
    config.write_text(relaxed, encoding="utf-8")  # the chain allows three hours: all well again
    assert doctor(config, tmp_path).returncode == 0


def test_a_damaged_database_is_a_problem_and_exits_2(tmp_path: Path) -> None:
    config = write_settings(tmp_path, None)
    with open_database(tmp_path / "till.sqlite3") as db:
        till = make_sql_till(SqlJournal(db, STORE.till_id))
        for _ in range(30):
            sell(till, SHAMPOO.barcode)
    path = tmp_path / "till.sqlite3"
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, page):  # every page but the first and the last: noise
        data[start + 100:start + page] = bytes((i * 37) % 251 for i in range(page - 100))
    path.write_bytes(bytes(data))
    result = doctor(config, tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.split()[1] == "database"]
    assert line.startswith("PROBLEM") and "kassa restore" in line
    assert "Traceback" not in result.stdout + result.stderr
    document = doctor_json(config, tmp_path)
    assert verdicts(document)["database"] == "problem" and verdicts(document)["queue"] == "skipped"


def test_a_hub_that_is_down_needs_attention_and_is_no_crash(hub: Hub, tmp_path: Path) -> None:
    config = enrolled_till(hub, tmp_path)
    text = config.read_text(encoding="utf-8").replace(hub.url, f"http://127.0.0.1:{free_port()}")
    config.write_text(text, encoding="utf-8")  # nothing listens there
    result = doctor(config, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.split()[1] == "clock"]
    assert line.startswith("ATTENTION") and "could not be compared" in line and "cannot be reached" in line
    assert "Traceback" not in result.stdout + result.stderr
    document = doctor_json(config, tmp_path)
    assert {n: v for n, v in verdicts(document).items() if v != "ok"} == {"clock": "attention"}


def test_a_network_printer_on_a_closed_port_needs_attention_and_one_that_listens_is_ok(tmp_path: Path) -> None:
    closed = write_settings(tmp_path, None, printer=f"network:127.0.0.1:{free_port()}")
    document = doctor_json(closed, tmp_path)
    assert verdicts(document)["printer"] == "attention" and document["exit_code"] == 1
    with socket.socket() as printer:
        printer.bind(("127.0.0.1", 0))
        printer.listen()
        listening = write_settings(tmp_path, None, printer=f"network:127.0.0.1:{printer.getsockname()[1]}")
        assert verdicts(doctor_json(listening, tmp_path))["printer"] == "ok"


def test_a_printer_file_or_none_is_said_and_a_missing_serial_device_needs_attention(tmp_path: Path) -> None:
    for printer, verdict, words in (("none", "ok", "printing is off"), (f"file:{tmp_path / 'receipts.bin'}", "ok", "file"),
                                    (f"serial:{tmp_path / 'ttyUSB9'}", "attention", "does not exist")):
        config = write_settings(tmp_path, None, printer=printer)
        [check] = [c for c in doctor_json(config, tmp_path)["checks"] if c["name"] == "printer"]
        assert check["verdict"] == verdict and words in check["summary"], (printer, check)


def test_wrong_settings_are_a_problem_and_the_other_checks_say_why_they_were_skipped(tmp_path: Path) -> None:
    config = tmp_path / "kassa.toml"
    config.write_text('[store]\nstore_id = "S1"\n[till]\ntill_idd = "T1"\n', encoding="utf-8")
    document = doctor_json(config, tmp_path)
    assert document["exit_code"] == 2 and [c["name"] for c in document["checks"]] == list(CHECK_NAMES)
    [settings] = [c for c in document["checks"] if c["name"] == "settings"]
    assert settings["verdict"] == "problem" and "till_idd" in settings["summary"] and "name" in settings["summary"]
    assert verdicts(document)["database"] == "skipped" and verdicts(document)["disk"] in ("ok", "attention")
    missing = doctor_json(tmp_path / "nowhere.toml", tmp_path)
    assert missing["exit_code"] == 2 and "kassa init-config" in missing["checks"][0]["summary"]


def test_doctor_runs_beside_the_running_till_and_never_changes_its_database(hub: Hub, tmp_path: Path) -> None:
    config = enrolled_till(hub, tmp_path)
    path = tmp_path / "till.sqlite3"
    before = digest(path)
    with open_till(load_settings(config), writes=True):  # the till's window holds its lock
        assert doctor(config, tmp_path).returncode == 0
        assert doctor(config, tmp_path, "--json").returncode == 0
    assert digest(path) == before


def test_doctor_leaves_a_database_behind_head_as_it_is(tmp_path: Path) -> None:
    from local_db.database import migration_order, schema_version
    from tests.local_db.old_tills import make_old_till

    previous = migration_order()[-2]
    path = tmp_path / "till.sqlite3"
    make_old_till(path, previous)
    config = write_settings(tmp_path, None)
    before = digest(path)
    document = doctor_json(config, tmp_path)
    [migrations] = [c for c in document["checks"] if c["name"] == "migrations"]
    assert migrations["verdict"] == "attention" and migrations["details"] == {"schema": previous, "head": SCHEMA_HEAD}
    assert "next start" in migrations["advice"] and document["exit_code"] == 1
    assert digest(path) == before
    assert not [p for p in tmp_path.iterdir() if ".bak" in p.name]  # no upgrade backup either: nothing was upgraded
    with open_database(path, upgrade=False) as db:
        assert schema_version(db) == previous


def test_a_till_that_never_started_needs_attention_and_doctor_makes_no_database(tmp_path: Path) -> None:
    config = write_settings(tmp_path, None)
    document = doctor_json(config, tmp_path)
    assert verdicts(document)["database"] == "attention" and document["exit_code"] == 1
    assert not (tmp_path / "till.sqlite3").exists()
