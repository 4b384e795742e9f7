"""``kassa printer test`` and ``kassa printer status`` in a fresh process each, against the
loopback network printer, and the [printer] settings they read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hardware.loopback_printer import LoopbackPrinter
from tests.hardware.escpos_decoder import decode, receipts_in

ROOT = Path(__file__).resolve().parents[2]


def kassa(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"KASSA_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "shell.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def config_for(tmp_path: Path, printer: str) -> Path:
    config = tmp_path / "kassa.toml"
    config.write_text(f'[store]\nstore_id = "S1"\nname = "Крамниця біля дому"\n[printer]\n{printer}\n', encoding="utf-8")
    return config


def test_the_test_page_prints_the_profile_a_ruler_and_every_script(tmp_path: Path, loopback: LoopbackPrinter) -> None:
    config = config_for(tmp_path, f'connection = "{loopback.setting}"\npaper = 58')
    result = kassa("printer", "test", "--config", str(config), "--png", str(tmp_path / "page.png"), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "58 mm paper, 32 characters a line, 384 dots" in result.stdout
    assert "status before: ready; after: ready" in result.stdout
    [page] = receipts_in(loopback.wait_for(lambda d: b"\x1dV" in d))
    decoded = decode(page)
    assert "12345678901234567890123456789012" in decoded.texts  # the ruler, one line of 32
    assert "Шампунь, Ґанок, Їжак, Єнот" in decoded.texts and "Крамниця біля дому" in decoded.texts
    assert decoded.with_inline_pictures  # Georgian words (and ə) as pictures within their lines
    assert (tmp_path / "page.png").stat().st_size > 1000


def test_status_says_ready_and_exits_0(tmp_path: Path, loopback: LoopbackPrinter) -> None:
    result = kassa("printer", "status", "--config", str(config_for(tmp_path, f'connection = "{loopback.setting}"')),
                   data_dir=tmp_path)
    assert result.returncode == 0 and "status: ready" in result.stdout


@pytest.mark.parametrize(("fault", "said", "words"), [
    ("cover", "cover open", "cover is open"),
    ("paper", "paper out", "out of paper"),
])
def test_status_names_the_fault_says_what_to_do_and_exits_1(tmp_path: Path, loopback: LoopbackPrinter, fault: str,
                                                           said: str, words: str) -> None:
    if fault == "cover":
        loopback.cover_open = True
    else:
        loopback.paper = "out"
    config = config_for(tmp_path, f'connection = "{loopback.setting}"')
    result = kassa("printer", "status", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 1 and said in result.stdout and words in result.stderr
    test = kassa("printer", "test", "--config", str(config), data_dir=tmp_path)
    assert test.returncode == 1 and words in test.stderr and b"\x1dV" not in loopback.received()


def test_a_printer_that_is_off_is_one_line_and_exit_2(tmp_path: Path) -> None:
    loopback = LoopbackPrinter().start()
    setting = loopback.setting
    loopback.stop()
    config = config_for(tmp_path, f'connection = "{setting}"\ntimeout = 1')
    for action in ("status", "test"):
        result = kassa("printer", action, "--config", str(config), data_dir=tmp_path)
        assert result.returncode == 2 and "does not answer" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_the_demo_test_page_needs_no_printer(tmp_path: Path) -> None:
    result = kassa("printer", "test", "--demo", "--data-dir", str(tmp_path / "demo"), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "scripts: English as text; Ukrainian as text; Azerbaijani as text with some words as pictures" in result.stdout
    assert "sent " in result.stdout


def test_printer_settings_are_checked_with_plain_messages(tmp_path: Path) -> None:
    config = config_for(tmp_path, 'paper = 57\nwidth = 40\nlogo = "/no/such/logo.png"\ncutter = "maybe"')
    result = kassa("check-config", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 2
    assert "[printer] paper" in result.stderr and "[printer] logo: is not a file" in result.stderr
    assert "[printer] cutter" in result.stderr
    narrow = config_for(tmp_path, "paper = 58\nwidth = 40")
    result = kassa("check-config", "--config", str(narrow), data_dir=tmp_path)
    assert result.returncode == 2 and "does not fit 58 mm paper: at most 32 characters" in result.stderr


def test_a_logo_that_is_not_a_picture_is_named_by_check_config(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_text("not a picture", encoding="utf-8")
    result = kassa("check-config", "--config", str(config_for(tmp_path, f'logo = "{logo}"')), data_dir=tmp_path)
    assert result.returncode == 2 and "[printer] logo: is not a picture Kassa can read" in result.stderr
