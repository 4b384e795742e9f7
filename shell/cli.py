"""The ``kassa`` command.  Subcommands:

  kassa demo            start the till on the embedded demo store and its hub (created on first use)
  kassa demo-hub ACTION start, stop, status or sales of the demo store's hub
  kassa run             start the till with the settings file (KASSA_CONFIG or the platform's config dir)
  kassa check-config    validate the settings file: every mistake, one line each
  kassa init-config     write a commented settings template (every key with its default)
  kassa check-journal   audit the local journal (gapless receipts, complete sales)
  kassa receipt N       show receipt number N as text, render it to a PNG file, or print a copy
  kassa enrol           exchange IT's one-time code for this till's hub credential
  kassa sync            push the queued sales and pull the catalog now; say what was done
  kassa status          the link to the hub, sales waiting, quarantine, last catalog update

and the commands IT and support run, one module each in ``shell/commands/``: doctor,
diagnostics, backup, restore, self-test, seed, printer, add-cashier.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pos.errors import PosError
from shell import commands
from shell.command_args import demo_arguments, log_folder, settings_of
from shell.self_test import kassa_version

if TYPE_CHECKING:
    from shell.settings import Settings

log = logging.getLogger("kassa")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kassa", description="Kassa: an offline-first till.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages to the console")
    parser.add_argument("--version", action="version", version=f"kassa {kassa_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    from shell.demo import add_arguments

    add_arguments(sub)

    run = sub.add_parser("run", help="start the till with its settings file")
    run.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")

    check = sub.add_parser("check-config", help="validate the settings file: every mistake, one line each")
    check.add_argument("--config", type=Path)
    init = sub.add_parser("init-config", help="write a commented settings template (every key, its default)")
    init.add_argument("path", type=Path, nargs="?", help="where (default: KASSA_CONFIG or the config dir)")

    audit = sub.add_parser("check-journal", help="audit the local sales journal")
    audit.add_argument("--config", type=Path)
    demo_arguments(audit, "audit the demo store's journal")

    receipt = sub.add_parser("receipt", help="show (as text), render or reprint a past receipt")
    receipt.add_argument("number", type=int)
    receipt.add_argument("--png", type=Path, help="write the receipt to this PNG file")
    receipt.add_argument("--reprint", action="store_true", help="queue a copy for the till's printer")
    receipt.add_argument("--config", type=Path)
    demo_arguments(receipt, "use the demo store's journal")

    enrol = sub.add_parser("enrol", help="enrol this till with the hub (once, with IT's code)")
    enrol.add_argument("--hub", help="the hub's address, e.g. https://hub.example.com (default: hub_url in [sync])")
    enrol.add_argument("--code", help="the one-time code from kassa-hub enrol-code (default: enrolment_code in "
                                      "[sync], removed from the file once used)")
    enrol.add_argument("--config", type=Path)
    for name, text in (("sync", "push queued sales and pull the catalog now"),
                       ("status", "show the link to the hub and the queue")):
        command = sub.add_parser(name, help=text)
        command.add_argument("--config", type=Path)
        demo_arguments(command, "the demo store's till and its demo hub", hub=True)
    commands.add_arguments(sub)
    return parser


def _need_display() -> None:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        raise SystemExit(
            "kassa: no display found. Run it in a desktop session, under a virtual screen "
            "(xvfb-run ./dev demo), or headless with QT_QPA_PLATFORM=offscreen."
        )


def cmd_demo(args: argparse.Namespace) -> int:
    from shell.demo import run_demo

    _need_display()
    return run_demo(args, lambda till: _run_window(till, args.quit_after))


def cmd_demo_hub(args: argparse.Namespace) -> int:
    from shell.demo import run_demo_hub

    return run_demo_hub(args)


def cmd_run(args: argparse.Namespace) -> int:
    from shell.commands.cashiers import say_who_can_sign_in
    from shell.first_start import first_start
    from shell.settings import default_settings_path
    from shell.till import open_till

    path = args.config or default_settings_path()
    settings = settings_of(path)
    _need_display()
    with open_till(settings, writes=True) as till:
        first_start(till, path)
        if not say_who_can_sign_in(till, settings):
            return 2
        return _run_window(till, None)


def _run_window(till, quit_after: float | None) -> int:  # noqa: ANN001 - an OpenTill
    """The only way into ui/ (and Qt): the window's commands call it, no other does."""
    from shell.wiring import window_services
    from ui.app import run_till_window

    return run_till_window(window_services(till), quit_after=quit_after)


def cmd_check_config(args: argparse.Namespace) -> int:
    from shell.config_check import check_config_file
    from shell.settings import find_settings

    location = find_settings(args.config)
    path = location.path
    settings, problems = check_config_file(path)
    if problems:
        print(f"kassa: {path}: {len(problems)} mistake{'s' if len(problems) > 1 else ''}:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    assert settings is not None
    print(f"{path}: OK (store {settings.store.store_id}, till {settings.till.till_id}, printer {settings.printer.connection}; "
          f"{location.why})")
    return 0


def cmd_init_config(args: argparse.Namespace) -> int:
    from shell.config_check import init_config
    from shell.settings import default_settings_path

    path = args.path or default_settings_path()
    init_config(path)
    print(f"{path}: a settings template; set store_id and name, then check it with kassa check-config --config {path}")
    return 0


def cmd_check_journal(args: argparse.Namespace) -> int:
    from local_db.journal_check import journal_check
    from shell.till import open_till

    with open_till(settings_of(args.config, demo=args.demo, demo_dir=args.data_dir), writes=False) as till:  # reads only: beside a running till
        problems = journal_check(till.db)
        counts = till.outbox.counts()  # the same figures as kassa status
        print(f"next receipt {till.journal.next_receipt_number()}, {counts.waiting} documents waiting to be sent, "
              f"{counts.quarantined} quarantined")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


def cmd_receipt(args: argparse.Namespace) -> int:
    from hardware.receipt_image import render_receipt_png
    from pos.receipt import build_receipt
    from pos.receipt_layout import layout_receipt
    from shell.till import open_till

    settings = settings_of(args.config, demo=args.demo, demo_dir=args.data_dir)
    with open_till(settings, writes=args.reprint) as till:  # a reprint queues a print job: the till must be closed
        sale = till.journal.sale_by_receipt_number(args.number)
        if sale is None:
            print(f"kassa: no receipt number {args.number} in this till's journal", file=sys.stderr)
            return 2
        copy = build_receipt(sale, till.store, is_copy=True)
        if args.png:
            render_receipt_png(copy, args.png, width=settings.printer.width)
            print(f"receipt {args.number} written to {args.png}")
        if not args.png and not args.reprint:  # the receipt's rows, as the printer would lay them out
            print(layout_receipt(copy, width=settings.printer.width).plain_text())
        if args.reprint:
            till.journal.enqueue_copy(sale.sale_id)
            print(f"a copy of receipt {args.number} will print when the till runs")
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    from shell.settings import default_settings_path
    from shell.sync_commands import enrol

    path = args.config or default_settings_path()
    return enrol(settings_of(path), args.hub, args.code, path)


def cmd_sync(args: argparse.Namespace) -> int:
    from shell.sync_commands import sync_now

    return sync_now(_sync_settings(args))


def _sync_settings(args: argparse.Namespace) -> Settings:
    """The till's settings; with --demo, the demo till's with its demo hub and its credential."""
    if not args.demo:
        return settings_of(args.config)
    from shell.demo import demo_hub, with_hub

    settings = settings_of(None, demo=True, demo_dir=args.data_dir)
    return with_hub(settings, demo_hub(settings, args.hub_port))


def cmd_status(args: argparse.Namespace) -> int:
    from shell.sync_commands import status

    return status(_sync_settings(args))


COMMANDS = {**commands.commands(), "demo": cmd_demo, "demo-hub": cmd_demo_hub, "run": cmd_run, "check-config": cmd_check_config,
            "init-config": cmd_init_config,
            "check-journal": cmd_check_journal, "receipt": cmd_receipt,
            "enrol": cmd_enrol, "sync": cmd_sync, "status": cmd_status}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from shell.logs import redact, setup_logging

    log_file = setup_logging(log_folder(args), verbose=args.verbose)
    try:
        return COMMANDS[args.command](args)
    except PosError as error:
        log.info("kassa %s refused: %s", args.command, error, exc_info=True)
        print(redact(f"kassa: {error.user_message()}"), file=sys.stderr)
        return 2
    except Exception as error:  # a bug in a command that talks to the hub: one line, the traceback in the log
        if args.command not in ("enrol", "sync", "status", *commands.one_line_on_failure()):
            raise
        log.error("kassa %s failed unexpectedly", args.command, exc_info=True)
        print(redact(f"kassa: {args.command} failed unexpectedly ({type(error).__name__}: {error}); "
                     f"the details are in {log_file}"), file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
