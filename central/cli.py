"""``kassa-hub``: run the hub and administer it.

    kassa-hub serve --database URL [--host 127.0.0.1 --port 8700] [--status-page]
                    ($KASSA_HUB_ADMIN_TOKEN set: head office's PUT /v1/promotions is on)
                    ($KASSA_HUB_FEED_TOKEN set: the CRM feed GET /v1/feed is on, central/feed_api.py)
    kassa-hub migrate --database URL
    kassa-hub add-store --store S --name NAME [--timezone Europe/Kyiv]   (again on a store: renames it
                    or, --timezone alone, sets its zone; a store without one follows $KASSA_HUB_TIMEZONE,
                    else Europe/Kyiv)
    kassa-hub import-catalog FILE [--full]          (CSV or JSON)
    kassa-hub import-demo-catalog --items N
    kassa-hub add-cashier --store S --code C --name N --pin P [--role cashier|senior_cashier|manager]
    kassa-hub set-policy --store S --name permissions|reasons|denominations (--file F.json | --remove)
    kassa-hub enrol-code --store S --till T [--hours 72]
    kassa-hub revoke --store S --till T
    kassa-hub sales [--store S [--till T]] [--limit N]   (this and the reports below: central/reports_cli.py)
    kassa-hub sales --flagged / map-product FROM TO   (central/flagged_cli.py)
    kassa-hub gaps
    kassa-hub zreports [--store S [--till T]]
    kassa-hub shifts [--store S]
    kassa-hub returns [--unreconciled] [--store S]     (unchecked returns: another till's sale, offline)
    kassa-hub tills [--store S] [--json]
    kassa-hub export FILE [--store S] [--hub-url URL]   (a catalog file to seed a till from a USB stick)
    kassa-hub set-loyalty FILE.json / loyalty [--overdrawn | --customer ID] / give-points   (central/loyalty_cli.py)
    kassa-hub gift-cards [--conflicts | --overdrawn] / gift-cards show|unlock NUMBER / gift-cards release-stale   (central/gift_card_cli.py)
    kassa-hub set-promotions FILE.json [--full] / promotions / remove-promotion ID   (central/promotions_cli.py)
    kassa-hub make-codes / add-code / promo-codes [--conflicts]   (promo codes: central/promo_codes_cli.py)
    kassa-hub add-customer / customers / import-customers FILE   (central/customer_commands.py)
    kassa-hub erp connect|status|deliver|run   (the ERP: central/erp/erp_cli.py, docs/erp.md)

The database URL is ``--database`` or else ``$KASSA_HUB_DATABASE``: ``sqlite:///hub.sqlite3``
or ``postgresql+psycopg://user:password@host/db``.  Every command first brings the schema
up to date.  Bad input gets one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import exc as sa_exc

from central.catalog_files import read_catalog_file, rows_from_products
from central.catalog_import import import_catalog
from central.customer_commands import add_customer_commands
from central.database import DATABASE_VARIABLE, HubDatabase, open_hub_database, unavailable
from central.enrolment import make_enrolment_code, revoke
from central.erp.erp_cli import add_erp_commands
from central.errors import AdminProblem, HubError
from central.status_page import STATUS_PASSWORD_VARIABLE, STATUS_USER, check_password
from central.loyalty_cli import add_loyalty_commands
from central.gift_card_cli import add_gift_card_commands
from central.flagged_cli import add_flagged_sales_commands
from central.policies import remove_policy, set_policy
from central.promotions_api import ADMIN_TOKEN_VARIABLE, check_admin_token
from central.promotions_cli import add_promotion_commands
from central.promo_codes_cli import add_promo_code_commands
from central.reports_cli import add_report_commands
from central.stores import CHAIN_TIMEZONE, ROLES, TIMEZONE_VARIABLE, TillIdentity, add_cashier, add_store
from pos.store_day.policies import POLICY_NAMES

Command = Callable[[HubDatabase, argparse.Namespace], None]


def _serve(db: HubDatabase, args: argparse.Namespace) -> None:
    import uvicorn

    from central.app import create_app

    db.close()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise SystemExit("kassa-hub: --ssl-certfile and --ssl-keyfile go together")
    password = check_password(os.environ.get(STATUS_PASSWORD_VARIABLE)) if args.status_page else None
    admin_token = check_admin_token(os.environ.get(ADMIN_TOKEN_VARIABLE))
    uvicorn.run(create_app(args.database, status_password=password, admin_token=admin_token),
                host=args.host, port=args.port,
                log_level=args.log_level, access_log=args.access_log, ssl_certfile=args.ssl_certfile,
                ssl_keyfile=args.ssl_keyfile, timeout_graceful_shutdown=5)


def _migrate(db: HubDatabase, args: argparse.Namespace) -> None:
    print("the hub database is up to date")


def _add_store(db: HubDatabase, args: argparse.Namespace) -> None:
    new = add_store(db, args.store, args.name, args.timezone)
    zone = f" (time zone {args.timezone.strip()})" if args.timezone is not None else ""
    if not new and args.name is None:
        print(f"set the time zone of store {args.store} to {args.timezone.strip()}")
    else:
        print(f"{'added' if new else 'renamed'} store {args.store}{zone}")


def _import_catalog(db: HubDatabase, args: argparse.Namespace) -> None:
    print(import_catalog(db, read_catalog_file(Path(args.file)), full=args.full))


def _import_demo_catalog(db: HubDatabase, args: argparse.Namespace) -> None:
    from pos.demo_catalog import generate_catalog

    if args.items < 1:
        raise AdminProblem("--items must be at least 1")
    print(import_catalog(db, rows_from_products(generate_catalog(args.items, seed=42, currency=args.currency))))


def _add_cashier(db: HubDatabase, args: argparse.Namespace) -> None:
    add_cashier(db, args.store, args.code, args.name, args.pin, role=args.role)
    print(f"cashier {args.code.strip()} of store {args.store} saved ({args.role})")


def _set_policy(db: HubDatabase, args: argparse.Namespace) -> None:
    if args.remove:
        print(remove_policy(db, args.store, args.name).describe())
        return
    try:
        body = Path(args.file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AdminProblem(f"cannot read {args.file}: it is not UTF-8 text") from None
    except OSError as error:
        raise AdminProblem(f"cannot read {args.file}: {error.strerror or error}") from None
    print(set_policy(db, args.store, args.name, body).describe())


def _enrol_code(db: HubDatabase, args: argparse.Namespace) -> None:
    if not 0 < args.hours <= 24 * 30:
        raise AdminProblem("--hours must be more than 0 and at most 720")
    print(make_enrolment_code(db, TillIdentity(args.store, args.till), hours=args.hours))


def _revoke(db: HubDatabase, args: argparse.Namespace) -> None:
    count = revoke(db, TillIdentity(args.store, args.till))
    print(f"revoked {count} credential(s) of till {args.till} in store {args.store}")


def _export(db: HubDatabase, args: argparse.Namespace) -> None:
    from central.catalog_export import HUB_URL_VARIABLE, export_catalog

    hub_url = args.hub_url or os.environ.get(HUB_URL_VARIABLE)
    if not hub_url:
        raise AdminProblem(f"pass --hub-url (or set ${HUB_URL_VARIABLE}): the hub's address as the tills know it "
                           "(their [sync] hub_url); a till refuses a file from another hub")
    written = export_catalog(db, Path(args.file), hub_url=hub_url, store_id=args.store)
    print(written.describe())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kassa-hub", description="The Kassa hub: serve tills and administer it.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Command, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--database", default=os.environ.get(DATABASE_VARIABLE),
                         help=f"database URL (default: ${DATABASE_VARIABLE})")
        sub.set_defaults(run=run)
        return sub

    serve = command("serve", _serve, "run the hub's HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--no-access-log", dest="access_log", action="store_false")
    serve.add_argument("--ssl-certfile", help="serve HTTPS with this certificate chain (PEM)")
    serve.add_argument("--ssl-keyfile", help="the certificate's private key (PEM)")
    serve.add_argument("--status-page", action="store_true",
                       help=f"serve the read-only status page at /status (HTTP Basic, user {STATUS_USER!r}, "
                            f"password from ${STATUS_PASSWORD_VARIABLE})")
    command("migrate", _migrate, "create or upgrade the hub's tables")
    store = command("add-store", _add_store, "add a store (or rename one, or change its time zone)")
    store.add_argument("--store", required=True)
    store.add_argument("--name", help="the store's name (a new store needs one; left out, a store keeps its own)")
    store.add_argument("--timezone", help="the store's IANA time zone, e.g. Europe/Kyiv: the ERP books its sales "
                                          f"on its local day (default: ${TIMEZONE_VARIABLE}, else {CHAIN_TIMEZONE})")
    catalog = command("import-catalog", _import_catalog, "import products, prices, barcodes and VAT from CSV or JSON")
    catalog.add_argument("file")
    catalog.add_argument("--full", action="store_true", help="the file is the whole catalog: delete products it lacks")
    demo = command("import-demo-catalog", _import_demo_catalog, "import the deterministic demo catalog")
    demo.add_argument("--items", type=int, required=True)
    demo.add_argument("--currency", default="UAH")
    cashier = command("add-cashier", _add_cashier, "add or change a store's cashier")
    for name in ("--store", "--code", "--name", "--pin"):
        cashier.add_argument(name, required=True)
    cashier.add_argument("--role", default="cashier", choices=ROLES,
                         help="what the cashier may do without a manager (default: cashier)")
    policy = command("set-policy", _set_policy, "set a store's permission table, reason codes or denominations "
                                                "from a JSON file (checked as the tills read it)")
    policy.add_argument("--store", required=True)
    policy.add_argument("--name", required=True, choices=POLICY_NAMES)
    source = policy.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", help="the policy's JSON (see docs/sync-protocol.md, the policies dataset)")
    source.add_argument("--remove", action="store_true", help="the tills go back to their settings and defaults")
    enrol = command("enrol-code", _enrol_code, "make a one-time enrolment code for a till (prints it)")
    enrol.add_argument("--store", required=True)
    enrol.add_argument("--till", required=True)
    enrol.add_argument("--hours", type=float, default=72)
    revoke_cmd = command("revoke", _revoke, "revoke a till's credentials")
    revoke_cmd.add_argument("--store", required=True)
    revoke_cmd.add_argument("--till", required=True)
    sales = add_report_commands(command)  # sales, gaps, zreports, shifts, returns, tills
    export = command("export", _export, "write the catalog (and a store's cashiers) to a file that seeds a new "
                                        "till with no link (kassa seed FILE)")
    export.add_argument("file")
    export.add_argument("--store", help="the store whose till is seeded: adds its cashiers (their PIN hashes)")
    export.add_argument("--hub-url", help="the hub's address as the tills know it (default: $KASSA_HUB_URL)")
    add_promotion_commands(command)  # set-promotions, promotions, remove-promotion
    add_promo_code_commands(command)
    add_customer_commands(command)  # add-customer, customers, import-customers
    add_loyalty_commands(command)
    add_gift_card_commands(command)
    add_flagged_sales_commands(command, sales)  # sales --flagged, map-product (central/flagged_cli.py)
    add_erp_commands(command)  # erp connect|status|deliver|run (central/erp/erp_cli.py, docs/erp.md)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.database:
        print(f"kassa-hub: no database: pass --database URL or set {DATABASE_VARIABLE}", file=sys.stderr)
        return 2
    try:
        db = open_hub_database(args.database, migrate_schema=True)
    except HubError as error:
        print(f"kassa-hub: {error.detail}", file=sys.stderr)
        return 1
    try:
        args.run(db, args)
    except HubError as error:
        print(f"kassa-hub: {error.detail}", file=sys.stderr)
        return 1
    except sa_exc.OperationalError as error:
        print(f"kassa-hub: {unavailable(db, error).detail}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
