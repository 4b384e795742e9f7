"""``kassa-hub sales --flagged`` and ``kassa-hub map-product FROM TO`` (registered by ``central.cli``).

    kassa-hub sales --flagged [--store S]     the sales held for review: products the hub did not know
    kassa-hub map-product FROM TO             a code the tills sold is the catalog's product TO

A flagged sale is released (it goes to the ERP) once each of its codes is in the catalog (a
catalog import, the ERP's master-data pull) or mapped (central/flagged_sales.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from central.database import HubDatabase
from central.flagged_sales import flagged, map_product

Command = Callable[[HubDatabase, argparse.Namespace], None]


def _flagged_sales(db: HubDatabase, args: argparse.Namespace) -> None:
    held = flagged(db, args.store)
    for sale in held:
        print(sale.describe())
    print(f"{len(held)} flagged sale(s)" + ("" if held else ": nothing to review"))


def _map_product(db: HubDatabase, args: argparse.Namespace) -> None:
    released = map_product(db, args.from_code, args.to_code)
    print(f"product {args.from_code.strip()} is mapped to {args.to_code.strip()}; "
          f"{released} flagged sale(s) released")


def add_flagged_sales_commands(command: Callable[[str, Command, str], argparse.ArgumentParser],
                               sales: argparse.ArgumentParser) -> None:
    """``--flagged`` on the ``sales`` command, and ``map-product``."""
    plain: Any = sales.get_default("run")

    def sales_or_flagged(db: HubDatabase, args: argparse.Namespace) -> None:
        if args.flagged:
            _flagged_sales(db, args)
        else:
            plain(db, args)

    sales.add_argument("--flagged", action="store_true",
                       help="only the sales held for review: sold with a product code the hub does not know")
    sales.set_defaults(run=sales_or_flagged)
    mapping = command("map-product", _map_product, "map a product code the tills sold to a catalog product: "
                                                   "releases the flagged sales it held")
    mapping.add_argument("from_code", metavar="FROM", help="the code as the till sold it")
    mapping.add_argument("to_code", metavar="TO", help="the catalog's product code")
