"""How long a busy shift takes to report and close, on a real SQLite journal.

    python -m benchmarks.shift_close_bench [SALES ...]      (default 300 1000 3000)

For each size, a shift of that many sales (3 lines each; every 4th paid by card then cash,
the rest in cash) with one partial return every 25 sales and a cash movement every 100 is
recorded through ``SqlStoreDay`` (one transaction per document, as the till does).  Then, 5
times each, the median seconds of:

- "X": reading the shift's documents back and computing the report (``day_documents`` +
  ``compute_report``), what F10 4 does;
- "close": the whole close as the till runs it (``close_shift``: the Z recomputed from the
  journal, reconciled, recorded with its number and outbox row), on a copy of the file each
  time so every close starts from the same open shift;
- "day view": the manager's figures by hour, cashier and tender (``JournalSearch.day_figures``).

A till sells a few hundred receipts on a normal day; 3000 is a very busy hypermarket lane.

Measured 2026-12-02 (issue 9) on the 2-core CI machine kind, quiet, medians of 5:
     sales    X (s)  close (s)  day view (s)
       300    0.062      0.169         0.002
      1000    0.201      0.428         0.005
      3000    0.733      1.645         0.018
Linear, about 0.5 ms a sale to close; all of it on the till worker (the window stays live).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from local_db.database import open_database
from local_db.journal_search import JournalSearch
from local_db.store_day_journal import SqlStoreDay
from pos.basket import Basket
from pos.store_day.drawer import default_denominations
from pos.store_day.report import ReportKind, compute_report
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import CASH_IN, CASH_OUT
from tests.fakes import CREAM, SHAMPOO, VITAMINS
from tests.local_db.store_day_builders import close, give_back, open_shift, sell
from tests.pos.store_day.day import MANAGER, TILL, at, money

RUNS = 5


def make_day(path: Path, sales: int) -> None:
    with open_database(path) as db:
        store = SqlStoreDay(db, TILL)
        shift = open_shift(store)
        for n in range(sales):
            basket = Basket(currency="UAH", opened_at=at(1))
            for product in (SHAMPOO, CREAM, VITAMINS):
                basket.add(product, Decimal(1 + n % 2))
            sale = sell(store, basket, card="20.00" if n % 4 == 0 else None)
            if n % 25 == 24:
                store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(1)}))
            if n % 100 == 99:
                direction = CASH_OUT if n % 200 == 199 else CASH_IN
                movement = shift.move_cash(direction, money("50"), "safe", MANAGER, at(2), DEFAULT_TABLE)
                store.record_cash_movement(movement)


def timed(work) -> float:  # noqa: ANN001
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def measure(folder: Path, sales: int) -> tuple[float, float, float]:
    day = folder / f"day-{sales}.sqlite3"
    make_day(day, sales)
    x_times, close_times, view_times = [], [], []
    for run in range(RUNS):
        copy = folder / f"close-{sales}-{run}.sqlite3"
        shutil.copy(day, copy)
        with open_database(copy) as db:
            store = SqlStoreDay(db, TILL)
            shift = store.current_shift(default_denominations("UAH"))
            assert shift is not None
            x_times.append(timed(lambda s=store, sh=shift: compute_report(ReportKind.X, s.day_documents(sh))))
            search = JournalSearch(db, TILL, "UAH")
            since = datetime(2026, 1, 1, tzinfo=UTC)
            view_times.append(timed(lambda q=search: q.day_figures(since, since + timedelta(days=400), UTC)))
            close_times.append(timed(lambda s=store, sh=shift: close(s, sh)))
    return statistics.median(x_times), statistics.median(close_times), statistics.median(view_times)


def main() -> int:
    sizes = [int(arg) for arg in sys.argv[1:]] or [300, 1000, 3000]
    with tempfile.TemporaryDirectory(prefix="kassa-close-bench-") as work:
        print(f"{'sales':>6} {'X (s)':>8} {'close (s)':>10} {'day view (s)':>13}")
        for sales in sizes:
            x, closing, view = measure(Path(work), sales)
            print(f"{sales:>6} {x:>8.3f} {closing:>10.3f} {view:>13.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
