"""kassa diagnostics, and the promise that nothing IT hands to support holds a secret: a
till enrolled with a real hub process, signed into with a wrong PIN, made to log its
credential, PIN, enrolment code and a card number carelessly; then its logs, kassa
doctor's output and the diagnostics zip are searched for every one of them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shell.diagnostics import settings_without_secrets
from shell.logs import luhn_valid
from tests.fakes import STORE
from tests.shell.test_doctor import enrolled_till, write_settings
from tests.sync.conftest import Hub, hub  # noqa: F401 - the hub fixture
from tests.sync.test_shell_commands import kassa

ROOT = Path(__file__).resolve().parents[2]
WRONG_PIN = "90731562"
CARD = next(f"5454545454545{n:03d}" for n in range(1000) if luhn_valid(f"5454545454545{n:03d}"))

# What a careless till might do: the credential loaded by the real factory (and so
# registered), a wrong PIN typed at the real sign-in, then lines that quote them.
TILL_CHILD = """
import logging, sys
from pathlib import Path
from shell.logs import setup_logging
from shell.settings import load_settings
from shell.till import open_till
from local_db.journal import SqlJournal
from tests.local_db.conftest import make_sql_till

folder, config, code, pin, card = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
setup_logging(folder)
log = logging.getLogger("kassa.careless")
with open_till(load_settings(config), writes=True) as till:
    client = till.hub_client(till.sync_config)
    pos_till = make_sql_till(SqlJournal(till.db, till.settings.till.till_id))
    try:
        pos_till.sign_in("1", pin)
    except Exception as error:
        log.info("sign-in refused: %s", error)
    log.info("sign-in attempt with pin=%s", pin)
    log.info("calling the hub with Authorization: Bearer %s", client.credential)
    log.info("the credential is %s", client.credential)
    log.warning("enrolment_code = %s was read from the settings; the code %s", code, code)
    log.info("card %s approved", card)
    try:
        raise RuntimeError(f"request refused: {client.credential} pin={pin}")
    except RuntimeError:
        log.exception("the hub call failed")
"""


def planted_secrets(folder: Path, used_code: str, planted_code: str) -> list[str]:
    [credential_file] = folder.glob("hub-credential-*")
    credential = credential_file.read_text(encoding="utf-8").strip()
    assert credential.startswith("kt1.")
    return [credential, credential.rpartition(".")[2], used_code, used_code.replace("-", ""), planted_code,
            planted_code.replace("-", ""), WRONG_PIN, CARD]


def run_diagnostics(*args: str, cwd: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"KASSA_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "shell.cli", "diagnostics", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def zip_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name).decode("utf-8") for name in bundle.namelist()}


def test_no_credential_pin_enrolment_code_or_card_number_in_the_logs_doctor_or_the_bundle(
        hub: Hub, tmp_path: Path) -> None:
    planted_code = hub.enrolment_code()  # a second, unused code, left in the settings file
    config = enrolled_till(hub, tmp_path, extra="")
    text = config.read_text(encoding="utf-8").replace("[sync]\n", f'[sync]\nenrolment_code = "{planted_code}"\n')
    config.write_text(text, encoding="utf-8")
    used_code = hub.enrolment_code()
    again = kassa("enrol", "--hub", hub.url, "--code", used_code, "--config", str(config), data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    child = subprocess.run([sys.executable, "-c", TILL_CHILD, str(tmp_path), str(config), planted_code, WRONG_PIN, CARD],
                           cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env={"KASSA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert child.returncode == 0, child.stderr
    for command in (("-v", "status"), ("sync",)):
        assert kassa(*command, "--config", str(config), data_dir=tmp_path).returncode == 0
    human = kassa("doctor", "--config", str(config), data_dir=tmp_path)
    as_json = kassa("doctor", "--config", str(config), "--json", data_dir=tmp_path)
    bundle = tmp_path / "support.zip"
    made = run_diagnostics(str(bundle), "--config", str(config), cwd=tmp_path, data_dir=tmp_path)
    assert made.returncode == 0, made.stderr

    secrets = planted_secrets(tmp_path, used_code, planted_code)
    logs = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("kassa.log*")}
    assert "sign-in attempt with pin=<removed>" in logs["kassa.log"]  # the careless lines are there, masked
    searched = {**logs, "doctor": human.stdout + human.stderr, "doctor --json": as_json.stdout + as_json.stderr,
                "diagnostics": made.stdout + made.stderr, **zip_texts(bundle)}
    assert {"about.json", "doctor.json", "settings.toml", "logs/kassa.log"} <= set(searched)
    for where, content in searched.items():
        for secret in secrets:
            assert secret not in content, (where, secrets.index(secret))


def test_the_bundle_holds_logs_settings_without_secrets_doctor_and_versions_but_no_database(
        hub: Hub, tmp_path: Path) -> None:
    config = enrolled_till(hub, tmp_path)
    old_log = tmp_path / "kassa.log.3"  # written by an older Kassa, before logs were redacted
    old_log.write_text(f"2026-11-01 INFO sync: Authorization: Bearer kt1.oldoldoldoldoldold.{'x' * 40}, card {CARD}\n",
                       encoding="utf-8")
    made = run_diagnostics("--config", str(config), cwd=tmp_path, data_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    [bundle] = tmp_path.glob("kassa-diagnostics-*.zip")
    assert bundle.name.startswith(f"kassa-diagnostics-{STORE.store_id}-{STORE.till_id}-20") and bundle.name.endswith("Z.zip")
    assert made.stdout.startswith(str(bundle))
    if os.name != "nt":
        assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    files = zip_texts(bundle)
    assert not [name for name in files if "sqlite" in name or "credential" in name]
    assert {"logs/kassa.log", "logs/kassa.log.3"} <= set(files)
    assert "x" * 40 not in files["logs/kassa.log.3"] and CARD not in files["logs/kassa.log.3"]
    about, doctor = json.loads(files["about.json"]), json.loads(files["doctor.json"])
    assert about["schema_version"] == doctor["checks"][2]["details"]["schema"] and about["kassa_version"]
    assert doctor["format"] == "kassa.doctor" and doctor["verdict"] == "ok"
    assert files["settings.toml"] == config.read_text(encoding="utf-8")  # nothing secret in it: kept as it is


def test_settings_keep_their_layout_and_lose_every_secret_looking_value() -> None:
    written = ('# the till of shop 12\n[store]\nstore_id = "S12"  # from IT\nname = "Shop"\n'
               '[sync]\nhub_url = "https://hub.example"\n  enrolment_code = "KQ7M-4XPD-93HF" # once\n'
               'credential_store = "file"\ncredential_folder = "/var/lib/kassa"\napi_token = \'abc123\'\n'
               'proxy_password="hunter22"\n')
    cleaned = settings_without_secrets(written)
    assert cleaned.splitlines() == [
        "# the till of shop 12", "[store]", 'store_id = "S12"  # from IT', 'name = "Shop"', "[sync]",
        'hub_url = "https://hub.example"', '  enrolment_code = "<removed>"', 'credential_store = "file"',
        'credential_folder = "/var/lib/kassa"', 'api_token = "<removed>"', 'proxy_password="<removed>"']


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_diagnostics_for_a_till_with_wrong_settings_still_makes_the_bundle(tmp_path: Path) -> None:
    config = write_settings(tmp_path, None)
    config.write_text(config.read_text(encoding="utf-8") + "[sync]\nhub_url = 42\n", encoding="utf-8")
    made = run_diagnostics(str(tmp_path / "out.zip"), "--config", str(config), cwd=tmp_path, data_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    files = zip_texts(tmp_path / "out.zip")
    doctor = json.loads(files["doctor.json"])
    assert doctor["exit_code"] == 2 and doctor["checks"][0]["verdict"] == "problem"
    assert "hub_url = 42" in files["settings.toml"]


@settings(max_examples=200 if os.environ.get("KASSA_SOAK") else 40, deadline=None)
@given(key=st.sampled_from(["enrolment_code", "api_token", "password", "db_password", "hub_secret", "pin"]),
       value=st.text(alphabet=st.characters(min_codepoint=48, max_codepoint=122), min_size=6, max_size=30),
       spaces=st.sampled_from(["", " ", "  "]), quote=st.sampled_from(['"', "'"]),
       before=st.lists(st.text(max_size=40), max_size=4), after=st.lists(st.text(max_size=40), max_size=4))
def test_a_secret_key_loses_its_value_among_any_other_lines(key: str, value: str, spaces: str, quote: str,
                                                            before: list[str], after: list[str]) -> None:
    assume(value not in "\n".join(before + after) and value not in "<removed>")
    line = f"{spaces}{key}{spaces}={spaces}{quote}{value}{quote}"
    cleaned = settings_without_secrets("\n".join([*before, line, *after]))
    assert value not in cleaned and f'{key}{spaces}={spaces}"<removed>"' in cleaned


def test_a_bundle_into_a_folder_that_does_not_exist_is_refused_in_one_line(tmp_path: Path) -> None:
    config = write_settings(tmp_path, None)
    made = run_diagnostics(str(tmp_path / "no-such-folder" / "out.zip"), "--config", str(config), cwd=tmp_path,
                           data_dir=tmp_path)
    assert made.returncode != 0 and made.stderr.splitlines() == [
        f"kassa: there is no folder {tmp_path / 'no-such-folder'}: name a file in a folder that exists"]
    into_folder = run_diagnostics(str(tmp_path), "--config", str(config), cwd=ROOT, data_dir=tmp_path)
    assert into_folder.returncode == 0 and len(list(tmp_path.glob("kassa-diagnostics-*.zip"))) == 1
