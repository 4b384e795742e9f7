"""How long the payment dialog's points offer (F7) takes to count what this till took from a
customer offline (local_db.loyalty.SqlLoyalty.account), on a till whose outbox holds 100,000
sales (prints figures; not a test).   Run: .venv/bin/python -m benchmarks.points_offer_bench"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from local_db.database import open_database
from local_db.loyalty import SqlLoyalty

SALES = 100_000
NOW = datetime(2026, 12, 2, 12, tzinfo=timezone.utc)


def fill(path: Path) -> None:
    """SALES receipts a minute apart, the last 10 not acknowledged, every 50th with customer C1's points."""
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys = OFF")  # receipts without their sales rows: only the outbox is read
    rows = []
    for n in range(SALES):
        at = (NOW - timedelta(minutes=SALES - n)).isoformat()
        document = str(uuid.uuid4())
        payload = json.dumps({"customer_id": "C1" if n % 50 == 0 else "", "points_redeemed": 10})
        rows.append((document, document, "kassa.sale.v3", "receipt", n + 1, payload, at,
                     at if n < SALES - 10 else None))
    raw.executemany("INSERT INTO outbox (document_id, sale_id, kind, series, number, payload, created_at, acked_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    raw.execute("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) VALUES ('customers', '1', '1', ?)",
                ((NOW - timedelta(hours=2)).isoformat(),))
    raw.commit()
    raw.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    db = open_database(folder / "till.sqlite3")
    fill(db.path)
    loyalty = SqlLoyalty(db)
    times = []
    for _ in range(50):
        started = time.perf_counter()
        account = loyalty.account("C1", NOW - timedelta(hours=12))
        times.append(time.perf_counter() - started)
    print(f"points offer over {SALES:,} sales: median {statistics.median(times) * 1000:.2f} ms, "
          f"max {max(times) * 1000:.2f} ms ({account})")
    db.close()


if __name__ == "__main__":
    main()
