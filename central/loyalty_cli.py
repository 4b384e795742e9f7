"""``kassa-hub set-loyalty FILE.json`` and ``kassa-hub loyalty`` (registered by ``central.cli``).

    kassa-hub set-loyalty FILE.json          the chain's loyalty rules (kassa.loyalty.v1, docs/loyalty.md)
    kassa-hub loyalty                        the rules and every customer's balance
    kassa-hub loyalty --overdrawn            customers below zero (tills redeemed offline together)
    kassa-hub loyalty --customer ID          one customer's movements with the running balance
    kassa-hub give-points --customer ID|PHONE --points N --grant NAME   (once per grant name)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from central.database import HubDatabase
from central.errors import AdminProblem
from central.loyalty_grants import give_points
from central.loyalty_ledger import RULES, balances, movements, overdrawn, set_rules
from central.loyalty_tables import loyalty_rules


def _set_loyalty(db: HubDatabase, args: argparse.Namespace) -> None:
    try:
        body = Path(args.file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AdminProblem(f"cannot read {args.file}: it is not UTF-8 text") from None
    except OSError as error:
        raise AdminProblem(f"cannot read {args.file}: {error.strerror or error}") from None
    print(set_rules(db, body).describe())


def _loyalty(db: HubDatabase, args: argparse.Namespace) -> None:
    if args.overdrawn:
        found = overdrawn(db)
        for customer in found:
            print(customer.describe())
        print(f"{len(found)} customer(s) overdrawn")
        return
    if args.customer:
        lines = movements(db, args.customer)
        if not lines:
            raise AdminProblem(f"customer {args.customer[:64]!r} has no loyalty points movements")
        print("\n".join(lines))
        return
    with db.reading() as conn:
        body = conn.execute(select(loyalty_rules.c.body).where(loyalty_rules.c.name == RULES,
                                                               ~loyalty_rules.c.deleted)).scalar()
        points = balances(conn)
    print(f"rules: {body or 'none (kassa-hub set-loyalty FILE.json)'}")
    for customer_id, balance in sorted(points.items()):
        print(f"{customer_id}: {balance}")


def _give_points(db: HubDatabase, args: argparse.Namespace) -> None:
    print(give_points(db, args.customer, args.points, args.grant).describe())


def add_loyalty_commands(command: Callable[[str, Callable[[HubDatabase, argparse.Namespace], None], str],
                                           argparse.ArgumentParser]) -> None:
    rules = command("set-loyalty", _set_loyalty, "set the chain's loyalty rules from a JSON file (checked as the "
                                                 "tills read it; docs/loyalty.md)")
    rules.add_argument("file")
    report = command("loyalty", _loyalty, "the loyalty rules and balances; --overdrawn: customers below zero")
    which = report.add_mutually_exclusive_group()
    which.add_argument("--overdrawn", action="store_true",
                       help="customers whose points went below zero (tills redeemed offline beyond the balance)")
    which.add_argument("--customer", help="one customer's movements with the running balance")
    give = command("give-points", _give_points, "give a customer points outside a sale (an opening balance, a "
                                               "goodwill gesture), once per grant name")
    give.add_argument("--customer", required=True, help="the customer's id or phone number")
    give.add_argument("--points", type=int, required=True, help="points to give (negative: take away)")
    give.add_argument("--grant", required=True, help="the grant's name: giving the same grant again changes nothing")
