"""``kassa-hub``'s reports of what the tills sent (registered by ``central.cli``).

    kassa-hub sales [--store S [--till T]] [--limit N]   received sales in seq order
    kassa-hub gaps                                       each till's missing seqs
    kassa-hub zreports [--store S [--till T]]            received Z reports in Z number order
    kassa-hub shifts [--store S]                         each till's shift, last Z and missing Zs
    kassa-hub returns [--unreconciled] [--store S]       unchecked returns and how each was reconciled
    kassa-hub tills [--store S] [--json]                 every till's last heartbeat and verdict
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import TypeVar

from central.database import HubDatabase
from central.documents_report import received_z_reports, shift_states
from central.errors import AdminProblem
from central.reconciling import reconcile_waiting, unchecked_returns
from central.sales_report import gaps, received_sales
from central.tills_report import as_json as tills_json
from central.tills_report import as_text as tills_text
from central.tills_report import till_states

_Row = TypeVar("_Row")


def _sales(db: HubDatabase, args: argparse.Namespace) -> None:
    _till_needs_store(args)
    _print_listed(received_sales(db, args.store, args.till, limit=args.limit),
                  f"{'store':<14} {'till':<6} {'seq':>7} {'receipt':>7}  {'sale_id':<36} {'total':>14}  "
                  f"{'till time':<25} hub time",
                  lambda sale: f"{sale.store_id:<14} {sale.till_id:<6} {sale.seq:>7} {sale.receipt_number:>7}  "
                               f"{sale.sale_id:<36} {sale.total!s:>14}  "
                               f"{sale.till_completed_at.isoformat(timespec='seconds'):<25} "
                               f"{sale.hub_received_at.isoformat(timespec='seconds')}",
                  "sale(s)")


def _till_needs_store(args: argparse.Namespace) -> None:
    if args.till and not args.store:
        raise AdminProblem("--till needs --store")


def _print_listed(listed: Iterator[_Row], header: str, row: Callable[[_Row], str], what: str) -> None:
    """The header, a line per row and how many there were.  The first row is read before the
    header: that checks the store and till before anything is printed."""
    first = next(listed, None)
    print(header)
    count = 0
    for item in itertools.chain([first] if first is not None else [], listed):
        count += 1
        print(row(item))
    print(f"{count} {what}")


def _gaps(db: HubDatabase, args: argparse.Namespace) -> None:
    found = gaps(db)
    for till in found:
        missing = till.describe() or "none"
        print(f"{till.till}: highest seq {till.highest_seq}, missing: {missing}")
    if not found:
        print("no sales received yet")


def _zreports(db: HubDatabase, args: argparse.Namespace) -> None:
    _till_needs_store(args)
    _print_listed(received_z_reports(db, args.store, args.till),
                  f"{'store':<14} {'till':<6} {'Z':>5}  {'shift_id':<36} {'sales':>6} {'sales total':>14} "
                  f"{'returns':>7} {'returns total':>14} {'expected cash':>14}  hub time",
                  lambda z: f"{z.till.store_id:<14} {z.till.till_id:<6} {z.z_number:>5}  {z.shift_id:<36} "
                            f"{z.sales_count:>6} {z.sales_total!s:>14} {z.returns_count:>7} {z.returns_total!s:>14} "
                            f"{z.expected_cash!s:>14}  {z.received_at.isoformat(timespec='seconds')}",
                  "Z report(s)")


def _shifts(db: HubDatabase, args: argparse.Namespace) -> None:
    states = shift_states(db, args.store)
    for s in states:
        if s.opened_at is not None and s.closed_at is None:
            shift = f"open since {s.opened_at.isoformat(timespec='seconds')} (by {s.opened_by})"
        elif s.closed_at is not None:
            shift = f"closed {s.closed_at.isoformat(timespec='seconds')} (by {s.closed_by})"
        else:
            shift = "no shift received"
        last_z = "none" if s.last_z is None else str(s.last_z)
        print(f"{s.till}: {shift}; last Z {last_z}; missing Z: {s.describe_missing() or 'none'}")
    if not states:
        print("no tills")


def _returns(db: HubDatabase, args: argparse.Namespace) -> None:
    if late := reconcile_waiting(db):
        print(f"reconciled the unchecked returns of {late} sale(s) that were waiting")
    lines = unchecked_returns(db, args.store, only_unreconciled=args.unreconciled)
    for u in lines:
        why = f": {u.reason}" if u.reason else (": the hub does not hold the sale yet" if u.status == "waiting" else "")
        print(f"{u.store_id}/{u.till_id} {u.received_at.isoformat(timespec='seconds')} return {u.return_id} "
              f"of sale {u.sale_id}: {u.quantity} x {u.product_code} ({u.name}), {u.refunded} paid back, "
              f"{u.matched} matched; {u.status}{why}")
    kind = "unreconciled or waiting" if args.unreconciled else "unchecked"
    print(f"{len(lines)} {kind} return line(s)" + ("" if lines or not args.unreconciled else ": nothing to check"))


def _tills(db: HubDatabase, args: argparse.Namespace) -> None:
    now = datetime.now(timezone.utc)
    states = till_states(db, args.store, now=now)
    if args.json:
        print(tills_json(states, now))
        return
    for line in tills_text(states, now):
        print(line)


def add_report_commands(command: Callable[[str, Callable[[HubDatabase, argparse.Namespace], None], str],
                                          argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """The report commands; answers ``sales``'s parser (``central.flagged_cli`` adds ``--flagged``)."""
    sales = command("sales", _sales, "list received sales in seq order")
    sales.add_argument("--store")
    sales.add_argument("--till")
    sales.add_argument("--limit", type=int)
    command("gaps", _gaps, "list each till's missing seqs")
    zreports = command("zreports", _zreports, "list received Z reports in Z number order")
    zreports.add_argument("--store")
    zreports.add_argument("--till")
    shifts = command("shifts", _shifts, "each till's shift (open since / closed), last Z number and missing Z numbers")
    shifts.add_argument("--store", help="only this store's tills")
    returns = command("returns", _returns, "list the unchecked returns (another till's sale taken back while the "
                                           "hub was away) and how each line was reconciled against its sale")
    returns.add_argument("--unreconciled", action="store_true",
                         help="only what a manager must check: more than was left, not in the sale, another "
                              "store's sale, or a sale the hub does not hold yet")
    returns.add_argument("--store", help="only this store's returns")
    till_list = command("tills", _tills, "every till: last heartbeat, version, queue, clock skew, verdict")
    till_list.add_argument("--store", help="only this store's tills")
    till_list.add_argument("--json", action="store_true", help="machine-readable output")
    return sales
