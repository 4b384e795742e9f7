"""``kassa check-config`` reports every mistake of a file in one run, one plain line each;
a missing file says so and how to make one; ``kassa init-config`` writes a template that
passes the check (also with every key uncommented)."""

from __future__ import annotations

import re

from tests.test_cli import kassa

MANY_MISTAKES = """\
[store]
store_id = ""
name = "Shop"
currency = "XXX"
[printer]
conection = "none"
width = "wide"
[sync]
hub_url = "ftp://x"
[security]
min_pin_length = "6"
"""


def test_check_config_names_every_mistake_of_a_file_in_one_run_one_plain_line_each(tmp_path):
    config = tmp_path / "kassa.toml"
    config.write_text(MANY_MISTAKES, encoding="utf-8")
    result = kassa("check-config", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"kassa: {config}: 6 mistakes:"
    named = [line.split(":")[0].strip() for line in lines[1:]]
    assert named == ["[store] store_id", "[store] currency", "[printer] width", "[printer] conection",
                     "[sync] hub_url", "[security] min_pin_length"]
    assert "Value error" not in result.stderr and "Input should" not in result.stderr
    assert "String should" not in result.stderr
    assert "[printer] width: must be a whole number" in result.stderr
    assert "[store] store_id: must not be empty" in result.stderr


def test_a_wrong_coin_and_a_wrong_printer_are_reported_together_with_the_other_mistakes(tmp_path):
    config = tmp_path / "kassa.toml"
    config.write_text('[store]\nstore_id = "S1"\nname = "Shop"\n[till]\ncash_rounding = "0.07"\ntill_id = ""\n'
                      '[printer]\nconnection = "bogus:1"\n', encoding="utf-8")
    result = kassa("check-config", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()[1:]
    assert [line.split(":")[0].strip() for line in lines] == ["[till] till_id", "[till] cash_rounding",
                                                              "[printer] connection"]
    assert "Value error" not in result.stderr


def test_a_missing_settings_file_says_it_is_missing_and_how_to_make_one(tmp_path):
    config = tmp_path / "nowhere.toml"
    result = kassa("check-config", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2
    assert "is wrong" not in result.stderr
    assert f"There is no settings file {config}: make one with kassa init-config {config}" in result.stderr


def test_the_template_of_init_config_passes_check_config_as_written_and_with_every_key_uncommented(tmp_path):
    config = tmp_path / "etc" / "kassa.toml"
    made = kassa("init-config", str(config), data_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    checked = kassa("check-config", "--config", str(config), data_dir=tmp_path)
    assert checked.returncode == 0 and "OK (store STORE-001" in checked.stdout, checked.stderr
    text = config.read_text(encoding="utf-8")
    for section in ("store", "till", "printer", "database", "sync", "security"):
        assert f"[{section}]" in text
    for key in ("cash_rounding", "credential_store", "lockout_seconds", "weight_barcode_prefixes", "width"):
        assert re.search(rf"^# {key} = .+# .+", text, re.MULTILINE), key  # its default and what it takes
    uncommented = re.sub(r"^# (\[sync\]|\w+ = )", r"\1", text, flags=re.MULTILINE)
    everything = tmp_path / "everything.toml"
    everything.write_text(uncommented.replace("/var/lib/kassa/till.sqlite3", str(tmp_path / "till.sqlite3")),
                          encoding="utf-8")
    checked = kassa("check-config", "--config", str(everything), data_dir=tmp_path)
    assert checked.returncode == 0, checked.stderr
    again = kassa("init-config", str(config), data_dir=tmp_path)
    assert again.returncode != 0 and "already exists" in again.stderr
