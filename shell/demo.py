"""``kassa demo`` and ``kassa demo-hub``: the embedded demo store, with its own hub.

``kassa demo`` creates the demo till (5,000 items), starts the demo hub in the background
if it is not running (same catalog and cashiers), enrols the till with it once, and opens
the window.  ``kassa demo-hub stop`` / ``start`` stop and restart that hub while the till
keeps selling, so a newcomer sees the queue grow offline and drain when the link returns.

The demo also runs the card terminal emulator (hardware.card_terminal_emulator: the real
protocol on a loopback TCP port, in this process, so it stops with the demo) and points the
till's ``[card_terminal]`` at it: F12 then F5 pays by card.  ``--card-script
decline,timeout,...`` makes the next payments decline, time out (then "Check the terminal"),
wait for a cancel (``hold``)...; ``--no-card-terminal`` shows the manual mode (the approval
code typed from a slip).  Its outcomes are kept in ``card-terminal.jsonl`` in the demo folder,
so a payment in doubt is found again after a restart.
"""

from __future__ import annotations

import argparse
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pos.errors import PosError
from shell.demo_hub import DEMO_HUB_PORT, DemoHub
from shell.settings import Settings, SyncSettings, parse_settings

if TYPE_CHECKING:
    from hardware.card_terminal_emulator import TerminalEmulator

CARD_TERMINAL_JOURNAL = "card-terminal.jsonl"


def demo_settings(folder: Path | None) -> Settings:
    from shell.till import data_dir

    text = resources.files("shell").joinpath("demo_settings.toml").read_text(encoding="utf-8")
    settings = parse_settings(text, Path("<demo settings>"))
    directory = folder or data_dir() / "demo"
    return settings.model_copy(update={"database": settings.database.model_copy(update={"path": directory / "till.sqlite3"})})


def private_demo_receipts(folder: Path) -> None:
    """The receipt pictures name the cashier and what was bought: their folder is 0700 and
    each picture 0600, also those an older demo left readable to everyone."""
    from local_db.private_files import private_folder, tighten_files

    private_folder(folder)
    tighten_files(folder, patterns=("*.png",))


def demo_hub(settings: Settings, port: int) -> DemoHub:
    assert settings.database.path is not None
    return DemoHub(settings.database.path.parent / "hub", port)


def with_hub(settings: Settings, hub: DemoHub) -> Settings:
    """The demo till talks to its hub often, and keeps its credential in a file (said so
    explicitly here: a demo machine often has no keyring)."""
    assert settings.database.path is not None
    sync = SyncSettings(hub_url=hub.url, credential_store="file", credential_folder=settings.database.path.parent,
                        push_interval_seconds=2, pull_interval_seconds=30)
    return settings.model_copy(update={"sync": sync})


def connect_to_hub(settings: Settings, db, hub: DemoHub, items: int) -> Settings:  # noqa: ANN001
    """Prepare and start the demo hub and enrol the till with it once; returns the settings
    that make the till sync.  Raises DemoHubProblem or SyncError if any of it fails."""
    from sync.credentials import account_name
    from sync.enrolment import enrol_till
    from shell.logs import never_log
    from shell.till import credential_store_of, make_hub_client

    store = credential_store_of(with_hub(settings, hub))  # in the demo folder, never the real till's
    account = account_name(settings.store.store_id, settings.till.till_id)
    # a new hub database does not know the old credential: the code is asked for with the rest
    enrol = not hub.database.exists() or store.load(account) is None
    created, code = hub.prepare(settings.store.store_id, settings.store.name, items,
                                enrol_till=settings.till.till_id if enrol else None)
    hub.start(owner=os.getpid())  # the hub stops with this demo, however it ends
    settings = with_hub(settings, hub)
    if created:
        store.forget(account)  # a new hub database does not know the old credential
    if code is not None and store.load(account) is None:
        never_log(code)
        with make_hub_client(hub.url) as client:
            never_log(enrol_till(db, client, code, store, store_id=settings.store.store_id,
                                 till_id=settings.till.till_id).credential)
    return settings


def start_card_terminal(folder: Path, script: str = "") -> TerminalEmulator:
    """The card terminal emulator on a free loopback port, its outcomes kept in ``folder``.
    Raises ValueError naming a wrong script step."""
    from hardware.card_terminal_emulator import TerminalEmulator, parse_script

    return TerminalEmulator(parse_script(script), journal=folder / CARD_TERMINAL_JOURNAL).start()


def with_card_terminal(settings: Settings, emulator: TerminalEmulator) -> Settings:
    """The settings with ``[card_terminal] connection = "network:127.0.0.1:PORT"`` (the emulator)."""
    section = getattr(settings, "card_terminal", None)
    if section is None:  # a Kassa without the [card_terminal] section: the till stays in manual mode
        return settings
    host, port = emulator.address
    connection = section.model_copy(update={"connection": f"network:{host}:{port}"})
    return settings.model_copy(update={"card_terminal": connection})


def run_demo(args: argparse.Namespace, run_window) -> int:  # noqa: ANN001 - run_window(OpenTill) -> int
    from local_db.demo_store import create_demo_store
    from shell.till import open_till

    settings = demo_settings(args.data_dir)
    assert settings.database.path is not None
    directory = settings.database.path.parent
    printer = args.printer or f"preview:{directory / 'receipts'}"
    settings = settings.model_copy(update={"printer": settings.printer.model_copy(update={"connection": printer})})
    with open_till(settings, writes=True) as till:  # the demo folder: 0700
        (directory / DEMO_PID).write_text(str(os.getpid()), encoding="ascii")  # a restarted hub stops with it
        private_demo_receipts(directory / "receipts")
        create_demo_store(till.db, items=args.items, promotions=True)  # and customers, codes, loyalty
        hub = None
        if not args.no_hub:
            hub = demo_hub(settings, args.hub_port)
            try:
                till.settings = connect_to_hub(settings, till.db, hub, args.items)
            except PosError as problem:
                print(f"The demo hub is not available ({problem.user_message()}); the till sells offline.")
                hub = None
        emulator = None
        if not args.no_card_terminal:
            try:
                emulator = start_card_terminal(directory, args.card_script)
            except (OSError, ValueError) as problem:
                print(f"The card terminal emulator could not start ({problem}); cards are taken by approval code.")
            else:
                till.settings = with_card_terminal(till.settings, emulator)
        print(f"Demo store: {settings.database.path}\nSign in as cashier 1 with PIN 1234 "
              f"(the manager, who approves, is 9 with PIN 9999). Receipts: {printer}")
        if emulator is not None:
            host, port = emulator.address
            print(f"Card terminal emulator: network:{host}:{port} (F12, then F5 pays by card; "
                  "--card-script decline,timeout,hold,... for the next payments)")
        if hub is not None:
            print(f"Demo hub: {hub.url} (log {hub.log_file}).\n"
                  "  ./dev hub sales   the sales the hub has received\n"
                  "  ./dev hub stop    stop it: the till keeps selling and queues the sales\n"
                  "  ./dev hub start   start it again: the queue drains")
        try:
            return run_window(till)
        finally:
            (directory / DEMO_PID).unlink(missing_ok=True)
            if emulator is not None:
                emulator.stop()
            if hub is not None:
                hub.stop()


DEMO_PID = "demo.pid"


def running_demo(settings: Settings) -> int | None:
    """The pid of the demo till running on this folder, if one is: a hub started beside it
    stops with it."""
    from shell.hub_watchdog import alive

    assert settings.database.path is not None
    try:
        pid = int((settings.database.path.parent / DEMO_PID).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def run_demo_hub(args: argparse.Namespace) -> int:
    settings = demo_settings(args.data_dir)
    hub = demo_hub(settings, args.hub_port)
    if args.action == "start":
        hub.prepare(settings.store.store_id, settings.store.name, args.items)
        pid = hub.start(owner=running_demo(settings))
        print(f"demo hub running at {hub.url} (pid {pid})")
    elif args.action == "stop":
        print("demo hub stopped" if hub.stop() else "the demo hub was not running")
    elif args.action == "sales":
        print(hub.sales_report())
    else:
        print(f"demo hub at {hub.url}: {'running' if hub.is_running() else 'not running'}")
    return 0


def add_arguments(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    demo = sub.add_parser("demo", help="start the till on the embedded demo store, with its own hub")
    demo.add_argument("--data-dir", type=Path, help="where the demo database lives (default: <data dir>/demo)")
    demo.add_argument("--items", type=int, default=5000, help="catalog size when the demo store is created")
    demo.add_argument("--printer", help="printer connection, e.g. network:127.0.0.1:9100 (default: PNG previews)")
    demo.add_argument("--no-hub", action="store_true", help="sell offline only, without the demo hub")
    demo.add_argument("--hub-port", type=int, default=DEMO_HUB_PORT)
    demo.add_argument("--card-script", default="",
                      help="what the emulated card terminal does with the next payments, comma separated: "
                           "approve, decline, cancel, timeout, hold, garbage... (then: approve)")
    demo.add_argument("--no-card-terminal", action="store_true",
                      help="no emulated card terminal: cards are paid by the approval code from a slip")
    demo.add_argument("--quit-after", type=float, help=argparse.SUPPRESS)
    hub = sub.add_parser("demo-hub", help="start, stop or look into the demo store's hub")
    hub.add_argument("action", choices=("start", "stop", "status", "sales"))
    hub.add_argument("--data-dir", type=Path)
    hub.add_argument("--items", type=int, default=5000)
    hub.add_argument("--hub-port", type=int, default=DEMO_HUB_PORT)
