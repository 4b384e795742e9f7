"""``kassa seed FILE [--config PATH | --demo]``: load a catalog export file (``kassa-hub
export``, carried on a USB stick) into a till with no link, as if it had pulled it; the
till's next pull brings only what changed since the export (sync/seed.py).

It writes the catalog, so it takes the one-till lock: it is refused while the till runs.
A refusal (another store's file, another hub's, a damaged or cut-short file, a newer
format, an export older than the till's catalog) is one line and exit status 2; the till's
catalog is then as it was.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shell.command_args import demo_arguments, settings_of

ONE_LINE_ON_FAILURE = ("seed",)


def cmd_seed(args: argparse.Namespace) -> int:
    from shell.till import open_till
    from sync.seed import seed_till

    settings = settings_of(args.config, demo=args.demo, demo_dir=args.data_dir)
    hub_url = settings.sync.hub_url if settings.sync is not None else None
    with open_till(settings, writes=True) as till:
        seeded = seed_till(till.db, args.file, store_id=settings.store.store_id, hub_url=hub_url)
    print(seeded.describe())
    return 0


COMMANDS = {"seed": cmd_seed}


def add_arguments(sub: argparse._SubParsersAction) -> None:
    seed = sub.add_parser("seed", help="load a catalog export file (kassa-hub export) into a till with no link")
    seed.add_argument("file", type=Path, help="the file made by kassa-hub export (e.g. on a USB stick)")
    seed.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")
    demo_arguments(seed, "seed the demo till")
