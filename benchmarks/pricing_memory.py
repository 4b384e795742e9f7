"""How much memory the pricing step's remembered work holds as a till sells all day.

    python -m benchmarks.pricing_memory [--sales 60] [--pull-every 20] [--seed 7]

The search remembers work across reprices in module caches (docs/promotions.md, "The
best-deal search"): groups' answers and priced lines, unit deals' answers, the harmless
proof's nets, lines made ready, the last reprices' totals.  Each is bounded (or dies with its
basket), and this prints what they come to together: one till, the benchmark's 50 mixed
promotions and its luxury cap, sales of 100 scans each (a reprice after each scan, the till's
way: automatic garbage collection off, collected between sales), and every ``--pull-every``
sales a new pull of the same promotions (new objects: what the remembered work was keyed by
is gone, as after a real pull).

Printed after some of the sales: the Python memory still held (``tracemalloc``, after a
collection, less what was held before the first sale), the process's resident size, and how
many entries the largest caches hold.  The figure to watch is that the held memory levels off.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import tracemalloc
import uuid
from decimal import Decimal

from benchmarks.pricing_bench import CONTEXT, CURRENCY, LINES, catalog, mixed_promotions
from pos.basket import BasketLine


def _caches() -> dict[str, int]:
    """The entries of the pricing step's largest module caches."""
    from pos.pricing import line_groups, priced_groups, scoring, unit_deals
    return {"group answers": len(line_groups._ANSWERS), "priced groups": len(priced_groups.PRICED),
            "unit deals": len(unit_deals._ANSWERS), "harmless nets": len(scoring._LOWEST),
            "lines made ready": len(line_groups._READY)}


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=60)
    parser.add_argument("--pull-every", type=int, default=20, help="a new pull of the promotions after this many sales")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from pos.pricing.engine import price_basket
    rng = random.Random(args.seed)
    products = catalog(rng)
    gc.collect()
    tracemalloc.start()
    held_before = tracemalloc.get_traced_memory()[0]
    promotions = mixed_promotions(products)
    checkpoints = {1, 5, 10, 20, 40, 60, 100, 200, args.sales}
    print(f"{args.sales} sales of {LINES} scans, 50 promotions, a new pull every {args.pull_every} sales")
    print(f"{'sales':>6} {'held MB':>8} {'resident MB':>12}  cache entries")
    gc.disable()
    for sale in range(1, args.sales + 1):
        if sale > 1 and (sale - 1) % args.pull_every == 0:
            promotions = mixed_promotions(products)  # a new pull: the same definitions, new objects
        order = rng.sample(products, LINES)
        lines = [BasketLine(uuid.UUID(int=rng.getrandbits(128)), p, Decimal(rng.choice([1, 1, 1, 2, 3, 4])))
                 for p in order]
        for n in range(1, len(lines) + 1):
            price_basket(lines[:n], promotions, CONTEXT, CURRENCY)
        del lines
        gc.collect()
        if sale in checkpoints:
            held = (tracemalloc.get_traced_memory()[0] - held_before) / 2**20
            entries = ", ".join(f"{name} {count}" for name, count in _caches().items())
            print(f"{sale:>6} {held:>8.1f} {_resident_mb():>12.1f}  {entries}", flush=True)
    gc.enable()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
