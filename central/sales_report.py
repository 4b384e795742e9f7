"""What the hub has received: a till's sales in seq order, and the seqs still missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from central.database import HubDatabase
from central.stores import TillIdentity, require_store, require_till
from central.tables import sales, tills
from pos.money import Money


@dataclass(frozen=True, slots=True)
class ReceivedSale:
    store_id: str
    till_id: str
    seq: int
    receipt_number: int
    sale_id: str
    total: Money
    till_completed_at: datetime
    hub_received_at: datetime


@dataclass(frozen=True, slots=True)
class TillGaps:
    till: TillIdentity
    highest_seq: int
    missing: list[tuple[int, int]]  # inclusive ranges of seqs never received

    def describe(self) -> str:
        return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in self.missing)


def received_sales(db: HubDatabase, store_id: str | None = None, till_id: str | None = None,
                   *, limit: int | None = None) -> Iterator[ReceivedSale]:
    """Sales ordered by store, till and seq (never by either clock)."""
    query = select(sales.c.store_id, sales.c.till_id, sales.c.seq, sales.c.receipt_number, sales.c.sale_id,
                   sales.c.total_minor, sales.c.currency, sales.c.till_completed_at, sales.c.hub_received_at)
    with db.reading() as conn:
        if store_id is not None:
            if till_id is not None:
                require_till(conn, TillIdentity(store_id, till_id))
                query = query.where(sales.c.till_id == till_id)
            else:
                require_store(conn, store_id)
            query = query.where(sales.c.store_id == store_id)
        query = query.order_by(sales.c.store_id, sales.c.till_id, sales.c.seq).limit(limit)
        for r in conn.execute(query):
            yield ReceivedSale(r.store_id, r.till_id, r.seq, r.receipt_number, r.sale_id,
                               Money.from_minor(r.total_minor, r.currency), r.till_completed_at, r.hub_received_at)


def gaps(db: HubDatabase) -> list[TillGaps]:
    """Per till with sales: the seqs from 1 to its highest that the hub has not received."""
    previous = func.lag(sales.c.seq, 1, 0).over(partition_by=(sales.c.store_id, sales.c.till_id),
                                                order_by=sales.c.seq).label("previous")
    numbered = select(sales.c.store_id, sales.c.till_id, sales.c.seq, previous).subquery()
    holes = select(numbered).where(numbered.c.seq > numbered.c.previous + 1).order_by(
        numbered.c.store_id, numbered.c.till_id, numbered.c.seq)
    highest = select(tills.c.store_id, tills.c.till_id, func.max(sales.c.seq).label("highest")).join(
        sales, (sales.c.store_id == tills.c.store_id) & (sales.c.till_id == tills.c.till_id)
    ).group_by(tills.c.store_id, tills.c.till_id).order_by(tills.c.store_id, tills.c.till_id)
    with db.reading() as conn:
        found: dict[TillIdentity, list[tuple[int, int]]] = {}
        for r in conn.execute(holes):
            found.setdefault(TillIdentity(r.store_id, r.till_id), []).append((r.previous + 1, r.seq - 1))
        return [TillGaps(TillIdentity(r.store_id, r.till_id), r.highest, found.get(TillIdentity(r.store_id, r.till_id), []))
                for r in conn.execute(highest)]
