"""``kassa-hub erp pull [--full]``: master data from Tryton into the hub's datasets, now.

    kassa-hub erp pull [--full] [--every SECONDS] [--vat CODE=PERCENT ...] [--region UA]
                       [--customer-category NAME]

``--every`` keeps pulling on a schedule (a failed pull is logged and tried again next time).
Incremental by Tryton's write dates unless ``--full`` (everything read again; the hub still
versions only what changed).  Prints what changed and every record skipped, and logs them.
Tryton is the one ``kassa-hub erp connect`` saved (or $KASSA_ERP_URL, $KASSA_ERP_DATABASE,
$KASSA_ERP_USER), signed in to with the password from $KASSA_ERP_PASSWORD or the file
$KASSA_ERP_PASSWORD_FILE (central/erp/tryton_settings.py): never on the command line, never
in a log.  Registered under ``kassa-hub erp`` by central/erp/erp_cli.py.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from central.database import HubDatabase
from central.erp.interface import ErpFault
from central.erp.master_data import PullReport, pull_master_data
from central.erp.master_tryton import OVERLAP, TrytonMasterData
from central.errors import AdminProblem

Command = Callable[[HubDatabase, argparse.Namespace], None]
AddCommand = Callable[[str, Command, str], argparse.ArgumentParser]
log = logging.getLogger(__name__)


def declared_vat(items: list[str]) -> dict[str, str]:
    """``--vat A=20`` items as {code: percent}."""
    declared: dict[str, str] = {}
    for item in items:
        code, _, percent = item.partition("=")
        try:
            value = Decimal(percent)
        except InvalidOperation:
            value = Decimal(-1)
        if not code.strip() or len(code.strip()) > 8 or not value.is_finite() or not 0 <= value < 100:
            raise AdminProblem(f"--vat {item!r}: give CODE=PERCENT, e.g. A=20")
        declared[code.strip()] = format(value.normalize(), "f")
    return declared


def run_pull(db: HubDatabase, args: argparse.Namespace, environ: dict[str, str] | None = None,
             *, overlap: timedelta = OVERLAP) -> PullReport:
    """One pull from the connected Tryton; Tryton down, refusing or failing: an AdminProblem
    that says which (never the password)."""
    from central.erp.erp_cli import connector_for  # erp_cli registers this command: imported when it runs

    vat = declared_vat(args.vat)
    connector = connector_for(db, environ)
    reader = TrytonMasterData(connector.calls, customer_category=args.customer_category, overlap=overlap)
    try:
        return pull_master_data(db, reader, full=args.full, vat=vat, region=args.region)
    except ErpFault as fault:
        raise AdminProblem(f"nothing pulled from {connector.describe()}: {fault.reason}") from None
    finally:
        connector.close()


def _pull(db: HubDatabase, args: argparse.Namespace) -> None:
    if not args.every:
        print(run_pull(db, args))
        return
    if args.every < 10:
        raise AdminProblem("--every: at least 10 seconds between pulls")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.is_set():
        try:
            run_pull(db, args)  # logs what changed and each record skipped
            args.full = False  # --full: the first pull only
        except AdminProblem as problem:  # Tryton down, a wrong password: said, tried again next time
            log.error("ERP pull failed: %s", problem.detail)
        stop.wait(args.every)


def add_pull_command(command: AddCommand) -> argparse.ArgumentParser:
    pull = command("pull", _pull, "pull products, barcodes, prices, taxes and customers from Tryton (incremental)")
    pull.add_argument("--full", action="store_true", help="read everything again, not only what changed")
    pull.add_argument("--every", type=float, metavar="SECONDS",
                      help="pull again every SECONDS until stopped (SIGTERM, Ctrl+C), logging each pull")
    pull.add_argument("--vat", action="append", default=[], metavar="CODE=PERCENT",
                      help="the hub's VAT code for a tax rate it holds no code for yet (repeatable)")
    pull.add_argument("--region", default="UA", help="the country of phone numbers without a country code")
    pull.add_argument("--customer-category", default="Customers",
                      help="the Tryton party category whose parties are the chain's customers")
    return pull
