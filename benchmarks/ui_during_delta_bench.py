"""How the cashier's window fares while a delta of 10,000 price changes (or, with --big,
a change to every price, built beside the live catalog and swapped in) is pulled from a
real hub and applied, while the cashier keeps scanning and selling (prints figures; not a test).

The window runs offscreen with its real workers; a 5 ms timer on the UI thread records the
gaps between its ticks while the sync worker pulls and applies.  Meanwhile a scan is made
every 200 ms and every fifth is followed by a cash payment.  Prints the pull time, the
median and largest gap (target: the UI never stalls noticeably, say < 100 ms), how long
the scans and sales took to show, and whether the basket kept the prices it was scanned at.
Run: .venv/bin/python -m benchmarks.ui_during_delta_bench [--items N] [--big]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.sync_bench import STORE as STORE_ID, TILL, enrolled  # noqa: E402
from central.catalog_files import rows_from_products  # noqa: E402
from central.catalog_import import import_catalog  # noqa: E402
from central.database import open_hub_database  # noqa: E402
from central.stores import add_store  # noqa: E402
from local_db.catalog import SqlCatalog  # noqa: E402
from local_db.journal import SqlJournal  # noqa: E402
from pos.demo_catalog import generate_catalog  # noqa: E402
from pos.money import Money  # noqa: E402
from pos.printing import ReceiptSpooler  # noqa: E402
from pos.receipt import StoreInfo  # noqa: E402
from pos.till import Till, TillSettings  # noqa: E402
from sync.worker import SyncWorker  # noqa: E402
from tests.central.hub_process import running_hub  # noqa: E402
from tests.fakes import MemoryCashiers, RecordingPrinter  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.qt import QApplication, QTimer, qconnect  # noqa: E402
from ui.services import TillServices  # noqa: E402

SHOP = StoreInfo(STORE_ID, "Bench", "", "", TILL, "UAH", "uk_UA")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


def spin_until(condition, timeout: float = 120.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        QApplication.processEvents()
        time.sleep(0.001)
        if time.monotonic() > deadline:
            raise TimeoutError("the till did not get there in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--big", action="store_true",
                        help="change every price, so the pull is built beside the live catalog and swapped in")
    args = parser.parse_args()
    products = [p for p in generate_catalog(args.items, seed=42)]
    with tempfile.TemporaryDirectory(prefix="kassa-ui-delta-") as folder_name:
        folder = Path(folder_name)
        url = f"sqlite:///{folder / 'hub.sqlite3'}"
        hub_db = open_hub_database(url, migrate_schema=True)
        add_store(hub_db, STORE_ID, "Bench")
        import_catalog(hub_db, rows_from_products(products))
        with running_hub(url) as base:
            sync = enrolled(folder, hub_db, base, "till")
            sync.pull()  # the first, full pull, before the shop opens
            worker = SyncWorker(sync)
            journal = SqlJournal(sync.db, TILL)
            till = Till(TillSettings(SHOP), catalog=SqlCatalog(sync.db), journal=journal, baskets=journal,
                        cashiers=MemoryCashiers(), clock=SystemClock())
            services = TillServices(till=till, journal=journal, store=SHOP, printing_enabled=False,
                                    spooler=ReceiptSpooler(journal, journal, RecordingPrinter(), SHOP),
                                    sync=sync, sync_worker=worker)
            app = make_application([])
            window = MainWindow(services)
            window.show()
            spin_until(lambda: window.started and window.is_idle())
            session = window.session
            session.change(lambda t: t.sign_in("1", "1234")).run()
            scanned = [p for p in products if p.barcode][:3]
            for product in scanned:
                session.change(lambda t, code=product.barcode: t.scan(code)).run()
            spin_until(window.is_idle)

            count = args.items if args.big else min(10_000, args.items)
            changed = [replace(p, price=Money(p.price.amount + 1, p.price.currency)) for p in products[:count]]
            import_catalog(hub_db, rows_from_products(changed))
            ticks: list[float] = []
            timer = QTimer()
            timer.setInterval(5)
            qconnect(timer.timeout, lambda: ticks.append(time.perf_counter()))
            before = sync.last_pull_at()  # moved by the apply's own transaction
            timer.start()
            started = time.perf_counter()
            worker.pull_soon()
            time.sleep(0.05)  # let the pull begin, then keep scanning as a cashier would
            kept = True
            scans: list[float] = []
            sales: list[float] = []
            while sync.last_pull_at() == before:
                kept = kept and all(line.product.price == p.price for line, p in zip(till.view().lines, scanned))
                scans.append(_timed(session, lambda t: t.scan(scanned[0].barcode)))
                if len(scans) % 5 == 0:  # a sale paid, and the next one begun with the same products
                    sales.append(_timed(session, lambda t: t.pay_cash("")))
                    for product in scanned:
                        _timed(session, lambda t, code=product.barcode: t.scan(code))
                spin_until(lambda: time.perf_counter() - started > 0.2 * len(scans), timeout=5)
            pull_seconds = time.perf_counter() - started
            timer.stop()
            gaps = [(b - a) * 1000 for a, b in zip(ticks, ticks[1:])]
            kind = "a big pull (every price changed)" if args.big else "a delta"
            print(f"UI during {kind} of {len(changed):,} price changes ({args.items:,}-item catalog, selling meanwhile):")
            print(f"  pulled and applied by the sync worker: {pull_seconds:.2f} s (target for a delta < 2 s)")
            print(f"  UI timer (5 ms): median gap {statistics.median(gaps):.1f} ms, largest {max(gaps):.1f} ms "
                  f"over {len(gaps)} ticks (target: no stall over 100 ms)")
            print(f"  {len(scans)} scans made meanwhile showed after median {statistics.median(scans) * 1000:.0f} ms, "
                  f"slowest {max(scans) * 1000:.0f} ms")
            if sales:
                print(f"  {len(sales)} sales paid meanwhile, done after median {statistics.median(sales) * 1000:.0f} ms, "
                      f"slowest {max(sales) * 1000:.0f} ms")
            print(f"  basket kept the prices it was scanned at until paid: {'yes' if kept else 'NO'}")
            window.shutdown()
            app.processEvents()
        hub_db.close()


def _timed(session, change) -> float:  # noqa: ANN001
    """Seconds from asking the till worker for ``change`` to its result reaching the UI thread."""
    asked = time.perf_counter()
    done: list[float] = []
    session.change(change).success(lambda _r: done.append(time.perf_counter())).run()
    spin_until(lambda: bool(done), timeout=30)
    return done[0] - asked


if __name__ == "__main__":
    main()
