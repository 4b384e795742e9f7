"""Python bytecodes executed per reprice, the mixed shape of ``benchmarks.pricing_bench``: a
count the machine's load does not change, to compare two versions of the pricing code where
the CPU time moves by a third from run to run (docs/promotions.md, "The best-deal search").

    python -m benchmarks.pricing_bytecodes [--baskets 10] [--seed 7]

Each reprice runs under ``sys.settrace`` with opcode events (about 40 times slower than
without), so the figures are bytecodes, not milliseconds: the median, p99 and maximum over
the reprices after each scan of baskets built to 100 lines, as the timing benchmark does.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
from types import FrameType
from typing import Any

from benchmarks.pricing_bench import CONTEXT, CURRENCY, catalog, counts_line, mixed_promotions, scans
from pos.pricing.engine import price_basket


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baskets", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    executed = [0]

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:  # noqa: ANN401
        frame.f_trace_opcodes = True
        frame.f_trace_lines = False
        if event == "opcode":
            executed[0] += 1
        return tracer

    rng = random.Random(args.seed)  # the same baskets as the timing benchmark's
    counts: list[int] = []
    gc.disable()  # as the till runs
    try:
        for _ in range(args.baskets):
            products = catalog(rng)
            lines, promotions = scans(products, rng), mixed_promotions(products)
            for n in range(1, len(lines) + 1):
                executed[0] = 0
                sys.settrace(tracer)
                try:
                    price_basket(lines[:n], promotions, CONTEXT, CURRENCY)
                finally:
                    sys.settrace(None)
                counts.append(executed[0])
            gc.collect()
    finally:
        gc.enable()
    print(counts_line("bytecodes", counts, 1e3, "thousand", 0))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
