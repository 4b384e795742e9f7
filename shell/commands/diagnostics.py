"""kassa diagnostics [FILE]: a zip for support (logs, settings without secrets, doctor's
report, versions); never the database nor the credential.  The bundle is made in
``shell.diagnostics``."""

from __future__ import annotations

import argparse
from pathlib import Path

from shell.command_args import demo_arguments, log_folder


def cmd_diagnostics(args: argparse.Namespace) -> int:
    from shell.diagnostics import bundle_names, make_bundle

    path = make_bundle(args.file, config=args.config, demo=args.demo, demo_dir=args.data_dir,
                       hub_port=args.hub_port, log_folder=log_folder(args))
    print(f"{path}: for support ({len(bundle_names(path))} files, {path.stat().st_size // 1024 + 1} KB; "
          "no database, no credential)")
    return 0


COMMANDS = {"diagnostics": cmd_diagnostics}
ONE_LINE_ON_FAILURE = ("diagnostics",)


def add_arguments(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("diagnostics", help="make a zip for support: logs, settings without secrets, "
                                                 "kassa doctor's report, versions")
    command.add_argument("file", type=Path, nargs="?",
                         help="where (default: kassa-diagnostics-<store>-<till>-<UTC time>.zip in this folder)")
    command.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")
    demo_arguments(command, "the demo store's till", hub=True)
