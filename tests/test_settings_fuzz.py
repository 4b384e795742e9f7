"""Whatever the settings file holds, load_settings returns Settings or raises SettingsProblem:
one line, naming the file and the section and key at fault.  `kassa check-config` on such
files exits non-zero with that line and no traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tests.settings_inputs import CLI_RUNS, EXAMPLES, MINIMAL, bombs, documents, nesting_bomb, raw_files
from shell.settings import Settings, SettingsProblem, load_settings, parse_settings

ROOT = Path(__file__).resolve().parents[1]
FILE = Path("/etc/kassa/kassa.toml")
SYNC = '[sync]\nhub_url = "https://hub.example"\n'


def outcome(text: str) -> Settings | SettingsProblem:
    try:
        return parse_settings(text, FILE)
    except SettingsProblem as problem:
        message = problem.user_message()
        assert "\n" not in message and "\r" not in message, message
        assert str(FILE) in message
        return problem


def refusal(text: str) -> str:
    result = outcome(text)
    assert isinstance(result, SettingsProblem), result
    return result.user_message()


# -- the concrete cases found by fuzzing -------------------------------------------------
@pytest.mark.parametrize("depth", [900, 100_000])
@pytest.mark.parametrize("kind", ["array", "inline", "dotted", "lines"])
def test_a_deeply_nested_document_is_one_clear_line(depth, kind):
    message = refusal(nesting_bomb(depth, kind))
    assert any(words in message for words in ("nested too deep", "unknown setting", "longer than 2000 characters"))


@pytest.mark.parametrize("extra,named", [
    (SYNC + 'ca_bundle = "/etc/ssl/a\\u0000b.pem"\n', "[sync] ca_bundle"),
    ('[database]\npath = "till\\u0000.sqlite3"\n', "[database] path"),
    ('[database]\npath = "/tmp"\n', "[database] path"),
    ('[database]\npath = "/' + "a" * 1500 + '"\n', "[database] path: cannot be used"),
    (SYNC + 'ca_bundle = "/tmp"\n', "[sync] ca_bundle"),
    ('[till]\ncash_rounding = "1e-999999"\n', "[till] cash_rounding"),
    ('[till]\ncash_rounding = "0.3"\n', "[till] cash_rounding"),
    ('[till]\ncash_rounding = "0.001"\n', "[till] cash_rounding"),
    ('[till]\ncash_rounding = "NaN"\n', "[till] cash_rounding"),
    ('[till]\ncash_rounding = 50\n', "[till] cash_rounding"),
    ('[till]\ncash_rounding = true\n', "[till] cash_rounding"),
    ('[till]\ncash_rounding = 1e-999999\n', "[till] cash_rounding"),
    ('[till]\nweight_barcode_prefixes = ["2"]\n', "[till] weight_barcode_prefixes"),
    ('[printer]\ntimeout = nan\n', "[printer] timeout"),
    ('[printer]\ntimeout = inf\n', "[printer] timeout"),
    ('[printer]\nwidth = 99999999999999999999999999999999\n', "[printer] width"),
    (SYNC + 'timeout = -inf\n', "[sync] timeout"),
    ('[sync]\nhub_url = "https://[::1"\n', "[sync] hub_url: Invalid IPv6 URL"),
    ('[sync]\nhub_url = "https://hub:99999"\n', "[sync] hub_url: Port out of range"),
    ('[sync]\nhub_url = "https:///x"\n', "[sync] hub_url: names no host"),
    ('[sync]\nhub_url = "https://hub example"\n', "[sync] hub_url: holds spaces"),
    (SYNC + 'push_batch_size = 1.5\n', "[sync] push_batch_size"),
    ('name2 = "\\u0007"\n', "[store] name2"),
    ('footer = "a\\u0000"\n', "[store] footer"),
    ('[printer]\nwidth = ' + "9" * 5000 + "\n", "line 5 (width = 999"),
    ('address = "' + "x\u2028\x85" * 1000 + '"\n', "line 4 (address = "),  # TOML lines end at \\n only
    ("till = 5\n".replace("till", "x") + "[till]\ntill_id = [[[]]]\n", "[till] till_id"),
])
def test_each_settings_mistake_is_one_line_naming_the_section_and_key(extra, named):
    assert named in refusal(MINIMAL + extra)


def test_cash_rounding_written_as_a_toml_float_is_read_exactly_from_its_text():
    assert parse_settings(MINIMAL + "[till]\ncash_rounding = 0.1\n", FILE).till.cash_rounding == Decimal("0.1")
    assert parse_settings(MINIMAL + "[till]\ncash_rounding = 0.05\n", FILE).till.cash_rounding == Decimal("0.05")
    assert parse_settings(MINIMAL + '[till]\ncash_rounding = "0.50"\n', FILE).till.cash_rounding == Decimal("0.50")


@pytest.mark.parametrize("content,expected", [
    (b"\xff\xfe[store]\n", "not UTF-8"),
    (MINIMAL.encode("utf-16"), "not UTF-8"),
    (b"x" * 100_001, "larger than"),
])
def test_a_file_that_is_not_a_settings_text_is_one_line(tmp_path, content, expected):
    path = tmp_path / "kassa.toml"
    path.write_bytes(content)
    with pytest.raises(SettingsProblem) as err:
        load_settings(path)
    assert expected in err.value.user_message() and "\n" not in err.value.user_message()


def test_a_folder_an_unreadable_file_and_a_nul_in_the_name_are_one_line(tmp_path):
    unreadable = tmp_path / "locked.toml"
    unreadable.write_text(MINIMAL, encoding="utf-8")
    unreadable.chmod(0)
    cases = [(tmp_path, "folder"), (Path(f"{tmp_path}/a\x00b.toml"), "cannot be read"),
             (Path(f"{tmp_path}/\udcff.toml"), "There is no settings file")]
    if os.geteuid() != 0:  # root reads anything
        cases.append((unreadable, "cannot be read"))
    for path, expected in cases:
        with pytest.raises(SettingsProblem) as err:
            load_settings(path)
        message = err.value.user_message()
        assert expected in message and "\n" not in message and "\x00" not in message
        message.encode("utf-8")  # printable: no lone surrogate left


# -- fuzzing -----------------------------------------------------------------------------
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
@example(('[store]\nstore_id = "S1"\nname = "Shop"\n[till]\ncash_rounding = 0.1\n', {"till", "cash_rounding"}))
def test_any_document_of_real_keys_gives_settings_or_one_line_naming_a_key(document):
    text, keys = document
    result = outcome(text)
    if isinstance(result, Settings):
        event("accepted")
        return
    message = result.user_message()
    event(f"refused: {message.split(': ')[1].split(' ')[0][:24]}")
    if "is longer than 2000 characters" in message:
        assert any(f"({key} = " in message for key in keys), message
    elif "not valid TOML" not in message and "too many digits" not in message:
        assert any(f"] {key}" in message or f"[{key}]" in message for key in keys), message


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(raw_files, bombs.map(str.encode)))
def test_any_bytes_give_settings_or_one_clear_line(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kassa.toml"
        path.write_bytes(content)
        try:
            load_settings(path)
        except SettingsProblem as problem:
            message = problem.user_message()
            assert "\n" not in message and str(path) in message
            event("refused")
        else:
            event("accepted")


# -- the command line --------------------------------------------------------------------
def one_line_per_mistake(stderr: str) -> bool:
    """One line, or 'kassa: FILE: N mistake(s):' and then exactly N indented lines."""
    lines = stderr.strip().splitlines()
    if len(lines) == 1:
        return True
    header = re.fullmatch(r"kassa: .*: (\d+) mistakes?:", lines[0])
    return bool(header) and len(lines) == 1 + int(header[1]) and all(line.startswith("  ") for line in lines[1:])


def check_config_many(files: list[Path], tmp_path: Path) -> list[dict]:
    """Run the CLI's main function on each file inside one real kassa process."""
    env = {**os.environ, "KASSA_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "tests.check_config_child", *map(str, files)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_kassa_check_config_refuses_broken_files_with_one_line_and_no_traceback(tmp_path):
    texts = [nesting_bomb(100_000, "array"), nesting_bomb(5000, "inline"),
             MINIMAL + '[sync]\nhub_url = "https://hub.example"\nca_bundle = "a\\u0000b"\n',
             MINIMAL + '[till]\ncash_rounding = "1e-999999"\n', MINIMAL + "[printer]\ntimeout = nan\n",
             MINIMAL + '[printer]\nconnection = "network:printer:²"\n',
             MINIMAL + '[printer]\nconnection = "serial:/dev/ttyS0:' + "1" * 5000 + '"\n',
             MINIMAL + '[printer]\nconnection = "usb:\\u0000:1"\n']
    files = []
    for number, text in enumerate(texts):
        files.append(tmp_path / f"{number}.toml")
        files[-1].write_text(text, encoding="utf-8")
    (tmp_path / "bytes.toml").write_bytes(b"\xff\x00\xfe")
    files += [tmp_path / "bytes.toml", tmp_path, tmp_path / "missing.toml"]
    results = check_config_many(files, tmp_path)
    assert len(results) == len(files)
    for result in results:
        assert result["code"] != 0 and "Traceback" not in result["stderr"], result
        assert one_line_per_mistake(result["stderr"]), result


@settings(max_examples=CLI_RUNS, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(documents().map(lambda d: d[0].encode("utf-8", "surrogatepass")), raw_files), min_size=25,
                max_size=25))
def test_kassa_check_config_on_random_files_never_shows_a_traceback(tmp_path_factory, contents):
    folder = tmp_path_factory.mktemp("configs")
    files = []
    for number, content in enumerate(contents):
        files.append(folder / f"{number}.toml")
        files[-1].write_bytes(content)
    for result in check_config_many(files, folder):
        assert "Traceback" not in result["stderr"] and result["code"] in (0, 2), result
        if result["code"]:
            assert one_line_per_mistake(result["stderr"]), result
