"""The hub at chain scale (prints figures; not a test): a small asyncio client (httpx) simulates
``--tills`` tills of ``--stores`` stores on loopback, each pushing its sales one by one as it makes
them, at a busy shop's peak rate (Poisson arrivals, ``--rate`` sales per till per minute), pulling
its deltas every ``--pull-every`` seconds and sending a heartbeat each minute, against ``--hubs``
hub processes (``kassa-hub serve``) on one PostgreSQL, each till talking to one of them as a load
balancer would spread them.

It prints requests per second, p50/p99/max latency per endpoint, the errors, and checks at the end
that the hub holds every sale exactly once.  With ``--erp`` the hub's ERP connector delivers to a
real Tryton on loopback meanwhile, and it prints the seconds from a till's push to the sale's
delivery in Tryton (p50/p99) and checks each sale is in Tryton once (docs/deployment-hub.md).

    KASSA_TEST_PG_URL=postgresql+psycopg://... .venv/bin/python -m benchmarks.hub_load \\
        [--tills 300] [--stores 70] [--hubs 2] [--seconds 60] [--rate 2] [--pull-every 30] [--erp]

The client, the hubs and PostgreSQL share this machine's cores: the figures are the whole
system's on one box, a lower bound on what the hub does on its own server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field, replace

import httpx
from sqlalchemy import func, select

from benchmarks import erp_load
from benchmarks.hub_bench import drop_schema, fresh_schema_url
from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.database import open_hub_database
from central.enrolment import make_enrolment_code
from central.stores import TillIdentity, add_store
from central.tables import sales as sales_table
from pos.codec import sale_to_dict
from pos.sale import Sale
from tests.central.hub_process import hub_process
from tests.central.shop import make_sales
from tests.fakes import DEMO_PRODUCTS

PULLED = ("prices", "barcodes", "products", "promotions", "policies")
TEMPLATE_SALES = 60


@dataclass
class Figures:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    pushed: dict[str, float] = field(default_factory=dict)  # sale id -> wall time (epoch) of its accepted push

    def record(self, endpoint: str, seconds: float, problem: str | None = None) -> None:
        self.latencies[endpoint].append(seconds)
        if problem is not None:
            self.errors[endpoint].append(problem)


@dataclass
class Till:
    identity: TillIdentity
    credential: str
    hub: str
    sales: list[Sale]
    cursors: dict[str, str] = field(default_factory=lambda: {name: "0" for name in PULLED})

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential}"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def sales_for(till: TillIdentity, template: list[Sale], count: int) -> list[Sale]:
    """``count`` sales of this till: the template's baskets with new ids, numbered from 1."""
    made = []
    for n in range(count):
        sale = template[n % len(template)]
        lines = tuple(replace(line, line_id=uuid.uuid4()) for line in sale.lines)
        payments = tuple(replace(p, payment_id=uuid.uuid4()) for p in sale.payments)
        made.append(replace(sale, sale_id=uuid.uuid4(), store_id=till.store_id, till_id=till.till_id,
                            receipt_number=n + 1, lines=lines, payments=payments))
    return made


async def run_till(client: httpx.AsyncClient, till: Till, figures: Figures, ends: float, rate_per_second: float,
                   pull_every: float, rng: random.Random) -> None:
    next_pull = time.monotonic() + rng.uniform(0, pull_every)
    next_heartbeat = time.monotonic() + rng.uniform(0, 60)
    next_sale = time.monotonic() + rng.expovariate(rate_per_second)
    queue = list(till.sales)
    while True:
        now = time.monotonic()
        wake = min(next_sale, next_pull, next_heartbeat)
        if wake >= ends:
            return
        await asyncio.sleep(max(0.0, wake - now))
        if wake == next_sale and queue:
            sale = queue.pop(0)
            body = {"sales": [{"seq": sale.receipt_number, "sale": sale_to_dict(sale)}]}
            await call(client, figures, "POST /v1/sales/batch", "POST", f"{till.hub}/v1/sales/batch", till,
                       json=body, accepted=lambda a: a["results"][0]["status"] in ("accepted", "duplicate"))
            figures.pushed[str(sale.sale_id)] = time.time()
            next_sale += rng.expovariate(rate_per_second)
        elif wake == next_sale:
            next_sale = ends
        elif wake == next_pull:
            for name in PULLED:
                answer = await call(client, figures, "GET /v1/datasets/{name}", "GET",
                                    f"{till.hub}/v1/datasets/{name}", till,
                                    params={"after": till.cursors[name], "limit": 1000})
                if answer is not None:
                    till.cursors[name] = str(answer["cursor"])
            next_pull += pull_every
        else:
            await call(client, figures, "POST /v1/heartbeat", "POST", f"{till.hub}/v1/heartbeat", till,
                       json={"queue_length": len(queue), "oldest_unsent_seconds": None,
                             "app_version": "load", "till_time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00",
                                                                               time.gmtime())})
            next_heartbeat += 60


async def call(client: httpx.AsyncClient, figures: Figures, endpoint: str, method: str, url: str, till: Till,
               accepted=None, **kw):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        response = await client.request(method, url, headers=till.auth, **kw)
    except httpx.HTTPError as error:
        figures.record(endpoint, time.perf_counter() - started, f"{type(error).__name__}: {error}")
        return None
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        figures.record(endpoint, seconds, f"{response.status_code} {response.text[:200]}")
        return None
    answer = response.json()
    if accepted is not None and not accepted(answer):
        figures.record(endpoint, seconds, f"not accepted: {str(answer)[:200]}")
        return None
    figures.record(endpoint, seconds)
    return answer


async def drive(tills: list[Till], seconds: float, rate_per_minute: float, pull_every: float) -> tuple[Figures, float]:
    figures = Figures()
    limits = httpx.Limits(max_connections=len(tills) + 10, max_keepalive_connections=len(tills) + 10)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.monotonic()
        ends = started + seconds
        rng = random.Random(42)
        await asyncio.gather(*(run_till(client, till, figures, ends, rate_per_minute / 60, pull_every,
                                        random.Random(rng.random())) for till in tills))
        return figures, time.monotonic() - started


def print_figures(figures: Figures, elapsed: float) -> None:
    print(f"{'endpoint':34} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    total = 0
    for endpoint, values in sorted(figures.latencies.items()):
        total += len(values)
        print(f"{endpoint:34} {len(values):8d} {len(values) / elapsed:7.1f} {statistics.median(values) * 1000:8.1f} "
              f"{percentile(values, 0.99) * 1000:8.1f} {max(values) * 1000:8.1f} {len(figures.errors[endpoint]):6d}")
    print(f"{'all':34} {total:8d} {total / elapsed:7.1f}")
    for endpoint, problems in figures.errors.items():
        for problem in problems[:5]:
            print(f"  error at {endpoint}: {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tills", type=int, default=300)
    parser.add_argument("--stores", type=int, default=70)
    parser.add_argument("--hubs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=2.0, help="sales per till per minute at the peak")
    parser.add_argument("--pull-every", type=float, default=30.0)
    parser.add_argument("--database", default=os.environ.get("KASSA_TEST_PG_URL", ""))
    parser.add_argument("--erp", action="store_true", help="deliver to a real Tryton meanwhile (tests/erp's template)")
    parser.add_argument("--erp-workers", type=int, default=2, help="kassa-hub erp run processes")
    parser.add_argument("--drain-timeout", type=float, default=1800, help="seconds to wait for the ERP queue")
    args = parser.parse_args(argv)
    if not args.database.startswith("postgresql"):
        print("hub_load needs PostgreSQL: --database or KASSA_TEST_PG_URL (bash .ci/postgres.sh | tail -1)",
              file=sys.stderr)
        return 2
    schema, url = fresh_schema_url(args.database)
    db = open_hub_database(url, migrate_schema=True)
    try:
        # with --erp the tills belong to the stores Tryton's test books have points of sale for
        stores = list(erp_load.TRYTON_STORES) if args.erp else [f"UA-{n:03d}" for n in range(1, args.stores + 1)]
        for store in stores:
            add_store(db, store, f"Store {store}")
        import_catalog(db, rows_from_products(DEMO_PRODUCTS))
        template = make_sales(TEMPLATE_SALES, TillIdentity(stores[0], "T00"))
        per_till = int(args.seconds / 60 * args.rate * 3) + 5  # enough for any Poisson run of this length
        with ExitStack() as stack:
            hubs = [stack.enter_context(hub_process(url)).url for _ in range(args.hubs)]
            tryton = stack.enter_context(erp_load.delivering(url, args.erp_workers)) if args.erp else None
            tills = []
            with httpx.Client(timeout=30) as http:
                for n in range(args.tills):
                    identity = TillIdentity(stores[n % len(stores)], f"T{n // len(stores) + 1:02d}")
                    code = make_enrolment_code(db, identity)
                    hub = hubs[n % len(hubs)]
                    answer = http.post(f"{hub}/v1/enrolments", json={"code": code, "device": f"load-{n}"})
                    answer.raise_for_status()
                    tills.append(Till(identity, answer.json()["credential"], hub,
                                      sales_for(identity, template, per_till)))
            print(f"{args.tills} tills of {len(stores)} stores, {args.hubs} hub processes on PostgreSQL, "
                  f"{args.rate} sales per till per minute, pulls every {args.pull_every:g} s, {args.seconds:g} s")
            figures, elapsed = asyncio.run(drive(tills, args.seconds, args.rate, args.pull_every))
            print_figures(figures, elapsed)
            erp_ok = True
            if tryton is not None:
                erp_ok = erp_load.report(db, tryton, figures.pushed, args.drain_timeout)
        with db.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(sales_table)).scalar_one()
        pushed = len(figures.pushed)
        print(f"sales pushed {pushed}, stored at the hub {stored}: "
              f"{'each exactly once' if stored == pushed else 'MISMATCH'}")
        return 0 if stored == pushed and erp_ok and not any(figures.errors.values()) else 1
    finally:
        db.close()
        drop_schema(args.database, schema)


if __name__ == "__main__":
    sys.exit(main())
