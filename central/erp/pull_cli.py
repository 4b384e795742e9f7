"""``kassa-hub erp pull [--full]``: master data from Tryton into the hub's datasets, now.

    kassa-hub erp pull [--full] [--vat CODE=PERCENT ...] [--region UA] [--customer-category NAME]

Incremental by Tryton's write dates unless ``--full`` (everything read again; the hub still
versions only what changed).  Prints what changed and every record skipped, and logs them.
Tryton is reached with $KASSA_ERP_URL (``http://erp.example:8000``), $KASSA_ERP_DATABASE,
$KASSA_ERP_USER and the password in $KASSA_ERP_PASSWORD or the file $KASSA_ERP_PASSWORD_FILE:
never on the command line, never in a log.
"""

from __future__ import annotations

import argparse
import base64
import os
import xmlrpc.client
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from central.database import HubDatabase
from central.erp.master_data import PullReport, pull_master_data
from central.erp.master_tryton import OVERLAP, TrytonMasterData, proteus_calls
from central.errors import AdminProblem

Command = Callable[[HubDatabase, argparse.Namespace], None]
AddCommand = Callable[[str, Command, str], argparse.ArgumentParser]


@dataclass(frozen=True)
class TrytonAddress:
    url: str  # the server's root, "http://127.0.0.1:8000"
    database: str
    user: str
    password: str

    def __repr__(self) -> str:  # never the password
        return f"TrytonAddress({self.url!r}, {self.database!r}, {self.user!r})"

    @property
    def rpc_url(self) -> str:
        return f"{self.url.rstrip('/')}/{self.database}/rpc/"


def address_from_environment(env: dict[str, str] | None = None) -> TrytonAddress:
    env = dict(os.environ if env is None else env)
    missing = [name for name in ("KASSA_ERP_URL", "KASSA_ERP_DATABASE", "KASSA_ERP_USER") if not env.get(name)]
    if missing:
        raise AdminProblem(f"Tryton is not set up: set {', '.join(missing)} (docs/erp.md)")
    password = env.get("KASSA_ERP_PASSWORD", "")
    if not password and env.get("KASSA_ERP_PASSWORD_FILE"):
        try:
            password = Path(env["KASSA_ERP_PASSWORD_FILE"]).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise AdminProblem(f"cannot read $KASSA_ERP_PASSWORD_FILE: {error.strerror or error}") from None
    if not password:
        raise AdminProblem("no Tryton password: set $KASSA_ERP_PASSWORD or $KASSA_ERP_PASSWORD_FILE")
    return TrytonAddress(env["KASSA_ERP_URL"], env["KASSA_ERP_DATABASE"], env["KASSA_ERP_USER"], password)


def _transport(url: str, timeout: float, headers: list[tuple[str, str]]) -> xmlrpc.client.Transport:
    """proteus's XML-RPC with a timeout: a Tryton that hangs fails the pull instead."""
    base = xmlrpc.client.SafeTransport if url.startswith("https:") else xmlrpc.client.Transport

    class Timed(base):  # type: ignore[valid-type, misc]
        def make_connection(self, host: Any) -> Any:
            connection = super().make_connection(host)
            connection.timeout = timeout
            return connection

    return Timed(use_builtin_types=True, headers=headers)


@contextmanager
def tryton_reader(address: TrytonAddress, *, customer_category: str = "Customers", timeout: float = 60,
                  overlap: timedelta = OVERLAP) -> Iterator[TrytonMasterData]:
    """A logged-in master-data reader over proteus; Tryton unreachable, refusing the login or
    answering an error: an AdminProblem that says which (never the password)."""
    from proteus.config import XmlrpcConfig

    where = f"Tryton at {address.url} (database {address.database}, user {address.user})"
    try:
        login = xmlrpc.client.ServerProxy(address.rpc_url, allow_none=True, use_builtin_types=True,
                                          transport=_transport(address.url, timeout, []))
        answer: Any = login.common.db.login(address.user, {"password": address.password})
        user_id, session = answer[0], answer[1]
        token = base64.b64encode(f"{address.user}:{user_id}:{session}".encode()).decode("ascii")
        config = XmlrpcConfig(address.rpc_url, transport=_transport(address.url, timeout,
                                                                     [("Authorization", f"Session {token}")]))
        try:
            yield TrytonMasterData(proteus_calls(config), customer_category=customer_category, overlap=overlap)
        finally:
            with suppress(OSError, xmlrpc.client.Error):
                config.server.common.db.logout()
    except OSError as error:
        raise AdminProblem(f"cannot reach {where}: {error}") from None
    except xmlrpc.client.ProtocolError as error:
        reason = {401: "the user or password is wrong", 403: "the user may not read this",
                  404: "no such database"}.get(error.errcode, error.errmsg)
        raise AdminProblem(f"{where} refused: {reason} ({error.errcode})") from None
    except xmlrpc.client.Fault as error:
        raise AdminProblem(f"{where} answered an error: {str(error.faultString)[:300]}") from None


def _vat(items: list[str]) -> dict[str, str]:
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


def run_pull(db: HubDatabase, args: argparse.Namespace, env: dict[str, str] | None = None) -> PullReport:
    vat = _vat(args.vat)
    with tryton_reader(address_from_environment(env), customer_category=args.customer_category) as reader:
        return pull_master_data(db, reader, full=args.full, vat=vat, region=args.region)


def _pull(db: HubDatabase, args: argparse.Namespace) -> None:
    print(run_pull(db, args))


def add_pull_command(command: AddCommand) -> argparse.ArgumentParser:
    pull = command("pull", _pull, "pull products, barcodes, prices, taxes and customers from Tryton (incremental)")
    pull.add_argument("--full", action="store_true", help="read everything again, not only what changed")
    pull.add_argument("--vat", action="append", default=[], metavar="CODE=PERCENT",
                      help="a VAT code for a tax rate the hub does not hold yet (repeatable)")
    pull.add_argument("--region", default="UA", help="the country of phone numbers without a country code")
    pull.add_argument("--customer-category", default="Customers",
                      help="the Tryton party category whose parties are customers")
    return pull
