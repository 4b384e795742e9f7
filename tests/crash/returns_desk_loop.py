"""A headless till (the window's services on a real file) that sells, takes returns by
scanning the receipt's code and makes exchanges through ``pos.store_day.returns_desk``
until it is killed, a cashier whose returns a manager approves included.  The victim of
tests/crash/test_kill_during_returns.py.

Usage: python -m tests.crash.returns_desk_loop DB_PATH SEED
Prints, flushed, one line per document the cashier was told is done:
  STARTED
  SOLD <sale_id> <receipt>
  RETURNED <return_id> <return number> <approval id or ->
  EXCHANGED <return_id> <return number> <sale_id> <receipt>
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

from pos.receipt_code import receipt_code_text
from pos.store_day.day import NeedsApproval
from pos.store_day.returns_desk import FoundSale, ReturnAsked, find_sale, make_exchange, make_return
from tests.ui.returns.till_world import CASHIER, GOODS, MANAGER, SENIOR, real_till

PRODUCTS = GOODS[:6]


def main(db_path: str, seed: int) -> None:
    rng = random.Random(seed)
    who = CASHIER if seed % 2 else SENIOR  # every other run, a cashier whose returns a manager approves
    t = real_till(Path(db_path), who=who)
    till = t.till
    print("STARTED", flush=True)
    while True:
        step = rng.random()
        sales = till.journal.recent_sales(20)
        if step < 0.4 or not sales:
            for product in rng.sample(PRODUCTS, rng.randint(1, 3)):
                till.scan(product.barcode)
            sale = till.pay_cash("").sale
            print("SOLD", sale.sale_id, sale.receipt_number, flush=True)
            continue
        sale = rng.choice(sales)
        found = find_sale(till, receipt_code_text(sale.store_id, sale.till_id, sale.sale_id), None)
        assert isinstance(found, FoundSale)
        left = {line_id: q for line_id, q in found.left().items() if q > 0}
        if not left:
            continue
        line_id = rng.choice(sorted(left))
        asked = ReturnAsked(found, {line_id: Decimal(rng.randint(1, int(left[line_id])))}, reason="damaged")
        if step < 0.75:
            try:
                done = make_return(till, asked)
                approval = "-"
            except NeedsApproval as needed:
                request = till.day.ask(needed)  # type: ignore[union-attr]
                approval_id = till.day.approve(request.request_id, *MANAGER, "damaged").request.request_id  # type: ignore[union-attr]
                done = make_return(till, asked, approval_id=approval_id)
                approval = str(approval_id)
            print("RETURNED", done.return_id, done.return_number, approval, flush=True)
        else:
            if not till.basket.active_lines():
                till.scan(rng.choice(PRODUCTS).barcode)  # the new goods
            try:
                exchanged = make_exchange(till, asked)
            except NeedsApproval as needed:
                request = till.day.ask(needed)  # type: ignore[union-attr]
                approval_id = till.day.approve(request.request_id, *MANAGER, "damaged").request.request_id  # type: ignore[union-attr]
                exchanged = make_exchange(till, asked, approval_id=approval_id)
            new_sale = exchanged.result.sale
            assert new_sale is not None
            print("EXCHANGED", exchanged.returned.return_id, exchanged.returned.return_number, new_sale.sale_id,
                  new_sale.receipt_number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
