"""kassa printer test and kassa printer status: the receipt printer, from the command line.

``kassa printer test [--config FILE | --demo] [--png FILE]`` prints a test page on the
till's printer (the [printer] settings): the profile, paper, characters a line, code pages
and cutter the till uses, a ruler and a line in each of the chain's scripts.  It asks the
printer's status before and after, as a receipt does.  ``--demo`` prints to a loopback
printer started for the purpose (no hardware needed); ``--png`` also saves the page as the
printer would print it.

``kassa printer status [--config FILE | --demo]`` asks the printer (DLE EOT 1-4; network
and serial printers) and says what it found: ready, paper low, paper out, cover open,
offline, an error, drawer open.

Output is plain English for IT.  Exit 0: printed / ready (also when the printer does not
report its status); 1: the printer answered with a problem (paper out, cover open...);
2: it could not be reached or the settings are wrong.  No Qt, no database.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shell.command_args import demo_arguments

if TYPE_CHECKING:
    from shell.settings import Settings


def _settings(args: argparse.Namespace, stack: ExitStack) -> Settings:
    from shell.command_args import settings_of

    settings = settings_of(args.config, demo=args.demo, demo_dir=args.data_dir)
    if args.demo:  # a loopback printer that answers status queries, for as long as the command runs
        from hardware.loopback_printer import LoopbackPrinter

        loopback = stack.enter_context(LoopbackPrinter())
        printer = settings.printer.model_copy(update={"connection": loopback.setting, "status": True})
        settings = settings.model_copy(update={"printer": printer})
    return settings


def _printer(settings: Settings) -> Any:
    from shell.till import build_printer

    return build_printer(settings)


def cmd_printer(args: argparse.Namespace) -> int:
    from pos.errors import PosError

    with ExitStack() as stack:
        try:
            settings = _settings(args, stack)
            printer = _printer(settings)
        except PosError as problem:
            print(f"kassa printer: {problem.user_message()}", file=sys.stderr)
            return 2
        print(f"printer: {printer.address}")
        if args.printer_action == "status":
            return _status(printer)
        return _test(printer, settings, args.png)
    return 2


def _status(printer: Any) -> int:
    from hardware.errors import DeviceError
    from hardware.escpos_printer import EscposReceiptPrinter

    if not isinstance(printer, EscposReceiptPrinter):
        print("status: a preview printer has no status (it saves pictures)")
        return 0
    for line in printer.renderer.profile.lines():
        print(line)
    if printer.spec.kind in ("none", "dummy"):
        print(f"status: printing is {'disabled' if printer.spec.kind == 'none' else 'kept in memory'}; nothing to ask")
        return 0
    try:
        status = printer.query_status()
    except DeviceError as problem:
        print(f"kassa printer: {problem.user_message()}", file=sys.stderr)
        return 2
    if printer.spec.kind not in ("network", "serial") and not status.known:
        print(f"status: not asked ({printer.spec.kind} printers are printed to without a status check)")
        return 0
    print(f"status: {status.words()}")
    stopping = status.problem(printer.address)
    if stopping is not None:
        print(f"kassa printer: {stopping.user_message()}", file=sys.stderr)
        return 1
    return 0


def _scripts(renderer: Any) -> dict[str, str]:
    from hardware.printer_profiles import SCRIPTS
    from hardware.printer_test_page import SAMPLES

    def how(sample: str) -> str:
        if renderer.printable(sample):
            return "text"
        if renderer.inline_pictures and any(renderer.printable(word) for word in sample.split()):
            return "text with some words as pictures"
        return "pictures"

    return {script: how(SAMPLES[script]) for script in SCRIPTS}


def _test(printer: Any, settings: Settings, png: Path | None) -> int:
    from hardware.errors import DeviceError
    from hardware.escpos_printer import EscposReceiptPrinter
    from hardware.printer_profiles import printer_profile
    from hardware.printer_test_page import test_page
    from hardware.receipt_image import render_document_image

    now = datetime.now()
    if not isinstance(printer, EscposReceiptPrinter):  # preview: the page as a picture in its folder
        profile = printer_profile(printer.spec)
        page = test_page(profile, printer.address, settings.store.name, now)
        target = png or Path(printer.spec.target) / "test-page.png"
        render_document_image(page, profile.dot_width).save(target, "PNG")
        print(f"test page saved as {target}")
        return 0
    renderer = printer.renderer
    for line in renderer.profile.lines():
        print(line)
    how = _scripts(renderer)
    print("scripts: " + "; ".join(f"{script} as {way}" for script, way in how.items()))
    page = test_page(renderer.profile, printer.address, settings.store.name, now, how)
    data = renderer.render(page)
    if png is not None:
        render_document_image(page, renderer.dot_width).save(png, "PNG")
        print(f"test page saved as {png}")
    if printer.spec.kind == "none":
        print("kassa printer: printing is disabled ([printer] connection = \"none\"): nothing printed", file=sys.stderr)
        return 2
    try:
        printer.send(data)
    except DeviceError as problem:
        print(f"kassa printer: {problem.user_message()}", file=sys.stderr)
        report = getattr(printer.transport, "status", None)
        return 1 if report is not None and report.before.problem(printer.address) is not None else 2
    report = getattr(printer.transport, "status", None)
    if report is not None and report.enabled:
        print(f"status before: {report.before.words()}; after: {report.after.words()}")
    print(f"sent {len(data):,} bytes: the test page is printing")
    if printer.warning is not None:
        print(f"warning: {printer.warning.user_message()}")
    return 0


COMMANDS = {"printer": cmd_printer}
ONE_LINE_ON_FAILURE = ("printer",)


def add_arguments(sub: argparse._SubParsersAction) -> None:
    printer = sub.add_parser("printer", help="the receipt printer: print a test page, or ask its status")
    actions = printer.add_subparsers(dest="printer_action", required=True, metavar="{test,status}")
    test = actions.add_parser("test", help="print a test page (profile, paper, code pages, scripts) on the till's printer")
    test.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")
    test.add_argument("--png", type=Path, help="also save the test page as a picture")
    demo_arguments(test, "print to a loopback printer started for the purpose (no hardware)")
    status = actions.add_parser("status", help="ask the printer its status: paper, cover, errors, drawer")
    status.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")
    demo_arguments(status, "ask a loopback printer started for the purpose (no hardware)")
