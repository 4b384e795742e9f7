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


def test_the_offline_policies_have_defaults_and_take_whole_numbers_within_bounds():
    settings = parse_settings(MINIMAL, Path("kassa.toml"))
    assert settings.offline.warn_unsent_after_minutes == 60
    assert settings.offline.warn_catalog_older_than_hours == 48
    chosen = parse_settings(MINIMAL + "[offline]\nwarn_unsent_after_minutes = 15\nwarn_catalog_older_than_hours = 6\n",
                            Path("kassa.toml"))
    assert (chosen.offline.warn_unsent_after_minutes, chosen.offline.warn_catalog_older_than_hours) == (15, 6)


@pytest.mark.parametrize("line,expected", [
    ("warn_unsent_after_minutes = 0", "[offline] warn_unsent_after_minutes: must be at least 1"),
    ("warn_unsent_after_minutes = 10081", "[offline] warn_unsent_after_minutes: must be at most 10080"),
    ('warn_unsent_after_minutes = "60"', "[offline] warn_unsent_after_minutes: must be a whole number"),
    ("warn_unsent_after_minutes = 60.0", "[offline] warn_unsent_after_minutes: must be a whole number"),
    ("warn_catalog_older_than_hours = 0", "[offline] warn_catalog_older_than_hours: must be at least 1"),
    ("warn_catalog_older_than_hours = 8761", "[offline] warn_catalog_older_than_hours: must be at most 8760"),
    ("warn_catalog_older_than_hours = true", "[offline] warn_catalog_older_than_hours: must be a whole number"),
    ("warn_unsent_after = 60", "(did you mean 'warn_unsent_after_minutes'?)"),
])
def test_a_wrong_offline_policy_is_named_with_what_it_takes(line, expected):
    with pytest.raises(SettingsProblem) as err:
        parse_settings(MINIMAL + "[offline]\n" + line + "\n", Path("kassa.toml"))
    assert expected in err.value.user_message()
