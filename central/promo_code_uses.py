"""The uses of promo codes, recorded from the sales that carry them (``Sale.promo_codes``).

Called by ``central.sale_followers`` inside the transaction that stores the sales, only for
the sales that transaction inserted: a retried batch (every sale ``duplicate``) records
nothing, and the unique (sale_id, code) key would refuse a second row anyway.  Exactly once.

The policy (docs/promotions.md, "Promo codes"): the hub never refuses a sale for its code:
the till accepted it on its last known state and the customer has the goods.  Every use is
counted; a use past the code's rules, in the order the hub receives them (two tills using a
one-time code offline, a customer past the per-customer limit, a code the hub does not know)
is recorded with its reason as a conflict, listed by ``kassa-hub promo-codes --conflicts``.
Each use moves the code to the next global version, so tills learn it at their next pull.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select, update

from central.stores import TillIdentity
from central.tables import promo_code_uses, promo_codes
from central.versions import VersionClock
from pos.sale import Sale


def _conflict(row: object | None, customer_id: str, customer_uses: dict[str, int]) -> str | None:
    if row is None:
        return "the hub has no such code"
    uses, allowed, per_customer = row.uses, row.uses_allowed, row.per_customer  # type: ignore[attr-defined]
    if allowed is not None and uses >= allowed:
        return ("used once already: a one-time code" if allowed == 1
                else f"used {uses} times already, {allowed} allowed")
    if per_customer is not None:
        if not customer_id:
            return "limited per customer, but the sale has no customer"
        if customer_uses.get(customer_id, 0) >= per_customer:
            return f"customer {customer_id} used it {customer_uses[customer_id]} times already, {per_customer} allowed"
    return None


def record_sales(conn: Connection, sales: Sequence[Sale], till: TillIdentity, received: datetime) -> None:
    used = [(sale, code) for sale in sales for code in dict.fromkeys(sale.promo_codes)]
    if not used:
        return
    c = promo_codes.c
    with VersionClock(conn) as clock:  # locks the version row first: the codes' rows are then ours in turn
        for sale, code in used:  # in the batch's order (the till's receipt order)
            row = conn.execute(select(c.uses, c.uses_allowed, c.per_customer, c.customer_uses)
                               .where(c.code == code).with_for_update()).first()
            customer_uses: dict[str, int] = json.loads(row.customer_uses) if row is not None else {}
            conn.execute(promo_code_uses.insert().values(
                code=code[:32], sale_id=str(sale.sale_id), store_id=till.store_id, till_id=till.till_id,
                customer_id=sale.customer_id[:64], used_at=sale.completed_at, received_at=received,
                conflict=_conflict(row, sale.customer_id, customer_uses)))
            if row is None:
                continue
            if sale.customer_id and row.per_customer is not None:
                customer_uses[sale.customer_id] = customer_uses.get(sale.customer_id, 0) + 1
            conn.execute(update(promo_codes).where(c.code == code).values(
                uses=row.uses + 1, customer_uses=json.dumps(customer_uses, sort_keys=True), version=clock.next()))
