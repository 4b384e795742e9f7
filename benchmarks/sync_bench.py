"""Till-side sync figures (prints them; not a test), against a real hub process on loopback:

* replay: 10,000 sales queued in the till's outbox (recorded offline) pushed by the till's
  SalePusher in batches of 500: sales per second (target >= 1,000/s);
* initial pull: a catalog of N items (default 1,000,000) pulled into an empty till
  (fetch, stage, the new catalog built beside the empty one and swapped in): seconds
  (target < 60 s), and beside it the time of a plain executemany of the same product rows
  into SQLite; meanwhile a sale is recorded every 100 ms: how long they took;
* delta: 10,000 price changes pulled and applied: seconds (target < 2 s), apply alone;
* a recorded sale reaching the hub with the worker running: milliseconds (target < 2 s).

On SQLite always, and on PostgreSQL when KASSA_TEST_PG_URL is set (fresh schema, dropped).
Run: .venv/bin/python -m benchmarks.sync_bench [--items N] [--sales N]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx

from benchmarks.hub_bench import drop_schema, fresh_schema_url, write_catalog_csv
from central.catalog_files import read_catalog_file, rows_from_products
from central.catalog_import import import_catalog
from central.database import open_hub_database
from central.enrolment import make_enrolment_code
from central.stores import TillIdentity, add_store
from local_db.database import open_database
from local_db.journal import SqlJournal
from pos.demo_catalog import generate_catalog
from pos.money import Money
from sync.credentials import FileStore
from sync.enrolment import enrol_till
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from sync.worker import SyncWorker
from tests.central.hub_process import running_hub
from tests.central.shop import Shop, make_sales

STORE, TILL = "UA-KYIV-014", "T01"


def enrolled(folder: Path, hub_db, base: str, name: str, page_size: int = 5000) -> TillSync:  # noqa: ANN001
    db = open_database(folder / name / "till.sqlite3")
    code = make_enrolment_code(hub_db, TillIdentity(STORE, TILL))
    with HubClient(base) as client:
        enrolment = enrol_till(db, client, code, FileStore(folder / name), store_id=STORE, till_id=TILL)
    config = SyncConfig(base, push_batch_size=500, pull_page_size=page_size, push_interval_seconds=5)
    return TillSync(db, HubClient(base, enrolment.credential, timeout=60), config)


def replay(url: str, folder: Path, count: int) -> tuple[float, float]:
    hub_db = open_hub_database(url, migrate_schema=True)
    try:
        with running_hub(url) as base, httpx.Client(base_url=base) as http:
            Shop.set_up(hub_db, http)
            sync = enrolled(folder, hub_db, base, "replay")
            journal = SqlJournal(sync.db, TILL)
            for sale in make_sales(count, TillIdentity(STORE, TILL)):
                journal.record_sale(replace(sale, receipt_number=0))
            started = time.perf_counter()
            outcome = sync.push()
            seconds = time.perf_counter() - started
            assert outcome.error is None and outcome.acknowledged == count, outcome
            latency = one_sale_latency(sync, journal, hub_db)
            return count / seconds, latency
    finally:
        hub_db.close()


def one_sale_latency(sync: TillSync, journal: SqlJournal, hub_db) -> float:  # noqa: ANN001
    from sqlalchemy import func, select

    from central.tables import sales

    def at_hub() -> int:
        with hub_db.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(sales)).scalar_one())

    worker = SyncWorker(sync).start()
    try:
        time.sleep(1.0)  # let the worker's first round (and pull) finish
        before = at_hub()
        sale = make_sales(1, TillIdentity(STORE, TILL))[0]
        started = time.perf_counter()
        journal.record_sale(replace(sale, receipt_number=0))
        worker.wake()
        while at_hub() == before:
            time.sleep(0.002)
        return time.perf_counter() - started
    finally:
        worker.stop()


def pulls(url: str, folder: Path, items: int) -> None:
    hub_db = open_hub_database(url, migrate_schema=True)
    try:
        add_store(hub_db, STORE, "Bench")
        catalog = folder / "catalog.csv"
        if not catalog.exists():
            write_catalog_csv(catalog, items)
        imported = import_catalog(hub_db, read_catalog_file(catalog))
        print(f"  hub import of {items:,} items: {imported.seconds:.1f} s")
        with running_hub(url) as base:
            sync = enrolled(folder, hub_db, base, f"pull-{time.monotonic_ns()}")
            with selling_meanwhile(sync) as waits:
                started = time.perf_counter()
                outcome = sync.pull()
                pull_seconds = time.perf_counter() - started
            assert not isinstance(outcome, Exception), outcome
            assert outcome.applied is not None
            plain = plain_executemany(sync, folder)
            print(f"  initial pull of {items:,} items: {pull_seconds:.1f} s (target < 60 s; apply {outcome.applied.seconds:.1f} s, "
                  f"{outcome.pages} pages); plain executemany of the same {items:,} product rows: {plain:.1f} s "
                  f"(ratio {pull_seconds / plain:.1f}x)")
            print(f"  {len(waits)} sales recorded during that pull: median {statistics.median(waits) * 1000:.0f} ms, "
                  f"slowest {max(waits) * 1000:.0f} ms (a sale fails after the 3,000 ms busy timeout)")

            changed = [replace(p, price=Money(p.price.amount + 1, p.price.currency))
                       for p in generate_catalog(min(10_000, items), seed=42)]
            import_catalog(hub_db, rows_from_products(changed))
            started = time.perf_counter()
            delta = sync.pull()
            seconds = time.perf_counter() - started
            assert not isinstance(delta, Exception) and delta.applied is not None
            print(f"  delta of {len(changed):,} price changes: {seconds:.2f} s pulled and applied "
                  f"(target < 2 s; apply alone {delta.applied.seconds:.2f} s; items {delta.items})")
    finally:
        hub_db.close()


@contextmanager
def selling_meanwhile(sync: TillSync) -> Iterator[list[float]]:
    """Record a sale every 100 ms on the till's database while the body runs (a till selling far
    faster than any cashier can, so the pull shares the file with many writes): how long each took."""
    journal = SqlJournal(sync.db, TILL)
    waits: list[float] = []
    stop = threading.Event()

    def sell() -> None:
        for sale in make_sales(2_000, TillIdentity(STORE, TILL)):  # 200 s of selling at most
            if stop.wait(0.1):
                return
            started = time.perf_counter()
            journal.record_sale(replace(sale, receipt_number=0))
            waits.append(time.perf_counter() - started)

    seller = threading.Thread(target=sell, name="seller")
    seller.start()
    try:
        yield waits
    finally:
        stop.set()
        seller.join()


def plain_executemany(sync: TillSync, folder: Path) -> float:
    with sync.db.lookup() as conn:
        rows = conn.exec_driver_sql(
            "SELECT code, name, brand, category, price_minor, currency, vat_code, barcode, sold_by_weight FROM products"
        ).fetchall()
    path = folder / f"plain-{time.monotonic_ns()}.sqlite3"
    plain = sqlite3.connect(path)
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("CREATE TABLE products (code TEXT PRIMARY KEY, name TEXT, brand TEXT, category TEXT, price_minor "
                  "INTEGER, currency TEXT, vat_code TEXT, barcode TEXT, sold_by_weight INTEGER)")
    started = time.perf_counter()
    with plain:
        plain.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [tuple(r) for r in rows])
    seconds = time.perf_counter() - started
    plain.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--sales", type=int, default=10_000)
    args = parser.parse_args()
    pg_base = os.environ.get("KASSA_TEST_PG_URL")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        backends = [("SQLite", lambda name: (None, f"sqlite:///{folder / (name + '.sqlite3')}"))]
        if pg_base:
            backends.append(("PostgreSQL", lambda _name: fresh_schema_url(pg_base)))
        else:
            print("PostgreSQL: skipped (KASSA_TEST_PG_URL is not set)")
        for name, make_url in backends:
            print(f"{name} hub:")
            schema, url = make_url("replay")
            try:
                rate, latency = replay(url, folder, args.sales)
            finally:
                if schema:
                    drop_schema(pg_base or "", schema)
            print(f"  replay of {args.sales:,} queued sales: {rate:,.0f} sales/s (target >= 1,000/s)")
            print(f"  a recorded sale at the hub, worker running: {latency * 1000:.0f} ms (target < 2,000 ms)")
            schema, url = make_url("catalog")
            try:
                pulls(url, folder, args.items)
            finally:
                if schema:
                    drop_schema(pg_base or "", schema)


if __name__ == "__main__":
    main()
