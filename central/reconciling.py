"""Unchecked returns (``kassa.return.v2``) reconciled against the sale their receipt named.

A till that could not reach the hub takes back another till's sale as goods scanned
(product code, quantity, today's price), under a manager's approval: it names the sale
(``unchecked_sale_id``) but no sold line.  The hub stores every such line
(``unchecked_lines``) and never rejects it: the goods are back in the shop already.

``reconcile(conn, sale_ids)`` works each sale's unchecked lines out again from scratch,
inside the caller's transaction (the sale's row locked on PostgreSQL):

* what is left of each sold line is what was sold less the CHECKED returns' lines (a
  checked return is the till's own word against the sale: it comes first);
* the unchecked lines, in the order the hub received them, take what is left of the sold
  lines with their product code, in the sale's order; each share is a ``returned_lines``
  row marked ``unchecked`` (so ``GET /v1/sales/{id}`` and ``/returned`` count it);
* a line wholly matched is ``reconciled``; what cannot be matched (more than is left, a
  product the sale does not have, a sale of another store) is ``unreconciled`` with the
  reason, for a manager (``kassa-hub returns --unreconciled``); a sale the hub does not hold
  yet leaves its lines ``waiting`` until it arrives (``central.sales_intake`` calls here;
``kassa-hub returns`` first reconciles any line still waiting for a sale the hub holds).

The return's document carries the outcome in ``documents.flag``: ``sale_unknown`` (waiting),
``reconciled`` or ``unreconciled``.  Hence the hub never counts more of a line back than was
sold, and it flags, never hides, what is more.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, inspect, select, update

from central.database import HubDatabase
from central.stores import TillIdentity, require_store
from central.tables import documents, returned_lines, sales, unchecked_lines
from pos.money import Money
from pos.store_day.returns import ReturnDocument

WAITING, RECONCILED, UNRECONCILED = "waiting", "reconciled", "unreconciled"
SALE_UNKNOWN = "sale_unknown"
SHARES = uuid.UUID("5d1f3c0e-8a47-4b8e-9e61-0c2b7d9a4f15")  # namespace of an unchecked line's shares


def store_unchecked(conn: Connection, till: TillIdentity, document_id: str, r: ReturnDocument,
                    received: datetime) -> str:
    """The return's lines, waiting; the sale to reconcile them against."""
    assert r.unchecked_sale_id is not None
    sale_id = str(r.unchecked_sale_id)
    conn.execute(unchecked_lines.insert().values([
        {"return_id": document_id, "line_id": str(line.line_id), "store_id": till.store_id, "till_id": till.till_id,
         "sale_id": sale_id, "product_code": line.product_code, "name": line.name[:300],
         "quantity": str(line.quantity), "refunded_minor": line.total.minor_units(), "currency": r.currency,
         "matched": "0", "status": WAITING, "reason": None, "received_at": received}
        for line in r.lines]))
    return sale_id


_schemas_with_them: set[int] = set()  # engines whose schema has unchecked_lines (0005 and later)


def _has_unchecked_lines(conn: Connection) -> bool:
    """A hub whose schema is older than 0005 (taking sales before ``kassa-hub migrate``) has none."""
    key = id(conn.engine)
    if key not in _schemas_with_them and inspect(conn).has_table(unchecked_lines.name):
        _schemas_with_them.add(key)
    return key in _schemas_with_them


def waiting_for(conn: Connection, sale_ids: Iterable[str]) -> list[str]:
    """Those of ``sale_ids`` that unchecked lines name (to reconcile once they are stored)."""
    ids = sorted(set(sale_ids))
    if not ids or not _has_unchecked_lines(conn):
        return []
    return sorted(set(conn.execute(select(unchecked_lines.c.sale_id).where(unchecked_lines.c.sale_id.in_(ids)))
                      .scalars()))


def reconcile(conn: Connection, sale_ids: Iterable[str]) -> dict[str, str]:
    """Reconcile the unchecked lines of each sale (see the module); per return: its flag."""
    flags: dict[str, str] = {}
    for sale_id in sorted(set(sale_ids)):  # one order for every process: no deadlocks
        flags.update(_reconcile_sale(conn, sale_id))
    return flags


def _share(total_minor: int, part: Decimal, whole: Decimal) -> int:
    return int((Decimal(total_minor) * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _reconcile_sale(conn: Connection, sale_id: str) -> dict[str, str]:
    lines = conn.execute(select(unchecked_lines).where(unchecked_lines.c.sale_id == sale_id)
                         .order_by(unchecked_lines.c.id)).all()
    if not lines:
        return {}
    query = select(sales.c.store_id, sales.c.payload).where(sales.c.sale_id == sale_id)
    if conn.engine.dialect.name != "sqlite":
        query = query.with_for_update()
    sale = conn.execute(query).first()
    conn.execute(returned_lines.delete().where(returned_lines.c.sale_id == sale_id, returned_lines.c.unchecked))
    outcomes: dict[int, tuple[Decimal, str, str | None]] = {}
    shares: list[dict[str, Any]] = []
    if sale is None:
        outcomes = {u.id: (Decimal(0), WAITING, None) for u in lines}
    else:
        sold = [(line["line_id"], line["product_code"], Decimal(line["quantity"]))
                for line in json.loads(sale.payload)["lines"] if not line.get("voided")]
        left = {line_id: quantity for line_id, _, quantity in sold}
        for line_id, quantity in conn.execute(
                select(returned_lines.c.sold_line_id, returned_lines.c.quantity)
                .where(returned_lines.c.sale_id == sale_id, returned_lines.c.unchecked.is_(False))):
            if line_id in left:
                left[line_id] -= Decimal(quantity)
        for u in lines:
            outcomes[u.id] = _match(u, sale.store_id, sale_id, sold, left, shares)
    if shares:
        conn.execute(returned_lines.insert().values(shares))
    for u in lines:
        matched, status, reason = outcomes[u.id]
        if (Decimal(u.matched), u.status, u.reason) != (matched, status, reason):
            conn.execute(update(unchecked_lines).where(unchecked_lines.c.id == u.id)
                         .values(matched=str(matched), status=status, reason=reason))
    flags: dict[str, str] = {}
    for u in lines:
        status = outcomes[u.id][1]
        before = flags.get(u.return_id)
        if before != UNRECONCILED:
            flags[u.return_id] = UNRECONCILED if status == UNRECONCILED else (
                SALE_UNKNOWN if status == WAITING else before or RECONCILED)
    for return_id, flag in flags.items():
        conn.execute(update(documents).where(documents.c.document_id == return_id).values(flag=flag))
    return flags


def _match(u: Any, store_id: str, sale_id: str, sold: list[tuple[str, str, Decimal]], left: dict[str, Decimal],
           shares: list[dict[str, Any]]) -> tuple[Decimal, str, str | None]:
    quantity = Decimal(u.quantity)
    if u.store_id != store_id:
        return Decimal(0), UNRECONCILED, f"sale {sale_id} was sold in store {store_id}, not {u.store_id}"
    matched = Decimal(0)
    for sold_line_id, product_code, _ in sold:
        room = left[sold_line_id]
        if product_code != u.product_code or room <= 0 or matched == quantity:
            continue
        take = min(room, quantity - matched)
        refunded = _share(u.refunded_minor, matched + take, quantity) - _share(u.refunded_minor, matched, quantity)
        shares.append({"return_id": u.return_id, "line_id": str(uuid.uuid5(SHARES, f"{u.line_id}:{sold_line_id}")),
                       "store_id": u.store_id, "till_id": u.till_id, "sale_id": sale_id,
                       "sold_line_id": sold_line_id, "quantity": str(take), "refunded_minor": refunded,
                       "currency": u.currency, "unchecked": True})
        left[sold_line_id] = room - take
        matched += take
    if matched == quantity:
        return matched, RECONCILED, None
    sold_of_it = sum((q for _, code, q in sold if code == u.product_code), Decimal(0))
    if sold_of_it == 0:
        return matched, UNRECONCILED, f"{u.product_code} ({u.name[:80]}) is not in sale {sale_id}"
    return matched, UNRECONCILED, (f"{quantity - matched} of {quantity} {u.product_code} ({u.name[:80]}) is more than "
                                   f"is left of the {sold_of_it} sold in sale {sale_id}")


def reconcile_waiting(db: HubDatabase) -> int:
    """Reconcile the lines still waiting for a sale the hub now holds (a sale and its
    unchecked return stored at the same moment by two requests can each miss the other);
    how many sales were reconciled."""
    with db.writing() as conn:
        present = sorted(set(conn.execute(
            select(unchecked_lines.c.sale_id).where(unchecked_lines.c.status == WAITING)
            .where(unchecked_lines.c.sale_id.in_(select(sales.c.sale_id)))).scalars()))
        reconcile(conn, present)
    return len(present)


@dataclass(frozen=True, slots=True)
class UncheckedLine:
    """A line of an unchecked return as a manager reads it."""

    store_id: str
    till_id: str
    return_id: str
    sale_id: str
    product_code: str
    name: str
    quantity: Decimal
    matched: Decimal
    refunded: Money
    status: str
    reason: str | None
    received_at: datetime


def unchecked_returns(db: HubDatabase, store_id: str | None = None, *,
                      only_unreconciled: bool = False) -> list[UncheckedLine]:
    """The unchecked returns' lines (of ``store_id``), in the order received; with
    ``only_unreconciled``, those a manager must check: unreconciled or still waiting."""
    query = select(unchecked_lines).order_by(unchecked_lines.c.id)
    if only_unreconciled:
        query = query.where(unchecked_lines.c.status != RECONCILED)
    with db.reading() as conn:
        if store_id is not None:
            require_store(conn, store_id)
            query = query.where(unchecked_lines.c.store_id == store_id)
        rows = conn.execute(query).all()
    return [UncheckedLine(r.store_id, r.till_id, r.return_id, r.sale_id, r.product_code, r.name, Decimal(r.quantity),
                          Decimal(r.matched), Money.from_minor(r.refunded_minor, r.currency), r.status, r.reason,
                          r.received_at) for r in rows]
