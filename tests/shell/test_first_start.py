"""Enrolment at the first start (shell.first_start): a real hub process on loopback, real
settings files, the credential in the protected file, the real log file.  The code and
the credential are searched for in every file of the data and log folders and in all
output."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from central.database import HubDatabase, open_hub_database
from central.enrolment import make_enrolment_code
from central.stores import TillIdentity, add_store
from central.tables import enrolment_codes
from local_db.sync_state import HUB_URL, SyncStateStore
from shell.first_start import Enrolment, FirstStart, first_start
from shell.settings import load_settings
from shell.sync_commands import enrol
from shell.till import open_till
from sync.credentials import FileStore, account_name
from tests.central.hub_process import free_port, hub_process

ROOT = Path(__file__).resolve().parents[2]
STORE_ID, TILL_ID = "S001", "T01"
ACCOUNT = account_name(STORE_ID, TILL_ID)
JOIN_TIMEOUT = 120  # seconds: the bound of a wait that ends as soon as the thread does


class HubDb:
    """The hub's database (codes made here), served by a hub process when one runs."""

    def __init__(self, folder: Path) -> None:
        self.url = f"sqlite:///{folder / 'hub.sqlite3'}"
        self.db: HubDatabase = open_hub_database(self.url, migrate_schema=True)
        add_store(self.db, STORE_ID, "Kyiv, Khreshchatyk 1")

    def code(self, till_id: str = TILL_ID, *, hours: float = 72, at: datetime | None = None) -> str:
        return make_enrolment_code(self.db, TillIdentity(STORE_ID, till_id), hours=hours, at=at)

    def used_codes(self) -> int:
        with self.db.reading() as conn:
            return len(conn.execute(select(enrolment_codes.c.used_at).where(
                enrolment_codes.c.used_at.is_not(None))).all())


@pytest.fixture
def hub_db(tmp_path: Path) -> Iterator[HubDb]:
    hub = HubDb(tmp_path)
    yield hub
    hub.db.close()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The till's data folder (database, credential, log), logging to its kassa.log as the
    till does (every level, so nothing slips past the search)."""
    from shell.logs import setup_logging

    folder = tmp_path / "data"
    monkeypatch.setenv("KASSA_DATA_DIR", str(folder))
    monkeypatch.delenv("KASSA_CREDENTIAL_STORE", raising=False)
    monkeypatch.delenv("KASSA_CONFIG", raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging(folder, verbose=False)
    root.setLevel(logging.DEBUG)
    yield folder
    for handler in root.handlers:
        handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def settings_file(folder: Path, hub_url: str, code: str | None, data: Path, mode: int = 0o640) -> Path:
    """IT's file, with comments and blank lines that must survive byte for byte (a CRLF line too)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "settings.toml"
    code_line = f'enrolment_code = "{code}"   # one-time: removed by the till once used\n' if code else ""
    path.write_bytes((
        "# Kassa settings for Khreshchatyk 1, till 1 - made by IT\n"
        "[store]\n"
        f'store_id = "{STORE_ID}"  # the hub\'s id\n'
        'name = "Shop"\r\n'
        "\n"
        "[till]\n"
        f'till_id = "{TILL_ID}"\n'
        "[database]\n"
        f'path = "{data / "till.sqlite3"}"\n'
        "\n"
        "[sync]   # the chain's hub\n"
        f'hub_url = "{hub_url}"\n'
        '  credential_store = "auto"\n'
        f"{code_line}"
        f'credential_folder = "{data}"\n'
        "# push_batch_size = 200\n"
        "[offline]\n"
        "warn_unsent_after_minutes = 30\n"
        "# the end\n"
    ).encode("utf-8"))
    path.chmod(mode)
    return path


def without_line(text: bytes, start: bytes) -> bytes:
    lines = text.split(b"\n")
    kept = [line for line in lines if not line.startswith(start)]
    assert len(kept) == len(lines) - 1
    return b"\n".join(kept)


def secrets_nowhere(secrets: list[str], folders: list[Path], *outputs: str) -> None:
    """No secret in any file of ``folders`` (the credential's own file aside, for the
    credential), nor in any output."""
    spellings = {s for secret in secrets for s in (secret, secret.replace("-", ""))}
    for folder in folders:
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            content = path.read_bytes()
            for secret in spellings:
                if path.name.startswith("hub-credential-") and secret.startswith("kt1."):
                    continue
                assert secret.encode() not in content, f"a secret is in {path}"
    for output in outputs:
        for secret in spellings:
            assert secret not in output


def start(settings_path: Path, **kw: float) -> tuple[FirstStart, object]:
    """The till's start as ``kassa run`` does it: settings, open_till, first_start (the
    till is returned open; the caller closes it)."""
    settings = load_settings(settings_path)
    till = open_till(settings, writes=True)
    return first_start(till, settings_path, **kw), till


def stored(data: Path) -> str | None:
    return FileStore(data).load(ACCOUNT)


# -- the first start ------------------------------------------------------------------------
def test_the_first_start_exchanges_the_code_stores_the_credential_and_removes_only_the_code_line(
        hub_db: HubDb, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = hub_db.code()
    with hub_process(hub_db.url) as hub:
        path = settings_file(tmp_path / "etc", hub.url, code, data)
        before = path.read_bytes()
        outcome, till = start(path)
        try:
            assert outcome.enrolment is Enrolment.ENROLLED and outcome.code_removed
            assert SyncStateStore(till.db).get(HUB_URL) == hub.url
            assert till.sync is not None and till.sync.heartbeat() is None  # the stored credential works
        finally:
            till.close()
    assert path.read_bytes() == without_line(before, b"enrolment_code = ")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert list(path.parent.iterdir()) == [path]  # no temporary file left beside it
    credential = stored(data)
    assert credential and credential.startswith("kt1.")
    credential_file = next(data.glob("hub-credential-*"))
    assert stat.S_IMODE(credential_file.stat().st_mode) == 0o600 and stat.S_IMODE(data.stat().st_mode) == 0o700
    log = (data / "kassa.log").read_text(encoding="utf-8")
    assert "enrolled as till T01 of store S001" in log and f"removed from {path}" in log
    assert "this computer has no usable keyring" in log  # credential_store "auto" on this machine: the file
    out = capsys.readouterr()
    secrets_nowhere([code, credential], [data, path.parent], out.out, out.err)
    assert load_settings(path).sync is not None and load_settings(path).sync.enrolment_code is None


def test_a_till_with_a_stored_credential_does_not_use_the_code_again_and_removes_it(
        hub_db: HubDb, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first_code, second_code = hub_db.code(), hub_db.code()
    with hub_process(hub_db.url) as hub:
        path = settings_file(tmp_path / "etc", hub.url, first_code, data)
        outcome, till = start(path)
        till.close()
        assert outcome.enrolment is Enrolment.ENROLLED
        credential = stored(data)
        path = settings_file(tmp_path / "etc", hub.url, second_code, data)  # IT's file copied again
        before = path.read_bytes()
        outcome, till = start(path)
        till.close()
    assert outcome.enrolment is Enrolment.ALREADY_ENROLLED and outcome.code_removed
    assert stored(data) == credential and hub_db.used_codes() == 1  # the second code was never sent
    assert path.read_bytes() == without_line(before, b"enrolment_code = ")
    out = capsys.readouterr()
    secrets_nowhere([first_code, second_code, str(credential)], [data, path.parent], out.out, out.err)


def test_a_settings_file_without_a_code_changes_nothing(hub_db: HubDb, data: Path, tmp_path: Path) -> None:
    path = settings_file(tmp_path / "etc", "http://127.0.0.1:9", None, data)
    before = path.read_bytes()
    outcome, till = start(path)
    till.close()
    assert outcome.enrolment is Enrolment.NO_CODE and path.read_bytes() == before


# -- the hub away, or saying no ---------------------------------------------------------------
def test_an_unreachable_hub_lets_the_till_start_and_the_running_till_enrols_when_the_hub_comes(
        hub_db: HubDb, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, port = hub_db.code(), free_port()
    path = settings_file(tmp_path / "etc", f"http://127.0.0.1:{port}", code, data)
    before = path.read_bytes()
    outcome, till = start(path, retry_first=0.2, retry_max=1.0)
    try:
        assert outcome.enrolment is Enrolment.WAITING and outcome.retry is not None
        assert path.read_bytes() == before and stored(data) is None
        assert till.sync is not None and "cannot be reached" in till.sync.monitor.status().problem
        with hub_process(hub_db.url, port=port):
            assert outcome.retry.join(JOIN_TIMEOUT), "the retry never ended"
            assert outcome.retry.outcome is not None and outcome.retry.outcome.enrolment is Enrolment.ENROLLED
            assert till.sync.client.credential == stored(data)  # the running sync has it at once
            assert till.sync.heartbeat() is None
    finally:
        till.close()
    assert path.read_bytes() == without_line(before, b"enrolment_code = ")
    out = capsys.readouterr()
    assert "enrolment waits" in out.err and "sells offline" in out.err
    secrets_nowhere([code, str(stored(data))], [data, path.parent], out.out, out.err)


def test_an_unreachable_hub_is_tried_again_at_the_next_start(
        hub_db: HubDb, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, port = hub_db.code(), free_port()
    path = settings_file(tmp_path / "etc", f"http://127.0.0.1:{port}", code, data)
    outcome, till = start(path, retry_first=3600)
    assert outcome.enrolment is Enrolment.WAITING
    assert outcome.retry is not None
    outcome.retry.stop()
    assert outcome.retry.join(JOIN_TIMEOUT)
    till.close()
    with hub_process(hub_db.url, port=port):
        outcome, till = start(path)
        till.close()
    assert outcome.enrolment is Enrolment.ENROLLED and outcome.code_removed and stored(data)
    out = capsys.readouterr()
    secrets_nowhere([code, str(stored(data))], [data, path.parent], out.out, out.err)


@pytest.mark.parametrize("kind", ["unknown", "used", "expired", "another till's"])
def test_a_refused_code_says_what_to_do_and_the_till_still_starts(
        kind: str, hub_db: HubDb, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = {"unknown": lambda: "ABCD-EFGH-JKMN", "used": hub_db.code,
             "expired": lambda: hub_db.code(hours=1, at=datetime.now(timezone.utc) - timedelta(hours=2)),
             "another till's": lambda: hub_db.code("T02")}
    code = codes[kind]()
    with hub_process(hub_db.url) as hub:
        if kind == "used":
            import httpx

            assert httpx.post(f"{hub.url}/v1/enrolments", json={"code": code, "device": "other"}).status_code == 201
        path = settings_file(tmp_path / "etc", hub.url, code, data)
        before = path.read_bytes()
        outcome, till = start(path)
        try:
            assert outcome.enrolment is Enrolment.REFUSED
            assert till.sync is not None and "refused the enrolment code" in till.sync.monitor.status().problem
            assert till.journal.next_receipt_number() == 1  # the till is open and sells
        finally:
            till.close()
    assert path.read_bytes() == before  # IT replaces the code; the till does not guess
    assert stored(data) is None
    out = capsys.readouterr()
    assert "refused the enrolment code" in out.err
    assert f"kassa-hub enrol-code --store {STORE_ID} --till {TILL_ID}" in out.err and str(path) in out.err
    log = (data / "kassa.log").read_text(encoding="utf-8")
    assert "refused the enrolment code" in log
    secrets_nowhere([code], [data], out.out, out.err)  # the settings file keeps it: IT replaces it


def test_a_keyring_that_this_computer_lacks_is_named_and_the_code_waits(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = settings_file(tmp_path / "etc", "http://127.0.0.1:9", "ABCD-EFGH-JKMN", data)
    path.write_bytes(path.read_bytes().replace(b'credential_store = "auto"', b'credential_store = "keyring"'))
    before = path.read_bytes()
    outcome, till = start(path)
    till.close()
    assert outcome.enrolment is Enrolment.NO_CREDENTIAL_STORE and path.read_bytes() == before
    err = capsys.readouterr().err
    assert "enrolment waits" in err and 'credential_store = "file" (or "auto")' in err
    secrets_nowhere(["ABCD-EFGH-JKMN"], [data], err)


def test_a_hub_certificate_that_cannot_be_checked_stops_the_enrolment_until_the_next_start(
        hub_db: HubDb, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = hub_db.code()
    with hub_process(hub_db.url) as hub:
        (tmp_path / "ca.pem").write_text("not a certificate", encoding="utf-8")
        path = settings_file(tmp_path / "etc", hub.url, code, data)
        ca_line = f'ca_bundle = "{tmp_path / "ca.pem"}"\n'.encode()
        path.write_bytes(path.read_bytes().replace(b"[offline]", ca_line + b"[offline]"))
        before = path.read_bytes()
        outcome, till = start(path)
        till.close()
    assert outcome.enrolment is Enrolment.FAILED and outcome.retry is None
    assert path.read_bytes() == before and hub_db.used_codes() == 0  # nothing was sent
    err = capsys.readouterr().err
    assert "enrolment did not succeed" in err and "ca_bundle" in err and "next start" in err
    secrets_nowhere([code], [data], err)


# -- a settings file the till may not change ---------------------------------------------------
CHILD = """
import sys
from pathlib import Path
from shell.logs import setup_logging
from shell.settings import load_settings
from shell.till import open_till
from shell.first_start import first_start

setup_logging(Path(sys.argv[2]))
path = Path(sys.argv[1])
with open_till(load_settings(path), writes=True) as till:
    print(first_start(till, path).enrolment.name)
"""


@pytest.mark.skipif(os.name != "posix" or (os.geteuid() == 0 and not shutil.which("setpriv")),
                    reason="needs POSIX permissions, and setpriv to drop root's")
def test_a_settings_file_in_a_read_only_folder_keeps_its_code_with_a_warning_naming_it(hub_db: HubDb) -> None:
    """As the till's user, /etc/kassa is read-only (root's): the code is used, the till runs,
    the log names the file.  (Run as 'nobody' when the tests run as root, who may write anywhere.)"""
    folder = Path(tempfile.mkdtemp(prefix="kassa-ro-"))
    try:
        os.chmod(folder, 0o755)
        data, etc = folder / "data", folder / "etc"
        data.mkdir()
        code = hub_db.code()
        with hub_process(hub_db.url) as hub:
            path = settings_file(etc, hub.url, code, data, mode=0o644)
            before = path.read_bytes()
            as_root = os.geteuid() == 0
            if as_root:
                os.chown(data, 65534, 65534)
            else:
                etc.chmod(0o555)

            nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if as_root else []
            run = subprocess.run([*nobody, sys.executable, "-c", CHILD, str(path), str(data)], cwd=ROOT,
                                 capture_output=True, text=True, timeout=120,
                                 env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "KASSA_DATA_DIR": str(data)})
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == "ENROLLED"
        assert path.read_bytes() == before
        log = (data / "kassa.log").read_text(encoding="utf-8")
        assert f"could not remove the used enrolment code from {path}" in log and "harmless" in log
        secrets_nowhere([code, str(stored(data))], [data], run.stdout, run.stderr)
    finally:
        etc_folder = folder / "etc"
        if etc_folder.exists():
            etc_folder.chmod(0o755)
        subprocess.run(["rm", "-rf", str(folder)], check=False)


# -- kassa enrol with the file's code ------------------------------------------------------------
def test_kassa_enrol_without_a_code_uses_the_files_code_and_removes_it(
        hub_db: HubDb, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = hub_db.code()
    with hub_process(hub_db.url) as hub:
        path = settings_file(tmp_path / "etc", hub.url, code, data)
        before = path.read_bytes()
        assert enrol(load_settings(path), None, None, path) == 0
    out = capsys.readouterr()
    assert f"the used enrolment code was removed from {path}" in out.out
    assert path.read_bytes() == without_line(before, b"enrolment_code = ")
    credential = stored(data)
    assert credential
    secrets_nowhere([code, credential], [data, path.parent], out.out, out.err)


def test_kassa_enrol_without_a_code_anywhere_says_where_to_put_one(data: Path, tmp_path: Path) -> None:
    path = settings_file(tmp_path / "etc", "http://127.0.0.1:9", None, data)
    with pytest.raises(SystemExit) as stopped:
        enrol(load_settings(path), None, None, path)
    said = str(stopped.value)
    assert "--code CODE" in said and "enrolment_code" in said and str(path) in said


# -- through the kassa command ----------------------------------------------------------------
def kassa_env(data: Path) -> dict[str, str]:
    return {"KASSA_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(data.parent / "no-config"), "HOME": str(data.parent)}


def test_kassa_enrol_from_the_command_line_takes_the_files_code(hub_db: HubDb, tmp_path: Path) -> None:
    data, code = tmp_path / "data", hub_db.code()
    with hub_process(hub_db.url) as hub:
        path = settings_file(tmp_path / "etc", hub.url, code, data)
        before = path.read_bytes()
        run = subprocess.run([sys.executable, "-m", "shell.cli", "enrol", "--config", str(path)], cwd=ROOT,
                             env=kassa_env(data), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "enrolled as till T01 of store S001" in run.stdout and f"removed from {path}" in run.stdout
    assert path.read_bytes() == without_line(before, b"enrolment_code = ")
    secrets_nowhere([code, str(stored(data))], [data, path.parent], run.stdout, run.stderr)


def test_kassa_run_enrols_at_its_first_start_then_shows_the_window(hub_db: HubDb, tmp_path: Path) -> None:
    """The whole path: `kassa run` (Qt offscreen) enrols before the window; stopped once the
    code's line is gone (the file is the evidence; the wait ends as soon as it is)."""
    import time

    data, code = tmp_path / "data", hub_db.code()
    with hub_process(hub_db.url) as hub:
        path = settings_file(tmp_path / "etc", hub.url, code, data)
        before = path.read_bytes()
        with open(tmp_path / "out.txt", "w") as out, open(tmp_path / "err.txt", "w") as err:
            till = subprocess.Popen([sys.executable, "-m", "shell.cli", "run", "--config", str(path)], cwd=ROOT,
                                    env=kassa_env(data), stdout=out, stderr=err)
            try:
                deadline = time.monotonic() + JOIN_TIMEOUT
                while path.read_bytes() == before and till.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.1)  # nothing to wait on but the file: the till is another process
                assert till.poll() is None, (tmp_path / "err.txt").read_text()
            finally:
                till.terminate()
                till.wait(30)
    assert path.read_bytes() == without_line(before, b"enrolment_code = ")
    log = (data / "kassa.log").read_text(encoding="utf-8")
    assert f"settings from {path}" in log and "enrolled as till T01 of store S001" in log
    output = (tmp_path / "out.txt").read_text() + (tmp_path / "err.txt").read_text()
    secrets_nowhere([code, str(stored(data))], [data, path.parent], output)
