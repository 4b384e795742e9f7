"""What several ``kassa`` commands share: the --demo arguments, the settings they act on,
and where they log.  Imports no Qt."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shell.settings import Settings


def demo_arguments(command: argparse.ArgumentParser, text: str, hub: bool = False) -> None:
    from shell.demo_hub import DEMO_HUB_PORT

    command.add_argument("--demo", action="store_true", help=text)
    command.add_argument("--data-dir", type=Path, help="with --demo: the demo's folder (default: <data dir>/demo)")
    if hub:
        command.add_argument("--hub-port", type=int, default=DEMO_HUB_PORT, help="with --demo: the demo hub's port")


def log_folder(args: argparse.Namespace) -> Path:
    """Where a command logs: the demo into its own folder (it never touches the real till's
    files); every other command into ``shell.logs.default_log_folder()`` (KASSA_LOG_DIR,
    else beside KASSA_DATA_DIR's database, else the platform's log folder)."""
    from shell.logs import default_log_folder
    from shell.till import data_dir

    if args.command in ("demo", "demo-hub") or getattr(args, "demo", False):
        return args.data_dir or data_dir() / "demo"
    return default_log_folder()


def settings_of(config: Path | None, demo: bool = False, demo_dir: Path | None = None) -> Settings:
    """The settings file's settings (``config``, else KASSA_CONFIG or the config dir); with
    ``demo``, the demo store's."""
    from shell.settings import default_settings_path, load_settings

    if demo:
        from shell.demo import demo_settings

        return demo_settings(demo_dir)
    return load_settings(config or default_settings_path())
