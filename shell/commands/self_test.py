"""kassa self-test: does this installation work?  Headless checks in a temporary folder
(the logic is in ``shell.self_test``); exit 0 only when every check that ran passed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(sub: argparse._SubParsersAction) -> None:
    test = sub.add_parser(
        "self-test", help="check this installation headless: database, sale, receipt, translations, fonts, hub",
        description="Checks this installation in a new temporary folder (never the till's own data): "
                    "migrations on a fresh database, a sale into a file printer, the translations and fonts, "
                    "and with --hub and --enrolment-code an enrolment, a catalog pull and the sale pushed. "
                    "Use a code made for a test till (kassa-hub enrol-code --store SELFTEST --till <new id>), "
                    "never a real till's code.")
    test.add_argument("--hub", help="the hub's address, e.g. https://hub.example.com (with --enrolment-code)")
    test.add_argument("--enrolment-code", help="a one-time code for a test till (kassa-hub enrol-code)")
    test.add_argument("--ca-bundle", type=Path, help="the hub's private CA certificates (PEM), if it has one")
    test.add_argument("--json", action="store_true", help="print the checks as JSON")
    test.add_argument("--keep", type=Path, help="run in this new or empty folder and leave it for a look")


def cmd_self_test(args: argparse.Namespace) -> int:
    from shell.self_test import SelfTestFolderProblem, run_self_test

    if bool(args.hub) != bool(args.enrolment_code):
        print("kassa: self-test needs --hub and --enrolment-code together (or neither: no hub checks)",
              file=sys.stderr)
        return 2
    if args.hub and (problem := _hub_problem(args.hub)):
        print(f"kassa: --hub {args.hub}: {problem}", file=sys.stderr)
        return 2
    try:
        report = run_self_test(args.hub, args.enrolment_code, keep=args.keep, ca_bundle=args.ca_bundle)
    except SelfTestFolderProblem as problem:
        print(f"kassa: {problem}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        print(f"kassa {report.version} self-test in {report.folder}")
        for check in report.checks:
            print(check.line())
        print("all checks passed" if report.passed else "SOME CHECKS FAILED")
    return 0 if report.passed else 1


def _hub_problem(url: str) -> str | None:
    """What is wrong with the hub's address, in the words check-config uses for hub_url."""
    from shell.settings import SettingsProblem, parse_settings

    try:
        parse_settings(f'[store]\nstore_id = "S"\nname = "S"\n[sync]\nhub_url = {json.dumps(url)}\n', Path("--hub"))
    except SettingsProblem as problem:
        return "; ".join(line.removeprefix("[sync] hub_url: ") for line in problem.problems)
    return None


COMMANDS = {"self-test": cmd_self_test}
ONE_LINE_ON_FAILURE = ("self-test",)
