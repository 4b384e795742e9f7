from pathlib import Path

import pytest

from shell.settings import SettingsProblem, load_settings, parse_settings

MINIMAL = '[store]\nstore_id = "S1"\nname = "Shop"\n'


def test_a_minimal_settings_file_gets_sensible_defaults():
    settings = parse_settings(MINIMAL, Path("kassa.toml"))
    assert settings.printer.connection == "none" and settings.till.till_id == "T01"


def test_a_misspelt_key_is_named_with_the_likely_intended_one():
    with pytest.raises(SettingsProblem) as err:
        parse_settings(MINIMAL + '[printer]\nconection = "none"\n', Path("kassa.toml"))
    message = err.value.user_message()
    assert "conection" in message and "connection" in message and "kassa.toml" in message


@pytest.mark.parametrize("extra", ['currency = "XYZ"', 'timezone = "Mars/Olympus"', 'locale = "zz_ZZ"'])
def test_bad_store_values_are_refused(extra):
    with pytest.raises(SettingsProblem):
        parse_settings(MINIMAL + extra + "\n", Path("kassa.toml"))


def test_a_file_that_is_not_toml_is_explained():
    with pytest.raises(SettingsProblem) as err:
        parse_settings("[store\nname=", Path("kassa.toml"))
    assert "TOML" in err.value.user_message()


def test_a_missing_file_is_explained(tmp_path):
    with pytest.raises(SettingsProblem) as err:
        load_settings(tmp_path / "nope.toml")
    assert "There is no settings file" in err.value.user_message()
    assert "kassa init-config" in err.value.user_message()


def test_the_embedded_demo_settings_are_valid():
    text = (Path(__file__).resolve().parents[1] / "shell" / "demo_settings.toml").read_text(encoding="utf-8")
    assert parse_settings(text, Path("demo")).store.currency == "UAH"
