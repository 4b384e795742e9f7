"""The till fits the screens shops have (1024x768 and 1366x768), in every language, with and
without a window manager: nothing lies outside the screen, the totals are always visible, and
no text is cut unless it elides with its whole text in a tooltip.

Each screen size runs in its own process (Qt's offscreen platform takes its screen size at
start: ``offscreen:configfile=``), which walks the real window through every screen and
dialog in en, uk, az and ka (``tests/ui/screen_fit.py``) and answers with the problems found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from pos.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
SIZES = ("1024x768", "1366x768")
MODES = ("kiosk", "wm")  # with no window manager; with one (window frames, maximised)


@cache
def problems(size: str, mode: str, folder: str) -> dict[str, list[str]]:
    width, height = (int(n) for n in size.split("x"))
    config = Path(folder) / f"screen-{size}-{mode}.json"
    config.write_text(json.dumps({
        "windowFrameMargins": mode == "wm",
        "screens": [{"name": "till", "x": 0, "y": 0, "width": width, "height": height,
                     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}],
    }))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", KASSA_DATA_DIR=folder)
    run = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_fit", size, mode],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("screens"))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_and_dialog_fits_the_screen_with_nothing_cut(language, size, mode, folder):
    assert problems(size, mode, folder)[language] == []
