"""``kassa-hub set-promotions``, ``promotions`` and ``remove-promotion`` (registered by ``central.cli``).

    kassa-hub set-promotions FILE.json [--full]   (a JSON list of kassa.promotion.v1 definitions)
    kassa-hub promotions [--removed] [--json]
    kassa-hub remove-promotion ID

``set-promotions`` checks every definition first (central/promotions.py): any problem, and
each is printed on its own line (naming the promotion and the field), the command exits 1
and nothing changes.  ``--full``: the file is the whole set; stored promotions it lacks are
removed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from central.database import HubDatabase
from central.errors import AdminProblem
from central.promotions import BadPromotions, listed_promotions, remove_promotion, set_promotions


def read_file(name: str) -> Any:
    """The JSON in file ``name``, or AdminProblem saying why not."""
    try:
        return json.loads(Path(name).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise AdminProblem(f"cannot read {name}: it is not UTF-8 text") from None
    except OSError as error:
        raise AdminProblem(f"cannot read {name}: {error.strerror or error}") from None
    except (ValueError, RecursionError) as error:
        raise AdminProblem(f"{name} is not JSON: {error}") from None


def _set_promotions(db: HubDatabase, args: argparse.Namespace) -> None:
    items = read_file(args.file)
    try:
        saved = set_promotions(db, items, full=args.full)
    except BadPromotions as refused:
        for problem in refused.problems:
            print(f"kassa-hub: {problem}", file=sys.stderr)
        raise AdminProblem(f"{len(refused.problems)} problem(s) in {args.file}: nothing changed") from None
    for line in saved.describe():
        print(line)


def _promotions(db: HubDatabase, args: argparse.Namespace) -> None:
    listed = listed_promotions(db, removed=args.removed)
    if args.json:
        print(json.dumps([{"id": p.promotion_id, "version": p.version, "deleted": p.deleted,
                           "definition": p.definition} for p in listed], ensure_ascii=False, indent=2))
        return
    for promotion in listed:
        print(promotion.describe())
    print(f"{len(listed)} promotion(s)")


def _remove_promotion(db: HubDatabase, args: argparse.Namespace) -> None:
    print(remove_promotion(db, args.id))


def add_promotion_commands(command: Callable[[str, Any, str], argparse.ArgumentParser]) -> None:
    setting = command("set-promotions", _set_promotions, "check and store promotion definitions from a JSON list "
                                                         "(kassa.promotion.v1; all or nothing)")
    setting.add_argument("file")
    setting.add_argument("--full", action="store_true",
                         help="the file is the whole set: remove the stored promotions it lacks")
    listing = command("promotions", _promotions, "list the promotions the tills get")
    listing.add_argument("--removed", action="store_true", help="the removed ones too")
    listing.add_argument("--json", action="store_true", help="every definition in full, as JSON")
    removing = command("remove-promotion", _remove_promotion, "remove a promotion: the tills drop it at their "
                                                              "next pull")
    removing.add_argument("id")
