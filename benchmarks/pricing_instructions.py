"""Machine instructions per reprice, the mixed shape of ``benchmarks.pricing_bench``, counted
by valgrind's callgrind: a count the machine's load does not change, and closer to the time
than ``benchmarks.pricing_bytecodes`` (what a built-in does in C counts too, so a change that
trades Python steps for C calls is judged by what it really costs).

    python -m benchmarks.pricing_instructions [--baskets 10] [--seed 7] [--save counts.json]

Needs valgrind (``apt-get install valgrind``), a development tool the project's setup does
not install.  Runs itself under callgrind (about 50 times slower: 3 to 4 minutes for 10
baskets) with a counter dump before each call to ``getppid``, which it calls after each
reprice: each dump is one reprice's instructions.  Hash randomisation is off, so two runs of
the same code give the same counts.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.pricing_bench import CONTEXT, CURRENCY, LINES, catalog, counts_line, mixed_promotions, scans

ROOT = Path(__file__).resolve().parent.parent


def reprice_all(baskets: int, seed: int) -> None:
    """The reprices after each scan of ``baskets`` baskets, a ``getppid`` call after each (and
    one before the first, and one after each basket's garbage collection)."""
    from pos.pricing.engine import price_basket
    rng = random.Random(seed)  # the same baskets as the timing benchmark's
    made = []
    for _ in range(baskets):
        products = catalog(rng)
        made.append((scans(products, rng), mixed_promotions(products)))
    gc.disable()  # as the till runs
    os.getppid()
    for lines, promotions in made:
        for n in range(1, len(lines) + 1):
            price_basket(lines[:n], promotions, CONTEXT, CURRENCY)
            os.getppid()
        gc.collect()
        os.getppid()


def counted(folder: Path, baskets: int) -> list[int]:
    """Each reprice's instructions, from the dumps in ``folder``."""
    dumps = sorted(folder.glob("cg.out.*"), key=lambda path: int(path.suffix[1:]))
    totals = []
    for dump in dumps:
        for line in dump.read_text().splitlines():
            if line.startswith(("totals:", "summary:")):
                totals.append(int(line.split()[1]))
                break
    per_basket = LINES + 1  # the reprices, then the collection
    reprices = []
    for b in range(baskets):
        first = 1 + b * per_basket  # dump 0: the start, up to the first getppid
        reprices += totals[first:first + LINES]
    return reprices


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baskets", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--save", type=Path, help="also write each reprice's count to this file (JSON)")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        reprice_all(args.baskets, args.seed)
        return 0
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind is not installed (apt-get install valgrind): nothing counted", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "cg.out"
        subprocess.run([valgrind, "--tool=callgrind", "--dump-before=getppid", f"--callgrind-out-file={out}",
                        sys.executable, "-m", "benchmarks.pricing_instructions", "--inner",
                        "--baskets", str(args.baskets), "--seed", str(args.seed)],
                       cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"}, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        counts = counted(Path(folder), args.baskets)
    print(counts_line("instructions", counts, 1e6, "million", 2))
    if args.save:
        args.save.write_text(json.dumps(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
