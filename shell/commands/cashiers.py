"""``kassa add-cashier``: a cashier made on the till itself, for the first start of a till that
is not enrolled with the hub yet (its manager, who opens the shift and approves), or a shop
that runs without a hub.

    kassa add-cashier --code 9 --name "Iryna (manager)" --role manager [--pin-file FILE] [--config FILE]

The PIN is never an argument (it would stay in the shell's history and the process list): it is
asked for on the terminal, twice, or read from the first line of ``--pin-file``, or from the
first line of the standard input when that is not a terminal.  The till must be closed (the
one-till lock).  Once the till is enrolled, a cashier the hub sends with the same code takes
the hub's name, PIN and role.  Output is plain English for IT; exit 0 done, 2 refused.

``kassa run`` on a till nobody can sign in to says to run this (``say_who_can_sign_in``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shell.settings import Settings
    from shell.till import OpenTill

ROLES = ("cashier", "senior_cashier", "manager")  # pos.store_day.roles.Role (not imported: kassa --help stays light)
MAX_PIN_FILE = 100


class Refused(Exception):
    """Why no cashier was added, in plain English for IT."""


def cmd_add_cashier(args: argparse.Namespace) -> int:
    try:
        return _add_cashier(args)
    except Refused as why:
        print(f"kassa add-cashier: {why}", file=sys.stderr)
        return 2


def _add_cashier(args: argparse.Namespace) -> int:
    from local_db.cashiers import add_cashier
    from pos.store_day.roles import Role
    from shell.command_args import settings_of
    from shell.till import open_till

    code, name = args.code.strip(), args.name.strip()
    if not code or not name:
        raise Refused("--code and --name must not be empty")
    settings = settings_of(args.config)
    pin = _pin(args.pin_file, settings.security.min_pin_length)
    with open_till(settings, writes=True) as till:
        try:
            add_cashier(till.db, code, name, pin, min_pin_length=settings.security.min_pin_length,
                        role=Role(args.role))
        except ValueError as error:
            raise Refused(f"{error}; nothing was saved") from None
    print(f"cashier {code} ({name}) saved as {args.role.replace('_', ' ')} in {till.db.path}; "
          "they sign in with their number and PIN")
    if settings.sync is not None:
        print("note: this till works with a hub; a cashier the hub sends with the same number takes the hub's "
              "name, PIN and role at the next pull")
    return 0


def _pin(pin_file: Path | None, min_length: int) -> str:
    rule = f"a PIN is {max(4, min_length)} to 12 digits"
    if pin_file is not None:
        try:
            with pin_file.open("r", encoding="utf-8") as file:
                text = file.read(MAX_PIN_FILE)
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else "it is not text"
            raise Refused(f"cannot read the PIN file {pin_file}: {reason}") from None
        pin = text.splitlines()[0].strip() if text.strip() else ""
        where = f"the first line of {pin_file}"
    elif sys.stdin is not None and sys.stdin.isatty():
        pin = getpass.getpass("PIN for the new cashier: ").strip()
        if pin != getpass.getpass("the same PIN again: ").strip():
            raise Refused("the two PINs differ; nothing was saved")
        where = "the PIN typed"
    else:
        line = sys.stdin.readline(MAX_PIN_FILE) if sys.stdin is not None else ""
        pin = line.strip()
        where = "the PIN on the standard input"
    if not (pin.isascii() and pin.isdigit() and max(4, min_length) <= len(pin) <= 12):
        raise Refused(f"{where} is not a PIN: {rule} ([security] min_pin_length is {min_length}); nothing was saved")
    return pin


def say_who_can_sign_in(till: OpenTill, settings: Settings) -> bool:
    """At ``kassa run``: False (and what to do, on stderr) when nobody can sign in and no hub
    will send cashiers; with a hub, a note that they come with the first pull."""
    count = till.db.read(lambda conn: conn.exec_driver_sql("SELECT count(*) FROM cashiers WHERE active = 1")
                         .scalar_one(), "counting the cashiers")
    if count:
        return True
    add = 'kassa add-cashier --code 9 --name "NAME" --role manager'
    if settings.sync is None:
        print(f"kassa: this till has no cashiers, so nobody could sign in. Add its manager first:\n  {add}\n"
              "(or link the till to the hub with a [sync] section: the store's cashiers come with the first pull)",
              file=sys.stderr)
        return False
    print(f"kassa: this till has no cashiers yet: they come from the hub with the first pull. To sign in before "
          f"that, add the manager:\n  {add}", file=sys.stderr)
    return True


def add_arguments(sub: argparse._SubParsersAction) -> None:
    add = sub.add_parser("add-cashier", allow_abbrev=False,  # --pin is refused, never read as --pin-file
                         help="add a cashier (or the first manager) on this till; the PIN is asked for, "
                              "never given as an argument")
    add.add_argument("--code", required=True, help="the number the cashier signs in with")
    add.add_argument("--name", required=True, help="printed on receipts, e.g. \"Iryna (manager)\"")
    add.add_argument("--role", default="cashier", choices=ROLES,
                     help="what they may do without a manager (default: cashier)")
    add.add_argument("--pin-file", type=Path, help="read the PIN from the first line of this file instead of asking")
    add.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")


COMMANDS = {"add-cashier": cmd_add_cashier}
