"""IT's one settings file: where the till finds it, what the new keys take ([offline],
credential_store "auto", enrolment_code), every mistake named with what is allowed, the
code never shown, and the code's line removed with every other byte kept."""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import keyring
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from keyring.backend import KeyringBackend, properties

from shell import settings as settings_module
from shell.first_start import remove_enrolment_code, without_enrolment_code
from shell.settings import Settings, SettingsProblem, find_settings, load_settings, parse_settings
from sync.credentials import FileStore, KeyringStore, credential_store
from sync.errors import CredentialMissing
from tests.settings_inputs import EXAMPLES, MINIMAL, toml_value, values

ROOT = Path(__file__).resolve().parents[2]
FILE = Path("/etc/kassa/settings.toml")
SYNC = '[sync]\nhub_url = "https://hub.example.com"\n'
CODE = "ZX3P-4XPD-93HF"  # not the example the messages show


def kassa(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"KASSA_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "HOME": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "shell.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


# -- where the settings file is found --------------------------------------------------------
@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """The user's and the computer's settings files, in tmp (neither written yet)."""
    monkeypatch.delenv("KASSA_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    site = tmp_path / "etc" / "kassa" / "settings.toml"
    monkeypatch.setattr(settings_module, "site_settings_path", lambda: site)
    yield settings_module.user_settings_path(), site


def write(path: Path, store_id: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[store]\nstore_id = "{store_id}"\nname = "Shop"\n', encoding="utf-8")
    return path


def test_the_settings_are_looked_for_in_kassa_config_then_the_users_file_then_the_computers(
        places: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user, site = places
    assert user.is_relative_to(tmp_path / "home-config")
    write(site, "SITE")
    assert find_settings().path == site and "computer" in find_settings().why
    assert load_settings(find_settings().path).store.store_id == "SITE"
    write(user, "USER")
    assert find_settings().path == user and "user" in find_settings().why
    named = write(tmp_path / "named.toml", "NAMED")
    monkeypatch.setenv("KASSA_CONFIG", str(named))
    assert find_settings().path == named and "KASSA_CONFIG" in find_settings().why
    given = write(tmp_path / "given.toml", "GIVEN")
    assert find_settings(given).path == given and "--config" in find_settings(given).why
    assert settings_module.default_settings_path() == named


def test_no_settings_file_anywhere_names_every_place_looked_at_and_how_to_make_one(places: tuple[Path, Path]) -> None:
    user, site = places
    location = find_settings()
    assert not location.found and location.looked == (user, site)
    with pytest.raises(SettingsProblem) as missing:
        load_settings(location.path)
    message = missing.value.user_message()
    assert str(user) in message and str(site) in message and f"kassa init-config {user}" in message


def test_check_config_says_which_file_it_checked_found_by_the_lookup(
        places: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from shell.cli import main

    root = logging.getLogger()
    handlers = root.handlers[:]
    try:
        user, site = places
        write(site, "SITE")
        assert main(["check-config"]) == 0
        assert f"{site}: OK (store SITE" in capsys.readouterr().out.replace("\n", "")
        write(user, "USER")
        assert main(["check-config"]) == 0
        said = capsys.readouterr().out
        assert re.search(rf"{re.escape(str(user))}: OK \(store USER.*; the user's settings file\)", said)
        user.unlink()
        assert main(["check-config"]) == 0
        assert "the computer's settings file" in capsys.readouterr().out
        site.write_text('[store]\nstore_id = "SITE"\nname = "Shop"\n[offline]\nwarn_unsent_after_minutes = 0\n',
                        encoding="utf-8")
        assert main(["check-config"]) == 2
        err = capsys.readouterr().err
        assert f"kassa: {site}: 1 mistake:" in err and "[offline] warn_unsent_after_minutes: must be at least 1" in err
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = handlers


# -- credential_store "auto" -------------------------------------------------------------------
class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps its passwords in memory (a desktop's keyring).  Not
    viable on its own (keyring picks every viable subclass by itself): only where a test sets it."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - keyring's class property
        raise RuntimeError("only where a test sets it")

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def desktop_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture(autouse=True)
def _no_store_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KASSA_CREDENTIAL_STORE", raising=False)


def test_auto_is_the_default_and_picks_the_protected_file_on_a_computer_without_a_keyring(tmp_path: Path) -> None:
    assert parse_settings(MINIMAL + SYNC, FILE).sync.credential_store == "auto"  # type: ignore[union-attr]
    folder = tmp_path / "kassa"
    store = credential_store("auto", folder)
    assert isinstance(store, FileStore)  # this machine's keyring has no backend
    store.save("S001/T01", "kt1.abc.def")
    assert store.load("S001/T01") == "kt1.abc.def"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()] == [0o600]


def test_the_file_store_makes_an_existing_open_folder_private(tmp_path: Path) -> None:
    folder = tmp_path / "var-lib-kassa"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    FileStore(folder).save("S001/T01", "kt1.abc.def")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_auto_uses_a_usable_keyring_and_writes_no_file(tmp_path: Path, desktop_keyring: MemoryKeyring) -> None:
    store = credential_store("auto", tmp_path)
    assert isinstance(store, KeyringStore)
    store.save("S001/T01", "kt1.abc.def")
    assert desktop_keyring.passwords == {("kassa", "S001/T01"): "kt1.abc.def"}
    assert list(tmp_path.iterdir()) == []


def test_auto_keeps_using_a_credential_file_already_there_when_a_keyring_appears(
        tmp_path: Path, desktop_keyring: MemoryKeyring) -> None:
    FileStore(tmp_path).save("S001/T01", "kt1.abc.def")  # enrolled on a day without a keyring
    store = credential_store("auto", tmp_path)
    assert isinstance(store, FileStore) and store.load("S001/T01") == "kt1.abc.def"


def test_the_choice_of_auto_is_logged_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="sync.credentials"):
        for _ in range(3):
            credential_store("auto", tmp_path / "once")
    told = [r for r in caplog.records if 'credential_store "auto"' in r.getMessage()]
    assert len(told) == 1 and str(tmp_path / "once") in told[0].getMessage()


def test_a_wrong_credential_store_names_the_three_allowed_values(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    with pytest.raises(SettingsProblem) as wrong:
        parse_settings(MINIMAL + SYNC + 'credential_store = "vault"\n', FILE)
    expected = "[sync] credential_store: must be one of 'auto', 'keyring' or 'file' (not 'vault')"
    assert expected in wrong.value.user_message()
    monkeypatch.setenv("KASSA_CREDENTIAL_STORE", "vault")
    with pytest.raises(CredentialMissing, match='"auto", "keyring" or "file"'):
        credential_store("auto", tmp_path)
    monkeypatch.setenv("KASSA_CREDENTIAL_STORE", "AUTO")
    assert isinstance(credential_store("keyring", tmp_path), FileStore)


# -- every mistake named, the code never shown --------------------------------------------------
WRONG = f"""\
[store]
store_id = "S1"
name = "Shop"
[sync]
hub_url = "https://hub.example.com"
credential_store = "vault"
enrolment_code = "{CODE}!"
[offline]
warn_unsent_after_minutes = 0
warn_catalog_older_than_hours = "48"
warn_unsent = 5
[ofline]
x = 1
"""


def test_check_config_names_each_wrong_new_key_with_what_it_takes_and_never_shows_the_code(tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(WRONG, encoding="utf-8")
    result = kassa("check-config", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"kassa: {config}: 6 mistakes:"
    assert sorted(line.split(":")[0].strip() for line in lines[1:]) == sorted([
        "[sync] credential_store", "[sync] enrolment_code", "[offline] warn_unsent_after_minutes",
        "[offline] warn_catalog_older_than_hours", "[offline] warn_unsent", "[top level] ofline"])
    text = result.stderr
    assert "must be one of 'auto', 'keyring' or 'file'" in text
    assert 'e.g. "KQ7M-4XPD-93HF": 4 to 40 letters, digits and dashes (what was written is not shown' in text
    assert "must be at least 1" in text and "must be a whole number without quotes" in text
    assert "did you mean 'warn_unsent_after_minutes'?" in text and "did you mean 'offline'?" in text
    assert CODE not in text and CODE not in result.stdout
    assert not any(CODE in path.read_text(errors="replace") for path in tmp_path.rglob("kassa.log*"))


@pytest.mark.parametrize("line", [
    f'enrolment_code = 1{"2" * 11}', f'enrolment_code = ["{CODE}"]', f'enrolment_code = "{CODE}\\u0000"',
    f'enrolment_code = "{CODE}{"X" * 40}"', f'enrolment_code = "{CODE}" "x"',
    f'enrolment_code = "{CODE}' + "Y" * 3000 + '"',
    f'"enrolment_code" = "{CODE}ß"',
])
def test_a_wrong_enrolment_code_is_named_without_showing_it(line: str) -> None:
    with pytest.raises(SettingsProblem) as wrong:
        parse_settings(MINIMAL + SYNC + line + "\n", FILE)
    message = wrong.value.user_message()
    assert "enrolment_code" in message or "not valid TOML" in message
    assert CODE not in message and "1222222" not in message and "ZX3P4XPD" not in message


def test_a_good_enrolment_code_is_kept_as_a_secret_that_repr_does_not_show() -> None:
    settings = parse_settings(MINIMAL + SYNC + f'enrolment_code = " {CODE} "\n', FILE)
    assert settings.sync is not None and settings.sync.enrolment_code is not None
    assert settings.sync.enrolment_code.get_secret_value() == CODE
    assert CODE not in repr(settings) and CODE not in str(settings) and CODE not in repr(settings.sync)


def test_the_template_documents_the_new_keys_and_passes_the_check(tmp_path: Path) -> None:
    from shell.config_check import template

    text = template()
    assert re.search(r"^# enrolment_code = .+# .*one-time code", text, re.MULTILINE)
    assert re.search(r'^# credential_store = "auto" +# .*"keyring" or "file"', text, re.MULTILINE)
    assert re.search(r"^\[offline\]$", text, re.MULTILINE)
    assert re.search(r"^# warn_unsent_after_minutes = 60 +# .*1 to 10080", text, re.MULTILINE)
    assert re.search(r"^# warn_catalog_older_than_hours = 48 +# .*1 to 8760", text, re.MULTILINE)
    uncommented = re.sub(r"^# (\[sync\]|\w+ = )", r"\1", text, flags=re.MULTILINE)
    uncommented = uncommented.replace("/var/lib/kassa/till.sqlite3", str(tmp_path / "till.sqlite3"))
    settings = parse_settings(uncommented, FILE)
    assert settings.offline.warn_unsent_after_minutes == 60 and settings.sync is not None
    assert settings.sync.enrolment_code is not None


# -- fuzzing the new keys ------------------------------------------------------------------------
NEW_KEYS = [("offline", "warn_unsent_after_minutes"), ("offline", "warn_catalog_older_than_hours"),
            ("sync", "credential_store"), ("sync", "enrolment_code")]
MARK = "QZ9"  # planted in every generated code: never in a message
planted = st.one_of(st.text(max_size=45).map(lambda t: MARK + t),
                    st.text("ABCDEFGHJKMNPQRSTUVWXYZ23456789-", min_size=1, max_size=40).map(lambda t: MARK + t))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(NEW_KEYS), values), min_size=1, max_size=4,
                unique_by=lambda item: item[0]), st.one_of(st.none(), planted))
@example([(("offline", "warn_unsent_after_minutes"), 60.0)], None)
@example([(("sync", "credential_store"), "AUTO")], MARK + "\x00")
def test_any_value_of_a_new_key_gives_settings_or_one_line_naming_it_and_never_the_code(
        chosen: list[tuple[tuple[str, str], object]], code: str | None) -> None:
    sections: dict[str, list[str]] = {"sync": ['hub_url = "https://hub.example.com"'], "offline": []}
    for (section, key), value in chosen:
        sections[section].append(f"{key} = {toml_value(value)}")
    if code is not None and not any(key == "enrolment_code" for (_, key), _ in chosen):
        sections["sync"].append(f"enrolment_code = {toml_value(code)}")
    text = MINIMAL + "".join(f"[{name}]\n" + "".join(line + "\n" for line in lines) for name, lines in sections.items())
    try:
        parsed = parse_settings(text, FILE)
    except SettingsProblem as problem:
        message = problem.user_message()
        assert "\n" not in message and str(FILE) in message
        assert MARK not in message
        if "not valid TOML" not in message and "too many digits" not in message and "longer than" not in message:
            assert any(f"[{section}] {key}" in message for (section, key), _ in chosen) or "enrolment_code" in message
        return
    assert isinstance(parsed, Settings)
    assert parsed.offline.warn_unsent_after_minutes >= 1 and parsed.offline.warn_catalog_older_than_hours >= 1
    assert parsed.sync is not None and parsed.sync.credential_store in ("auto", "keyring", "file")
    assert MARK not in repr(parsed)


# -- removing the code's line ------------------------------------------------------------------
comment = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), include_characters="\t"),
                  max_size=20).map(lambda t: "# " + t)  # TOML comments hold no control character but tab
blank_or_comment = st.one_of(comment, st.just(""), st.just("   "))
KEY_LINES = ['push_batch_size = 50', 'timeout = 2.5', "credential_store = 'file'", 'ca_bundle = "/etc/ca.pem"',
             '"pull_page_size" = 100', 'push_interval_seconds = 10 # often']
code_line = st.builds(lambda indent, quote, spaces, tail: f'{indent}{quote}enrolment_code{quote}{spaces}= "{CODE}"'
                                                         + tail,
                      st.sampled_from(["", "  ", "\t"]), st.sampled_from(["", '"', "'"]),
                      st.sampled_from(["", " ", "  "]),
                      st.one_of(st.just(""), comment.map(lambda c: "   " + c)))


@st.composite
def settings_texts(draw: st.DrawFn) -> tuple[str, int]:
    """A settings text with the code's line at some place in [sync] (CRLF or LF lines, comments,
    blank lines, a table after [sync]); and the number of that line."""
    keys = draw(st.lists(st.sampled_from(KEY_LINES), unique=True, max_size=4))
    split = draw(st.integers(0, len(keys)))
    before = draw(st.permutations(keys[:split] + draw(st.lists(blank_or_comment, max_size=2))))
    after = draw(st.permutations(keys[split:] + draw(st.lists(blank_or_comment, max_size=2))))
    sync_header = draw(st.sampled_from(["[sync]", "[ sync ]", '["sync"]', "[sync]   # the hub"]))
    head = [draw(comment), *MINIMAL.rstrip("\n").split("\n"), sync_header, 'hub_url = "https://hub.example.com"']
    lines = [*head, *before, draw(code_line), *after]
    code_at = len(head) + len(before)
    if draw(st.booleans()):
        lines += ["[offline]", "warn_unsent_after_minutes = 30", draw(comment)]
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + draw(st.sampled_from(["", ending])), code_at


@settings(max_examples=EXAMPLES, deadline=None)
@given(settings_texts())
def test_removing_the_code_keeps_every_other_line_byte_for_byte(document: tuple[str, int]) -> None:
    text, code_at = document
    result = without_enrolment_code(text)
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", text)  # each with its own line ending
    assert result == "".join(lines[:code_at] + lines[code_at + 1:])
    data = tomllib.loads(text, parse_float=Decimal)
    del data["sync"]["enrolment_code"]
    assert tomllib.loads(result, parse_float=Decimal) == data


@pytest.mark.parametrize("text", [
    MINIMAL + SYNC + f'enrolment_code = """\n{CODE}"""\n',  # over two lines
    MINIMAL + f'sync = {{ hub_url = "https://hub.example.com", enrolment_code = "{CODE}" }}\n',  # an inline table
    MINIMAL + SYNC + 'footer = """\n[sync]\nenrolment_code = "x"\n"""\n',  # a line that only looks like it
    MINIMAL + SYNC,  # no code at all
    "not = [toml",
])
def test_a_code_that_is_not_one_line_of_its_own_is_left_alone(text: str) -> None:
    assert without_enrolment_code(text) is None


def test_the_dotted_form_at_the_top_is_removed_too() -> None:
    top = 'sync.hub_url = "https://hub.example.com"\n# hub\n'
    text = top + f' sync . "enrolment_code" = "{CODE}"\n' + MINIMAL
    assert without_enrolment_code(text) == top + MINIMAL
    assert parse_settings(top + MINIMAL, FILE).sync is not None


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_rewritten_file_keeps_its_mode_and_a_symbolic_link_keeps_pointing_at_it(tmp_path: Path) -> None:
    real = tmp_path / "etc" / "settings.toml"
    real.parent.mkdir()
    real.write_text(MINIMAL + SYNC + f'enrolment_code = "{CODE}"\n# kept\n', encoding="utf-8")
    real.chmod(0o604)
    link = tmp_path / "kassa.toml"
    link.symlink_to(real)
    assert remove_enrolment_code(link)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == MINIMAL + SYNC + "# kept\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o604
    assert sorted(p.name for p in real.parent.iterdir()) == ["settings.toml"]
