"""The ERP side of benchmarks/hub_load.py (``--erp``): a real trytond on a copy of the tests' template
(tests/erp: the test shop's products, points of sale for three stores), ``kassa-hub erp run`` workers
delivering from the hub's queue while the tills push, then: how long the queue takes to drain, the
seconds from each sale's push to its delivery (p50/p99), and a check that Tryton holds each sale once."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from central.database import HubDatabase
from central.erp.outbox import erp_outbox
from central.erp.tryton import TrytonConnector
from central.erp.tryton_settings import PASSWORD_VARIABLE, TrytonSettings
from tests.erp.tryton_server import TrytonDatabase, TrytonServer, template_folder

TRYTON_STORES = ("UA-KYIV-014", "UA-LVIV-002", "S001")
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def delivering(hub_url: str, workers: int) -> Iterator[TrytonDatabase]:
    """A trytond on a fresh copy of the template and ``workers`` delivery processes on the hub."""
    folder = Path(tempfile.mkdtemp(prefix="kassa-load-tryton-"))
    server = TrytonServer(folder, template_folder())
    server.start()
    database = server.database
    environ = dict(os.environ, KASSA_ERP_URL=database.url, KASSA_ERP_DATABASE=database.name,
                   KASSA_ERP_USER=database.login, KASSA_ERP_PASSWORD=database.password)
    processes = [subprocess.Popen([sys.executable, "-m", "central.cli", "erp", "run", "--database", hub_url,
                                   "--idle", "0.5"], cwd=ROOT, env=environ, stdin=subprocess.DEVNULL,
                                  stdout=(folder / f"worker-{n}.log").open("wb"), stderr=subprocess.STDOUT)
                 for n in range(workers)]
    try:
        yield database
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        server.stop()


def report(db: HubDatabase, tryton: TrytonDatabase, pushed: dict[str, float], timeout: float) -> bool:
    """Waits for the queue to drain, prints the figures; True when each sale is in Tryton once."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with db.engine.connect() as conn:
            waiting = conn.execute(select(func.count()).select_from(erp_outbox)
                                   .where(erp_outbox.c.state != "delivered")).scalar_one()
        if waiting == 0:
            break
        time.sleep(2)
    drained = time.monotonic() - started
    with db.engine.connect() as conn:
        rows = conn.execute(select(erp_outbox.c.document_id, erp_outbox.c.state, erp_outbox.c.delivered_at,
                                   erp_outbox.c.last_error).where(erp_outbox.c.kind == "sale")).all()
    delivered = {r.document_id: r.delivered_at for r in rows if r.state == "delivered"}
    lags = [_epoch(delivered[s]) - at for s, at in pushed.items() if s in delivered]
    print(f"ERP: {len(delivered)} of {len(pushed)} sales delivered to Tryton; the queue drained "
          f"{drained:.0f} s after the last push")
    if lags:
        ordered = sorted(lags)
        print(f"ERP: seconds from a till's push to Tryton: p50 {statistics.median(lags):.1f}, "
              f"p99 {ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]:.1f}, max {max(lags):.1f}")
    for r in [r for r in rows if r.state != "delivered"][:5]:
        print(f"  not delivered: {r.document_id} {r.state} {r.last_error}")
    settings = TrytonSettings(tryton.url, tryton.name, tryton.login, environ={PASSWORD_VARIABLE: tryton.password},
                              timeout=120)
    erp = TrytonConnector(settings)
    try:
        found = erp.call("sale.point.sale", "search_read", [("kassa_reference", "in", sorted(pushed))], 0, None,
                         None, ["kassa_reference"])
    finally:
        erp.close()
    references = [f["kassa_reference"] for f in found]
    once = len(references) == len(set(references)) == len(pushed)
    print(f"ERP: Tryton holds {len(set(references))} of {len(pushed)} sales, "
          f"{'each exactly once' if once else 'NOT each once'}")
    return once


def _epoch(at: datetime) -> float:
    return at.timestamp()
