"""``kassa-hub erp ...``: the hub and the ERP (registered by central/cli.py; docs/erp.md).

    kassa-hub erp connect --url URL --erp-database NAME --user USER   sign in, save the address
    kassa-hub erp status [--failed]      the queue: queued, delivered, failed with the reasons
    kassa-hub erp deliver [--retry [SALE_ID ...]]   deliver what is due now (--retry: the failed first)
    kassa-hub erp run [--batch N] [--idle S]        deliver until stopped (SIGTERM, Ctrl+C)
    kassa-hub erp pull [--full]          master data from Tryton (central/erp/pull_cli.py)

The password comes from $KASSA_ERP_PASSWORD or the file $KASSA_ERP_PASSWORD_FILE, never from the
command line (central/erp/tryton_settings.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from central.database import HubDatabase
from central.erp import delivery
from central.erp.interface import ErpFault
from central.erp.pull_cli import add_pull_command
from central.erp.outbox import FAILED, QUEUED, erp_connection, erp_outbox
from central.erp.tryton import TrytonConnector
from central.erp.tryton_settings import TrytonSettings, settings_from
from central.errors import AdminProblem
from central.stores import default_time_zone

Command = Callable[[HubDatabase, argparse.Namespace], None]
AddCommand = Callable[[str, Command, str], argparse.ArgumentParser]
log = logging.getLogger(__name__)


def saved_address(db: HubDatabase) -> tuple[str, str, str] | None:
    with db.reading() as conn:
        row = conn.execute(select(erp_connection.c.url, erp_connection.c.database_name, erp_connection.c.user_name)
                           .where(erp_connection.c.id == 1)).first()
    return (row.url, row.database_name, row.user_name) if row else None


def connector_for(db: HubDatabase, environ: dict[str, str] | None = None) -> TrytonConnector:
    return TrytonConnector(settings_from(dict(os.environ if environ is None else environ), saved_address(db)))


def _connect(db: HubDatabase, args: argparse.Namespace) -> None:
    saved = saved_address(db) or ("", "", "")
    url, database, user = args.url or saved[0], args.erp_database or saved[1], args.user or saved[2]
    if not (url and database and user):
        raise AdminProblem("pass --url, --erp-database and --user (Tryton's address, database and connector user)")
    connector = TrytonConnector(TrytonSettings(url, database, user))
    try:
        print(connector.check())
    except ErpFault as fault:
        raise AdminProblem(f"not connected: {fault.reason}") from None
    finally:
        connector.close()
    values = {"kind": "tryton", "url": connector.settings.url, "database_name": database, "user_name": user,
              "saved_at": datetime.now(timezone.utc)}
    with db.writing() as conn:
        if conn.execute(select(erp_connection.c.id).where(erp_connection.c.id == 1)).first():
            conn.execute(erp_connection.update().where(erp_connection.c.id == 1).values(**values))
        else:
            conn.execute(erp_connection.insert().values(id=1, **values))
    print("saved: kassa-hub erp run delivers the hub's sales there")


def status_lines(db: HubDatabase, *, failed_only: bool = False, limit: int = 50) -> list[str]:
    counts = delivery.counts(db)
    address = saved_address(db)
    lines = [f"ERP: Tryton {address[0]} database {address[1]!r} as {address[2]!r}" if address
             else "ERP: not connected (kassa-hub erp connect)",
             f"queued {counts[QUEUED]}, delivered {counts['delivered']}, failed {counts[FAILED]}"]
    o = erp_outbox.c
    with db.reading() as conn:
        if not failed_only:
            oldest = conn.execute(select(o.kind, o.document_id, o.queued_at, o.attempts, o.next_attempt_at, o.last_error)
                                  .where(o.state == QUEUED).order_by(o.id).limit(1)).first()
            if oldest:
                lines.append(f"oldest queued: {oldest.kind} {oldest.document_id} since {oldest.queued_at:%Y-%m-%d %H:%M:%S} UTC, "
                             f"{oldest.attempts} attempt(s), next at {oldest.next_attempt_at:%H:%M:%S} UTC"
                             + (f": {oldest.last_error}" if oldest.last_error else ""))
        failed = conn.execute(select(o.kind, o.document_id, o.store_id, o.till_id, o.attempts, o.last_error)
                              .where(o.state == FAILED).order_by(o.id).limit(limit)).all()
    for row in failed:
        lines.append(f"failed: {row.kind} {row.document_id} ({row.store_id}/{row.till_id}, {row.attempts} attempt(s)): "
                     f"{row.last_error}")
    if failed:
        lines.append("fix each reason in Tryton (or map the product), then: kassa-hub erp deliver --retry")
    return lines


def _status(db: HubDatabase, args: argparse.Namespace) -> None:
    print("\n".join(status_lines(db, failed_only=args.failed)))


def _deliver(db: HubDatabase, args: argparse.Namespace) -> None:
    if args.retry is not None:
        print(f"{delivery.retry_failed(db, args.retry or None)} failed sale(s) queued again")
    default_time_zone()  # a wrong $KASSA_HUB_TIMEZONE is one line now, not a fault on every sale
    connector = connector_for(db)
    total = delivery.Round()
    try:
        while True:
            done = delivery.deliver_due(db, connector, batch=args.batch, retry_all=args.retry is not None)
            for name in ("delivered", "already_there", "retried", "failed", "held"):
                setattr(total, name, getattr(total, name) + getattr(done, name))
            total.reasons += done.reasons
            if done.claimed < args.batch or done.retried:
                break
    finally:
        connector.close()
    print(total.describe())


def _run(db: HubDatabase, args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    zone = default_time_zone()  # checked before the first sale: the day of a store without its own zone
    connector = connector_for(db)
    log.info("delivering the hub's sales to %s (stores without their own time zone: %s)", connector.describe(), zone)
    try:
        delivery.run(db, connector, stop, batch=args.batch, idle=args.idle, lease=timedelta(seconds=args.lease))
    finally:
        connector.close()


def add_erp_commands(command: AddCommand) -> argparse._SubParsersAction:
    """``kassa-hub erp``: its subcommands; the returned set takes more (``erp pull``)."""
    erp = command("erp", lambda db, args: args.erp_run(db, args), "the ERP (Tryton): connect, the delivery "
                                                                  "queue's status, deliver, run the delivery")
    actions = erp.add_subparsers(dest="erp_command", required=True, metavar="ACTION")

    def action(name: str, run: Command, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--database", default=argparse.SUPPRESS, help="the hub's database URL (as for kassa-hub erp)")
        sub.set_defaults(erp_run=run)
        return sub

    connect = action("connect", _connect, "sign in to Tryton and save its address (the password: "
                                          "$KASSA_ERP_PASSWORD or the file $KASSA_ERP_PASSWORD_FILE)")
    connect.add_argument("--url", help="Tryton's address, e.g. http://erp.example:8000/")
    connect.add_argument("--erp-database", help="the Tryton database's name")
    connect.add_argument("--user", help="the Tryton user the hub signs in as")
    status = action("status", _status, "the delivery queue: queued, delivered, failed with the reasons")
    status.add_argument("--failed", action="store_true", help="only the failed sales")
    deliver = action("deliver", _deliver, "deliver what is due now, then stop")
    deliver.add_argument("--retry", nargs="*", metavar="SALE_ID",
                         help="queue the failed sales again first (all, or these) and try every queued one now")
    deliver.add_argument("--batch", type=int, default=20)
    run = action("run", _run, "deliver the queue until stopped (SIGTERM or Ctrl+C)")
    run.add_argument("--batch", type=int, default=20)
    run.add_argument("--idle", type=float, default=2.0, help="seconds between looks at an empty queue")
    run.add_argument("--lease", type=float, default=delivery.LEASE.total_seconds(),
                     help="seconds a claimed sale is this worker's before another may take it")
    add_pull_command(action)  # erp pull [--full] (central/erp/pull_cli.py)
    return actions
