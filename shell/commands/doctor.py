"""kassa doctor: is this till well?  One line per check (OK / ATTENTION / PROBLEM and what
to do) or ``--json`` for monitoring; exit 0 all well, 1 attention, 2 problem.  The checks
are in ``shell.doctor``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from shell.command_args import demo_arguments


def cmd_doctor(args: argparse.Namespace) -> int:
    from shell.doctor import run_doctor

    report = run_doctor(args.config, demo=args.demo, demo_dir=args.data_dir, hub_port=args.hub_port)
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report.lines()))
    return report.exit_code


COMMANDS = {"doctor": cmd_doctor}
ONE_LINE_ON_FAILURE = ("doctor",)


def add_arguments(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser("doctor", help="check this till: database, queue, catalog, hub, clock, printer, disk "
                                           "(exit 0 well, 1 attention, 2 problem)")
    doctor.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")
    doctor.add_argument("--json", action="store_true", help="one JSON document for monitoring (see shell/doctor.py)")
    demo_arguments(doctor, "check the demo store's till", hub=True)
