"""What the hub answers about the store's day documents: how much of a sale is back (the
arbiter across tills: checked returns and the reconciled shares of unchecked ones,
``central.reconciling``), the Z reports it holds, and each till's shift state."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from central.database import HubDatabase
from central.errors import NotFound
from central.stores import TillIdentity, require_store, require_till
from central.tables import returned_lines, sales, shift_events, tills, z_reports
from pos.money import Money


@dataclass(frozen=True, slots=True)
class ReturnedLine:
    sold_line_id: str
    quantity: Decimal
    refunded: Money


def returned_of_sale(db: HubDatabase, till: TillIdentity, sale_id: str) -> list[ReturnedLine]:
    """Per sold line, what every till's returns took back of ``sale_id`` (a sale of the
    till's own store; any other is 404, as is one the hub does not hold)."""
    try:
        sale_id = str(uuid.UUID(sale_id))
    except ValueError:
        raise NotFound(f"sale {sale_id[:60]!r} is not a sale id") from None
    with db.reading() as conn:
        store = conn.execute(select(sales.c.store_id).where(sales.c.sale_id == sale_id)).scalar_one_or_none()
        if store != till.store_id:  # another store's sale is as unknown as no sale
            raise NotFound(f"the hub holds no sale {sale_id} of store {till.store_id}")
        rows = conn.execute(select(returned_lines.c.sold_line_id, returned_lines.c.quantity,
                                   returned_lines.c.refunded_minor, returned_lines.c.currency)
                            .where(returned_lines.c.sale_id == sale_id).order_by(returned_lines.c.id)).all()
    totals: dict[str, ReturnedLine] = {}
    for row in rows:
        before = totals.get(row.sold_line_id)
        quantity, refunded = Decimal(row.quantity), Money.from_minor(row.refunded_minor, row.currency)
        if before is not None:
            quantity, refunded = before.quantity + quantity, before.refunded + refunded
        totals[row.sold_line_id] = ReturnedLine(row.sold_line_id, quantity, refunded)
    return list(totals.values())


@dataclass(frozen=True, slots=True)
class ZReportRow:
    till: TillIdentity
    z_number: int
    shift_id: str
    sales_count: int
    sales_total: Money
    returns_count: int
    returns_total: Money
    expected_cash: Money
    received_at: datetime


def received_z_reports(db: HubDatabase, store_id: str | None = None,
                       till_id: str | None = None) -> Iterator[ZReportRow]:
    """Z reports by store, till and Z number."""
    query = select(z_reports)
    with db.reading() as conn:
        if store_id is not None:
            if till_id is not None:
                require_till(conn, TillIdentity(store_id, till_id))
                query = query.where(z_reports.c.till_id == till_id)
            else:
                require_store(conn, store_id)
            query = query.where(z_reports.c.store_id == store_id)
        for r in conn.execute(query.order_by(z_reports.c.store_id, z_reports.c.till_id, z_reports.c.z_number)):
            c = r.currency
            yield ZReportRow(TillIdentity(r.store_id, r.till_id), r.z_number, r.shift_id, r.sales_count,
                             Money.from_minor(r.sales_total_minor, c), r.returns_count,
                             Money.from_minor(r.returns_total_minor, c), Money.from_minor(r.expected_cash_minor, c),
                             r.received_at)


@dataclass(frozen=True, slots=True)
class ShiftState:
    till: TillIdentity
    shift_id: str | None  # the latest shift the hub heard of (by its opening or closing time)
    opened_by: str | None
    opened_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None
    last_z: int | None
    missing_z: list[tuple[int, int]]  # inclusive ranges of Z numbers below the last never received

    def describe_missing(self) -> str:
        return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in self.missing_z)


def _holes(numbers: list[int]) -> list[tuple[int, int]]:
    holes, expected = [], 1
    for n in sorted(numbers):
        if n > expected:
            holes.append((expected, n - 1))
        expected = n + 1
    return holes


def shift_states(db: HubDatabase, store_id: str | None = None) -> list[ShiftState]:
    """Every till (of ``store_id``): its latest shift, open or closed, and its Z numbers."""
    with db.reading() as conn:
        query = select(tills.c.store_id, tills.c.till_id).order_by(tills.c.store_id, tills.c.till_id)
        if store_id is not None:
            require_store(conn, store_id)
            query = query.where(tills.c.store_id == store_id)
        till_list = [TillIdentity(r.store_id, r.till_id) for r in conn.execute(query)]
        events = conn.execute(select(shift_events).order_by(shift_events.c.at)).all()
        numbers = conn.execute(select(z_reports.c.store_id, z_reports.c.till_id, z_reports.c.z_number)).all()
    by_till: dict[TillIdentity, dict[str, dict[str, tuple[str | None, datetime | None]]]] = {}
    latest: dict[TillIdentity, str] = {}
    for e in events:
        till = TillIdentity(e.store_id, e.till_id)
        by_till.setdefault(till, {}).setdefault(e.shift_id, {})[e.event] = (e.by, e.at)
        latest[till] = e.shift_id  # ordered by time: the last one wins
    z_of: dict[TillIdentity, list[int]] = {}
    for z in numbers:
        z_of.setdefault(TillIdentity(z.store_id, z.till_id), []).append(z.z_number)
    found = []
    for till in till_list:
        shift_id = latest.get(till)
        shift = by_till.get(till, {}).get(shift_id or "", {})
        opened_by, opened_at = shift.get("opened", (None, None))
        closed_by, closed_at = shift.get("closed", (None, None))
        zs = z_of.get(till, [])
        found.append(ShiftState(till, shift_id, opened_by, opened_at, closed_by, closed_at, max(zs) if zs else None,
                                _holes(zs)))
    return found
