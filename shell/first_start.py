"""What the till does the first time it starts from IT's settings file: (to be written)."""

from __future__ import annotations

from pathlib import Path

from shell.till import OpenTill


def first_start(till: OpenTill, settings_path: Path) -> None:
    """Nothing yet."""
