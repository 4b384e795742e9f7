"""What IT does at a till: enrol, sync now, look at the status; and where the credential lives."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sync.credentials import FileStore, KeyringStore, credential_store
from sync.errors import CredentialMissing
from tests.fakes import SHAMPOO, STORE
from tests.sync.conftest import Hub
from shell.settings import SettingsProblem, parse_settings

ROOT = Path(__file__).resolve().parents[2]


def kassa(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"KASSA_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", **env}
    return subprocess.run([sys.executable, "-m", "shell.cli", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def settings_file(folder: Path, hub_url: str, store: str = "file") -> Path:
    config = folder / "kassa.toml"
    config.write_text(
        f'[store]\nstore_id = "{STORE.store_id}"\nname = "Shop"\n[till]\ntill_id = "{STORE.till_id}"\n'
        f'[database]\npath = "{folder / "till.sqlite3"}"\n'
        f'[sync]\nhub_url = "{hub_url}"\ncredential_store = "{store}"\npush_batch_size = 50\n',
        encoding="utf-8")
    return config


def test_enrol_then_sync_then_status_from_the_command_line(hub: Hub, tmp_path: Path) -> None:
    config = settings_file(tmp_path, hub.url)

    enrolled = kassa("enrol", "--hub", hub.url, "--code", hub.enrolment_code(), "--config", str(config), data_dir=tmp_path)
    assert enrolled.returncode == 0, enrolled.stderr
    assert f"till {STORE.till_id} of store {STORE.store_id}" in enrolled.stdout
    credential = next(tmp_path.glob("hub-credential-*"))
    assert stat.S_IMODE(credential.stat().st_mode) == 0o600

    from local_db.database import open_database
    from local_db.journal import SqlJournal
    from tests.local_db.conftest import make_sql_till, sell

    db = open_database(tmp_path / "till.sqlite3")
    sell(make_sql_till(SqlJournal(db, STORE.till_id)), SHAMPOO.barcode)
    db.close()

    synced = kassa("sync", "--config", str(config), data_dir=tmp_path)
    assert synced.returncode == 0, synced.stderr
    assert "sent 1 sale(s)" in synced.stdout and "4 products" in synced.stdout
    assert hub.sale_count() == 1

    shown = kassa("status", "--config", str(config), data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "link: online" in shown.stdout and "waiting to send: 0" in shown.stdout
    assert "last catalog update: never" not in shown.stdout


def test_a_used_enrolment_code_is_refused_in_one_clear_line(hub: Hub, tmp_path: Path) -> None:
    config = settings_file(tmp_path, hub.url)
    code = hub.enrolment_code()
    assert kassa("enrol", "--hub", hub.url, "--code", code, "--config", str(config), data_dir=tmp_path).returncode == 0
    again = kassa("enrol", "--hub", hub.url, "--code", code, "--config", str(config), data_dir=tmp_path)
    assert again.returncode == 2
    assert "refused the enrolment code" in again.stderr and "Traceback" not in again.stderr


def test_without_a_keyring_the_till_says_how_to_enable_the_file_fallback(tmp_path: Path, monkeypatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.delenv("KASSA_CREDENTIAL_STORE", raising=False)
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    store = credential_store("keyring", tmp_path)
    assert isinstance(store, KeyringStore)
    with pytest.raises(CredentialMissing) as refused:
        store.save("S001/T01", "kt1.a.b")
    message = refused.value.user_message()
    assert 'credential_store = "file"' in message and "KASSA_CREDENTIAL_STORE=file" in message
    assert list(tmp_path.iterdir()) == []  # never silently written to a file


def test_the_file_fallback_is_used_only_when_asked_and_refuses_a_file_others_can_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KASSA_CREDENTIAL_STORE", "file")
    store = credential_store("keyring", tmp_path)
    assert isinstance(store, FileStore)
    store.save("S001/T01", "kt1.a.b")
    assert store.load("S001/T01") == "kt1.a.b"
    path = next(tmp_path.iterdir())
    os.chmod(path, 0o644)
    with pytest.raises(CredentialMissing, match="other users"):
        store.load("S001/T01")


def test_a_sync_section_is_optional_and_checked_strictly() -> None:
    base = '[store]\nstore_id = "S1"\nname = "Shop"\n'
    assert parse_settings(base, Path("k.toml")).sync is None
    synced = parse_settings(base + '[sync]\nhub_url = "https://hub.example.com/"\n', Path("k.toml")).sync
    assert synced is not None and synced.hub_url == "https://hub.example.com" and synced.credential_store == "auto"
    with pytest.raises(SettingsProblem, match="did you mean 'hub_url'"):
        parse_settings(base + '[sync]\nhub_ur = "https://hub"\n', Path("k.toml"))
    with pytest.raises(SettingsProblem, match="credential_store"):
        parse_settings(base + '[sync]\nhub_url = "https://hub.x"\ncredential_store = "plain"\n', Path("k.toml"))
