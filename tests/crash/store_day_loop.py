"""A headless till that runs store days in a loop until it is killed: sales, partial
returns, exchanges, cash out and shift closes with their Z reports.  The victim of
tests/crash/test_kill_during_store_days.py.

Usage: python -m tests.crash.store_day_loop DB_PATH SEED
Prints, flushed, one line per document the cashier was told is done:
  STARTED <open shift id or ->
  SOLD <sale_id> <receipt>
  RETURNED <return_id> <return number>
  EXCHANGED <return_id> <return number> <sale_id> <receipt>
  MOVED <movement_id> <number>
  CLOSED <shift_id> <z number>
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

from local_db.database import open_database
from local_db.store_day_journal import SqlStoreDay
from pos.sale import Sale
from pos.store_day.returns import ReturnTooMuch
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import CASH_OUT
from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS
from tests.local_db.store_day_builders import UAH, close, exchange, give_back, open_shift, sell
from tests.pos.store_day.day import MANAGER, at, basket_of, money

TILL = "T1"
PRODUCTS = (SHAMPOO, CREAM, VITAMINS, APPLES)


def _basket(rng: random.Random):  # type: ignore[no-untyped-def]
    items = []
    for product in rng.sample(PRODUCTS, rng.randint(1, 3)):
        quantity = Decimal(rng.randint(100, 900)) / 1000 if product.sold_by_weight else Decimal(rng.randint(1, 3))
        items.append((product, quantity))
    return basket_of(items)


def main(db_path: str, seed: int) -> None:
    store = SqlStoreDay(open_database(Path(db_path)), TILL)
    rng = random.Random(seed)
    shift = store.current_shift(UAH)
    print("STARTED", shift.shift_id if shift else "-", flush=True)
    sales: list[Sale] = []
    while True:
        if shift is None:
            shift = open_shift(store)
        step = rng.random()
        if step < 0.4 or not sales:
            sale = sell(store, _basket(rng))
            sales.append(sale)
            print("SOLD", sale.sale_id, sale.receipt_number, flush=True)
        elif step < 0.65:
            sale = rng.choice(sales)
            line = rng.choice([l for l in sale.lines if not l.voided])
            left = line.quantity - store.already_returned(sale.sale_id).get(line.line_id, Decimal(0))
            if left <= 0:
                continue
            quantity = left if line.sold_by_weight else Decimal(rng.randint(1, int(left)))
            try:
                done = store.record_return(give_back(store, sale, {line.line_id: quantity}))
            except ReturnTooMuch:
                continue
            print("RETURNED", done.return_id, done.return_number, flush=True)
        elif step < 0.85:
            sale = rng.choice(sales)
            line = rng.choice([l for l in sale.lines if not l.voided])
            left = line.quantity - store.already_returned(sale.sale_id).get(line.line_id, Decimal(0))
            if left <= 0 or line.sold_by_weight:
                continue
            back, new_sale = store.record_exchange(*exchange(store, sale, {line.line_id: Decimal(1)}, _basket(rng)))
            sales.append(new_sale)
            print("EXCHANGED", back.return_id, back.return_number, new_sale.sale_id, new_sale.receipt_number,
                  flush=True)
        elif step < 0.92:
            moved = store.record_cash_movement(shift.move_cash(CASH_OUT, money("1"), "bank", MANAGER, at(60),
                                                               DEFAULT_TABLE))
            print("MOVED", moved.movement_id, moved.number, flush=True)
        else:
            z = close(store, shift, counted=str(rng.randint(0, 9)))
            print("CLOSED", shift.shift_id, z.z_number, flush=True)
            shift = None


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
