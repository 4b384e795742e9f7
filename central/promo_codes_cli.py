"""``kassa-hub make-codes``, ``add-code`` and ``promo-codes [--conflicts]`` (registered by ``central.cli``).

    kassa-hub make-codes --promotion P [--promotion P2] --count N [rules] [--length 10] [--csv FILE]
    kassa-hub add-code CODE --promotion P [rules] [--phone NUMBER [--region UA]]
    kassa-hub promo-codes [--conflicts]

rules: [--starts 2026-12-01] [--ends 2027-01-01T00:00] (the store's local time, end excluded)
[--minimum 500] (the basket before promotions) [--uses 1] (one-time; none: unlimited)
[--per-customer N].  A personal code's PIN is never on the command line: it is asked (not
echoed) or read as one line from standard input.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from central.database import HubDatabase
from central.errors import AdminProblem
from central.promo_codes import (
    CodeRules,
    add_code,
    code_states,
    conflicts,
    make_codes,
    parse_local_time,
    parse_minimum,
)


def _rules(args: argparse.Namespace) -> CodeRules:
    return CodeRules(
        tuple(args.promotion),
        starts=parse_local_time(args.starts, "--starts") if args.starts else None,
        ends=parse_local_time(args.ends, "--ends") if args.ends else None,
        minimum=parse_minimum(args.minimum) if args.minimum else None,
        uses_allowed=args.uses, per_customer=args.per_customer)


def _make_codes(db: HubDatabase, args: argparse.Namespace) -> None:
    made = make_codes(db, args.count, _rules(args), length=args.length)
    if not args.csv:
        for code in made:
            print(code)
        return
    try:
        with Path(args.csv).open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["code", "promotion_ids", "starts", "ends", "minimum", "uses", "per_customer"])
            for code in made:
                writer.writerow([code, " ".join(args.promotion), args.starts or "", args.ends or "",
                                 args.minimum or "", args.uses or "", args.per_customer or ""])
    except OSError as error:
        raise AdminProblem(f"cannot write {args.csv}: {error.strerror or error}; the {len(made)} codes are "
                           "made: list them with kassa-hub promo-codes") from None
    print(f"{len(made)} promo code(s) written to {args.csv}")


def _read_pin() -> str:
    if sys.stdin.isatty():
        pin = getpass.getpass("the customer's PIN: ")
        if getpass.getpass("the PIN again: ") != pin:
            raise AdminProblem("the two PINs differ")
        return pin
    return sys.stdin.readline().strip()


def _add_code(db: HubDatabase, args: argparse.Namespace) -> None:
    pin = _read_pin() if args.phone else ""
    code = add_code(db, args.code, _rules(args), phone=args.phone or "", pin=pin, region=args.region,
                    exists_ok=args.exists_ok)
    print(f"promo code {code} added" + (" (personal: phone number and PIN)" if args.phone else ""))


def _promo_codes(db: HubDatabase, args: argparse.Namespace) -> None:
    if args.conflicts:
        found = conflicts(db)
        for conflict in found:
            print(conflict.describe())
        print(f"{len(found)} conflicting use(s)" + ("" if found else ": nothing to check"))
        return
    states = code_states(db)
    for state in states:
        print(state.describe())
    print(f"{len(states)} promo code(s)")


def _rule_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--promotion", action="append", required=True,
                     help="a promotion the code unlocks (one whose validity needs a code); repeat for more")
    sub.add_argument("--starts", help="valid from, the store's local time (2026-12-01 or 2026-12-01T09:00)")
    sub.add_argument("--ends", help="valid until, excluded, the store's local time")
    sub.add_argument("--minimum", help="the basket before promotions must reach this amount")
    sub.add_argument("--uses", type=int, help="how many sales may use it in all (1: one-time; default: unlimited)")
    sub.add_argument("--per-customer", type=int, help="how many sales of one identified customer may use it")


def add_promo_code_commands(command: Callable[[str, Any, str], argparse.ArgumentParser]) -> None:
    made = command("make-codes", _make_codes, "make N random promo codes with the same rules (prints them "
                                              "or writes a CSV)")
    made.add_argument("--count", type=int, required=True)
    made.add_argument("--length", type=int, default=10, help="characters per code (default 10)")
    made.add_argument("--csv", help="write the codes to this CSV file instead of printing them")
    _rule_arguments(made)
    one = command("add-code", _add_code, "add a promo code head office chose (WINTER10), or a personal one bound "
                                         "to a customer's phone number and a PIN (asked, or one line on stdin)")
    one.add_argument("code")
    one.add_argument("--exists-ok", action="store_true", help="a code that exists is left as it is (exit 0)")
    one.add_argument("--phone", help="a personal code: the customer's phone number, in any usual form")
    one.add_argument("--region", default="UA", help="the country of a phone number typed without +code "
                                                    "(default UA)")
    _rule_arguments(one)
    listing = command("promo-codes", _promo_codes, "list the promo codes with their rules and uses")
    listing.add_argument("--conflicts", action="store_true",
                         help="only the uses past a code's rules (two tills offline with a one-time code...)")
