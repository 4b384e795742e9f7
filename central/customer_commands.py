"""``kassa-hub`` commands of customers (registered by ``add_customer_commands`` in central/cli.py).

    kassa-hub add-customer --phone P --name N [--card C] [--tier T] [--segment S] [--group G]
                           [--birthday YYYY-MM-DD] [--offer PROMOTION_ID ...] [--wish PRODUCT_CODE ...]
    kassa-hub customers [--limit N] [--registrations [--joined]]
    kassa-hub import-customers FILE [--region UA]     (a JSON list; see docs/deployment.md)

A phone number already known changes that customer (one number, one customer).  Phone numbers
without a country code are read in ``--region`` (ISO letters; default UA).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from central.customer_registrations import registrations
from central.customers import NewCustomer, customers_from_json, list_customers, save_customers
from central.database import HubDatabase
from central.errors import AdminProblem

MakeCommand = Callable[[str, Callable[[HubDatabase, argparse.Namespace], None], str], argparse.ArgumentParser]


def _birthday(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AdminProblem(f"--birthday {text[:30]!r} is not YYYY-MM-DD") from None


def _add_customer(db: HubDatabase, args: argparse.Namespace) -> None:
    customer = NewCustomer(args.phone, args.name, args.card, args.tier, args.segment, args.group,
                           _birthday(args.birthday), tuple(args.offer), tuple(args.wish))
    added, _changed = save_customers(db, [customer], region=args.region)
    print(f"customer {args.name.strip()} {'added' if added else 'changed'}")


def _import_customers(db: HubDatabase, args: argparse.Namespace) -> None:
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AdminProblem(f"cannot read {args.file}: it is not UTF-8 text") from None
    except OSError as error:
        raise AdminProblem(f"cannot read {args.file}: {error.strerror or error}") from None
    added, changed = save_customers(db, customers_from_json(text), region=args.region)
    print(f"{added} customer(s) added, {changed} changed")


def _customers(db: HubDatabase, args: argparse.Namespace) -> None:
    if args.registrations:
        rows = registrations(db, joined_only=args.joined)
        for r in rows:
            print(f"{r.received_at.isoformat(timespec='seconds')} {r.store_id}/{r.till_id} registration "
                  f"{r.registration_id}: {r.outcome}: {r.detail}")
        print(f"{len(rows)} registration(s)")
        return
    listed = list_customers(db, limit=args.limit)
    for c in listed:
        extra: list[Any] = [part for part in (c.tier, c.segment, c.group) if part]
        print(f"{c.customer_id}  {c.phone:<16} {c.name:<30} card {c.card or '-':<14} "
              f"{'/'.join(extra) or '-'}  birthday {c.birthday.isoformat() if c.birthday else '-'}")
    print(f"{len(listed)} customer(s)")


def add_customer_commands(command: MakeCommand) -> None:
    add = command("add-customer", _add_customer, "add a customer (or change the one with that phone number)")
    add.add_argument("--phone", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--card", default="", help="the loyalty card's barcode")
    add.add_argument("--tier", default="")
    add.add_argument("--segment", default="")
    add.add_argument("--group", default="", help="staff, regular, vip... (the birthday offer is one per group)")
    add.add_argument("--birthday", help="YYYY-MM-DD (the tills receive the month and day only)")
    add.add_argument("--offer", action="append", default=[], help="a personal offer: a promotion id (repeat)")
    add.add_argument("--wish", action="append", default=[], help="a wishlist product code (repeat)")
    add.add_argument("--region", default="UA", help="the country of numbers typed without a country code")
    listing = command("customers", _customers, "list the customers, or the registrations the tills sent")
    listing.add_argument("--limit", type=int)
    listing.add_argument("--registrations", action="store_true", help="the registrations and how each was merged")
    listing.add_argument("--joined", action="store_true", help="only registrations joined to a known customer")
    imported = command("import-customers", _import_customers, "add or change customers from a JSON list")
    imported.add_argument("file")
    imported.add_argument("--region", default="UA", help="the country of numbers typed without a country code")
