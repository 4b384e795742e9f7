"""How fast the till finds products in a big catalog, and how fast it is ready to sell.

    python -m benchmarks.catalog_bench [--items 1000000] [--seed 42]

Builds the demo catalog in a temporary folder, then prints: build time, barcode lookup
median and p99 (10,000 random scans through SqlCatalog), search median and p99 (1,000
realistic 1-2 word prefix queries), time to ready-to-sell in a fresh process (open with
the migration check, build SqlCatalog, one lookup; median of 5 runs) and peak memory.
Figures are with a warm OS file cache (the catalog was just written).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from local_db.catalog import SqlCatalog, load_products
from local_db.database import Database, open_database
from pos.demo_catalog import DEMO_VAT_RATES, generate_catalog

LOOKUPS = 10_000
SEARCHES = 1_000
STARTUPS = 5
TARGETS = {"lookup_p99_ms": 1.0, "search_p99_ms": 30.0, "startup_s": 2.0, "memory_mb": 250.0}

READY_TO_SELL = """
import sys, time
started = time.perf_counter()
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from ui.app import make_application
from ui.main_window import MainWindow
from ui.qt import QApplication
from shell.settings import parse_settings
from shell.wiring import build_services
settings = parse_settings(
    '[store]\\nstore_id = "B1"\\nname = "Bench"\\n[database]\\npath = "%s"\\n' % sys.argv[1].replace("\\\\", "/"),
    Path("bench.toml"),
)
services = build_services(settings)
app = make_application([])
window = MainWindow(services)
window.show()
while not (window.started and window.is_idle()):
    app.processEvents()
assert services.till.catalog.by_barcode(sys.argv[2]) is not None
ready = time.perf_counter() - started
services.till.catalog.search("shampoo")
window.shutdown() if hasattr(window, "shutdown") else None
try:
    import resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024
except ImportError:
    rss_mb = float("nan")
hwm_mb = float("nan")  # Linux: the peak of this program alone (getrusage also counts the
try:                   # parent's pages that the fork before exec carried over)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            hwm_mb = int(line.split()[1]) / 1024
except OSError:
    pass
print(ready, rss_mb, hwm_mb)
"""


def peak_memory_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def timed(call: Callable[[str], object], inputs: Sequence[str]) -> list[float]:
    times = []
    for text in inputs:
        started = time.perf_counter()
        call(text)
        times.append(time.perf_counter() - started)
    return sorted(times)


def sample_barcodes(db: Database, count: int, rng: random.Random) -> list[str]:
    with db.lookup() as conn:
        top = conn.exec_driver_sql("SELECT max(product_id) FROM products").scalar_one()
        ids = [rng.randint(1, top) for _ in range(count * 2)]
        codes: list[str] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            codes += conn.exec_driver_sql(
                f"SELECT barcode FROM products WHERE product_id IN ({marks}) AND barcode != ''", tuple(chunk)
            ).scalars().all()
    rng.shuffle(codes)
    return codes[:count]


def realistic_queries(db: Database, count: int, rng: random.Random) -> list[str]:
    """What a cashier types: the first 3-6 letters of one or two words of a real name."""
    with db.lookup() as conn:
        top = conn.exec_driver_sql("SELECT max(product_id) FROM products").scalar_one()
        names = [
            conn.exec_driver_sql("SELECT name FROM products WHERE product_id = ?", (rng.randint(1, top),)).scalar_one()
            for _ in range(count)
        ]
    queries = []
    for name in names:
        words = [w for w in name.split() if len(w) >= 3 and any(ch.isalpha() for ch in w)] or name.split()
        picked = rng.sample(words, min(len(words), rng.choice((1, 2, 2))))
        queries.append(" ".join(w[: rng.randint(3, 6)] for w in picked))
    return queries


def ready_to_sell(path: Path, barcode: str) -> tuple[float, float, float, float]:
    """(wall seconds of a fresh process, seconds inside it until ready, its max RSS in MB
    by getrusage, and by /proc VmHWM)."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", READY_TO_SELL, str(path), barcode],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1],
    )
    wall = time.perf_counter() - started
    inside, rss, hwm = (float(x) for x in out.stdout.split())
    return wall, inside, rss, hwm


def verdict(value: float, target: float) -> str:
    return "ok" if value < target else "MISSED"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    print(f"Catalog benchmark: {args.items:,} products, Python {sys.version.split()[0]}")

    with tempfile.TemporaryDirectory(prefix="kassa-bench-") as folder:
        path = Path(folder) / "till.sqlite3"
        started = time.perf_counter()
        db = open_database(path)
        load_products(db, generate_catalog(args.items, seed=args.seed), DEMO_VAT_RATES)
        build = time.perf_counter() - started
        print(f"  build (generate + load + search index): {build:8.1f} s   file {path.stat().st_size / 2**20:,.0f} MB")

        catalog = SqlCatalog(db)
        barcodes = sample_barcodes(db, LOOKUPS, rng)
        for code in barcodes[:200]:  # warm the pool and the statement cache
            catalog.by_barcode(code)
        lookups = timed(catalog.by_barcode, barcodes)
        lookup_p99 = percentile(lookups, 0.99) * 1000
        print(
            f"  barcode lookup ({len(lookups):,}): median {statistics.median(lookups) * 1000:6.3f} ms"
            f"   p99 {lookup_p99:6.3f} ms   (target p99 < {TARGETS['lookup_p99_ms']:g} ms: {verdict(lookup_p99, TARGETS['lookup_p99_ms'])})"
        )

        queries = realistic_queries(db, SEARCHES, rng)
        searches = timed(catalog.search, queries)
        search_p99 = percentile(searches, 0.99) * 1000
        print(
            f"  name search ({len(searches):,}):     median {statistics.median(searches) * 1000:6.3f} ms"
            f"   p99 {search_p99:6.3f} ms   (target p99 < {TARGETS['search_p99_ms']:g} ms: {verdict(search_p99, TARGETS['search_p99_ms'])})"
        )
        print(f"    e.g. {', '.join(repr(q) for q in queries[:6])}")
        db.close()

        runs = [ready_to_sell(path, barcodes[n]) for n in range(STARTUPS)]
        wall = statistics.median(r[0] for r in runs)
        inside = statistics.median(r[1] for r in runs)
        child_rss = max(r[2] for r in runs)
        child_hwm = max(r[3] for r in runs)
        print(
            f"  ready to sell: window shown on the database, fresh process (median of {STARTUPS}): {wall:6.3f} s wall, {inside:6.3f} s after "
            f"interpreter start   (target < {TARGETS['startup_s']:g} s: {verdict(wall, TARGETS['startup_s'])})"
        )
        print(
            f"  peak memory, till process: {child_rss:6.1f} MB by getrusage, {child_hwm:6.1f} MB by VmHWM"
            f"   (target < {TARGETS['memory_mb']:g} MB: {verdict(child_rss, TARGETS['memory_mb'])})"
        )
        print(f"  peak memory, this benchmark process (generating and loading): {peak_memory_mb():6.1f} MB")


if __name__ == "__main__":
    main()
