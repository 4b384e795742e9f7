"""A headless till that sells in a loop until it is killed: the victim of the crash test.

Usage: python -m tests.crash.sale_loop DB_PATH SEED
Prints, flushed, one line per event the cashier would have seen:
  REOPENED <basket_id> <lines>   at start, the basket reopened after the last kill
  SCANNED <basket_id> <lines>    a scan returned (the basket has that many lines)
  COMPLETED <sale_id> <number>   a sale was reported done to the cashier
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from local_db.cashiers import SqlCashiers
from local_db.catalog import SqlCatalog
from local_db.database import open_database
from local_db.journal import SqlJournal
from pos.demo_catalog import generate_catalog
from pos.receipt import StoreInfo
from pos.tender import CashPolicy
from pos.till import Till, TillSettings

STORE = StoreInfo("S1", "Crash test store", "", "", "T01", "UAH", "uk_UA")
CATALOG_SIZE = 300


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


def main(db_path: str, seed: int) -> None:
    db = open_database(Path(db_path))
    journal = SqlJournal(db, STORE.till_id)
    till = Till(
        TillSettings(STORE, CashPolicy(Decimal("0.10"))),
        catalog=SqlCatalog(db), journal=journal, baskets=journal, cashiers=SqlCashiers(db), clock=SystemClock(),
    )
    view = till.start().view
    print("REOPENED", view.basket_id, len(view.lines), flush=True)
    till.sign_in("1", "1234")
    barcodes = [p.barcode for p in generate_catalog(CATALOG_SIZE) if p.barcode]
    rng = random.Random(seed)
    while True:
        for _ in range(rng.randint(1, 6)):
            result = till.scan(f"{rng.randint(1, 3)}*{rng.choice(barcodes)}")
            print("SCANNED", result.view.basket_id, len(result.view.lines), flush=True)
        sale = till.pay_cash("").sale
        assert sale is not None
        print("COMPLETED", sale.sale_id, sale.receipt_number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
