"""Loyalty points at the hub: the chain's rules and the points ledger.

- ``set_rules``: head office's rules (``kassa-hub set-loyalty FILE.json``), read with the tills'
  own reader (``pos.loyalty.rules``) before they are stored, so rules a till would refuse never
  leave the hub; a change takes the next global version (the ``loyalty`` dataset).
- ``record_sales`` (a sale follower, ``central.sale_followers``): the points a stored sale earned
  and spent, one movement per sale and kind, in the sale's own transaction and only for a sale
  it inserted, so exactly once however often a till retries its batch.  The customer's row then
  takes the next version, so the tills pull the new balance with the customers dataset.
- ``take_back_for_returns``: a return takes back the points its sale earned, pro rata, and
  gives back the points of a refund made to the sale's "points" tender.
- A balance is the sum of a customer's movements (``balances``).  Tills redeem offline from the
  balance they last pulled (``pos.loyalty.redeeming``), so two tills may together spend more
  than a customer has: the sale is never refused for it, the balance goes below zero and
  ``overdrawn`` (``kassa-hub loyalty --overdrawn``) reports it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, update

from central.customer_tables import customers
from central.database import HubDatabase
from central.errors import AdminProblem
from central.loyalty_tables import loyalty_movements, loyalty_rules
from central.stores import TillIdentity
from central.tables import documents, returned_lines, sales
from central.versions import VersionClock
from pos.loyalty.earning import POINTS
from pos.loyalty.rules import BadLoyaltyRules, read_rules
from pos.sale import Sale

RULES = "rules"
EARNED, REDEEMED, RETURNED, REFUNDED = "earned", "redeemed", "returned", "refunded"


@dataclass(frozen=True, slots=True)
class RulesSet:
    version: int | None  # None: the hub had these very rules already

    def describe(self) -> str:
        if self.version is None:
            return "the loyalty rules are unchanged"
        return f"the loyalty rules saved (version {self.version}); the tills take them at their next pull"


def set_rules(db: HubDatabase, body: str) -> RulesSet:
    """Store ``body`` as the chain's loyalty rules; refuse rules the tills could not read."""
    try:
        rules = read_rules(body)
    except BadLoyaltyRules as error:
        raise AdminProblem(f"refused, nothing changed: {error}") from None
    body = json.dumps(rules.to_dict(), ensure_ascii=False, separators=(",", ":"))
    with db.writing() as conn:
        found = conn.execute(select(loyalty_rules.c.body, loyalty_rules.c.deleted)
                             .where(loyalty_rules.c.name == RULES)).first()
        if found is not None and found.body == body and not found.deleted:
            return RulesSet(None)
        with VersionClock(conn) as clock:
            values = dict(body=body, deleted=False, version=clock.next())
            if found is not None:
                conn.execute(update(loyalty_rules).where(loyalty_rules.c.name == RULES).values(**values))
            else:
                conn.execute(loyalty_rules.insert().values(name=RULES, **values))
        return RulesSet(clock.last)


def record_sales(conn: Connection, sales: Sequence[Sale], till: TillIdentity, received: datetime) -> None:
    """The points each newly stored sale earned and spent (see the module's docstring)."""
    rows: list[dict[str, Any]] = []
    from central.customer_registrations import customer_of  # a registration joined to a customer: theirs

    owners = customer_of(conn, [s.customer_id for s in sales if s.customer_id and (s.points_earned or s.points_redeemed)])
    for sale in sales:
        if not sale.customer_id:
            continue
        for kind, points in ((EARNED, sale.points_earned), (REDEEMED, -sale.points_redeemed)):
            if points:
                rows.append(dict(customer_id=owners[sale.customer_id], sale_id=str(sale.sale_id), kind=kind, points=points,
                                 document_id=str(sale.sale_id),
                                 store_id=till.store_id, till_id=till.till_id, receipt_number=sale.receipt_number,
                                 happened_at=sale.completed_at, received_at=received))
    if not rows:
        return
    conn.execute(loyalty_movements.insert(), rows)
    moved: dict[str, int] = {}
    for row in rows:
        moved[str(row["customer_id"])] = moved.get(str(row["customer_id"]), 0) + int(row["points"])
    carry_balances(conn, moved)
    earned = sorted({str(row["sale_id"]) for row in rows if row["kind"] == EARNED})
    waiting = conn.execute(select(returned_lines.c.return_id).distinct().where(  # returns stored before their sale
        returned_lines.c.sale_id.in_(earned))).scalars().all()
    take_back_for_returns(conn, [str(r) for r in waiting], received)


def carry_balances(conn: Connection, moved: dict[str, int]) -> None:
    """Each known customer's row takes the points moved and the next version: the new balance
    goes to the tills with the customers dataset.  (A customer the hub does not know yet, such
    as one registered at a till whose registration has not arrived, keeps only the movements.)"""
    known = conn.execute(select(customers.c.customer_id).where(customers.c.customer_id.in_(sorted(moved)))
                         .order_by(customers.c.customer_id)).scalars().all()
    if not known:
        return
    with VersionClock(conn) as clock:
        for customer_id in known:
            conn.execute(update(customers).where(customers.c.customer_id == customer_id).values(
                points_balance=customers.c.points_balance + moved[customer_id], version=clock.next()))


def take_back_for_returns(conn: Connection, return_ids: Iterable[str], received: datetime) -> int:
    """A return takes back the points its sale earned, pro rata: after each return the sale's
    take-back is ``floor(earned * refunded / total)`` (every return of the sale so far, at most
    what it earned), less what earlier returns took.  Run in the return document's transaction
    (central/documents_intake.py), once per return document; returns the points taken back."""
    m, r = loyalty_movements, returned_lines
    ids = sorted(set(return_ids))
    if not ids:
        return 0
    sale_of = {str(s): str(d) for s, d in conn.execute(
        select(r.c.sale_id, func.min(r.c.return_id)).where(r.c.return_id.in_(ids)).group_by(r.c.sale_id))}
    taken_back = 0
    moved: dict[str, int] = {}
    for sale_id, return_id in sorted(sale_of.items()):
        earned = conn.execute(select(m.c.customer_id, m.c.points, m.c.store_id, m.c.till_id, m.c.receipt_number)
                              .where(m.c.sale_id == sale_id, m.c.kind == EARNED)).first()
        total = conn.execute(select(sales.c.total_minor).where(sales.c.sale_id == sale_id)).scalar()
        if earned is None or not total or total <= 0:
            continue
        refunded = int(conn.execute(select(func.coalesce(func.sum(r.c.refunded_minor), 0))
                                    .where(r.c.sale_id == sale_id)).scalar_one())
        already = -int(conn.execute(select(func.coalesce(func.sum(m.c.points), 0))
                                    .where(m.c.sale_id == sale_id, m.c.kind == RETURNED)).scalar_one())
        target = min(int(earned.points), int(earned.points) * refunded // int(total))
        if target <= already:
            continue
        conn.execute(m.insert().values(customer_id=earned.customer_id, sale_id=sale_id, kind=RETURNED,
                                       document_id=return_id, points=already - target, store_id=earned.store_id,
                                       till_id=earned.till_id, receipt_number=earned.receipt_number,
                                       happened_at=received, received_at=received))
        moved[str(earned.customer_id)] = moved.get(str(earned.customer_id), 0) + already - target
        taken_back += target - already
    for return_id in ids:
        given = _points_refunded(conn, return_id, received)
        if given is not None:
            moved[given[0]] = moved.get(given[0], 0) + given[1]
    if moved:
        carry_balances(conn, moved)
    return taken_back


def _points_refunded(conn: Connection, return_id: str, received: datetime) -> tuple[str, int] | None:
    """A return whose refunds went back to the sale's "points" tender gives the customer those
    points back (the share of the points the sale was paid with that the refund is of the
    points payment), once per return document: (customer, points) or None."""
    m = loyalty_movements
    body = conn.execute(select(documents.c.body).where(documents.c.document_id == return_id)).scalar()
    if body is None:
        return None
    document = json.loads(body)
    refunded = sum((Decimal(str(f["payment"]["amount"])) for f in document.get("refunds") or ()
                    if f.get("payment", {}).get("method") == POINTS), Decimal(0))
    sale_id = str(document.get("original_sale_id") or "")
    if refunded <= 0 or not sale_id:
        return None
    payload = conn.execute(select(sales.c.payload).where(sales.c.sale_id == sale_id)).scalar()
    if payload is None:
        return None
    sale = json.loads(payload)
    paid = sum((Decimal(str(p["amount"])) for p in sale.get("payments") or () if p.get("method") == POINTS), Decimal(0))
    redeemed, customer_id = int(sale.get("points_redeemed") or 0), str(sale.get("customer_id") or "")
    if paid <= 0 or not redeemed or not customer_id:
        return None
    given_before = int(conn.execute(select(func.coalesce(func.sum(m.c.points), 0))
                                    .where(m.c.sale_id == sale_id, m.c.kind == REFUNDED)).scalar_one())
    points = min(redeemed - given_before, int(redeemed * refunded / paid))
    if points <= 0 or conn.execute(select(m.c.id).where(m.c.sale_id == sale_id, m.c.kind == REFUNDED,
                                                        m.c.document_id == return_id)).first() is not None:
        return None
    conn.execute(m.insert().values(customer_id=customer_id, sale_id=sale_id, kind=REFUNDED, document_id=return_id,
                                   points=points, store_id=str(sale.get("store_id") or ""),
                                   till_id=str(sale.get("till_id") or ""),
                                   receipt_number=int(sale.get("receipt_number") or 0), happened_at=received,
                                   received_at=received))
    return customer_id, points


def balances(conn: Connection, customer_ids: Iterable[str] | None = None) -> dict[str, int]:
    """Each customer's points (the sum of their movements); customers with none are left out."""
    query = select(loyalty_movements.c.customer_id, func.sum(loyalty_movements.c.points)).group_by(
        loyalty_movements.c.customer_id)
    if customer_ids is not None:
        query = query.where(loyalty_movements.c.customer_id.in_(sorted(set(customer_ids))))
    return {str(c): int(p) for c, p in conn.execute(query)}


@dataclass(frozen=True, slots=True)
class Overdrawn:
    customer_id: str
    balance: int
    tills: tuple[str, ...]  # the tills that redeemed the customer's points ("store/till")

    def describe(self) -> str:
        return f"{self.customer_id}: {self.balance} points (redeemed at {', '.join(self.tills)})"


def overdrawn(db: HubDatabase) -> list[Overdrawn]:
    """Customers whose balance is below zero: tills redeemed offline more than they had."""
    m = loyalty_movements
    with db.reading() as conn:
        below = conn.execute(select(m.c.customer_id, func.sum(m.c.points)).group_by(m.c.customer_id)
                             .having(func.sum(m.c.points) < 0).order_by(m.c.customer_id)).all()
        found = []
        for customer_id, balance in below:
            tills = conn.execute(select(m.c.store_id, m.c.till_id).distinct()
                                 .where(m.c.customer_id == customer_id, m.c.kind == REDEEMED)
                                 .order_by(m.c.store_id, m.c.till_id)).all()
            found.append(Overdrawn(str(customer_id), int(balance), tuple(f"{s}/{t}" for s, t in tills)))
    return found


def movements(db: HubDatabase, customer_id: str) -> list[str]:
    """A customer's ledger, one line per movement, oldest first, with the running balance."""
    m = loyalty_movements
    with db.reading() as conn:
        rows = conn.execute(select(m.c.happened_at, m.c.kind, m.c.points, m.c.store_id, m.c.till_id,
                                   m.c.receipt_number, m.c.sale_id).where(m.c.customer_id == customer_id)
                            .order_by(m.c.id)).all()
    lines, balance = [], 0
    for at, kind, points, store, till, number, sale_id in rows:
        balance += int(points)
        lines.append(f"{at:%Y-%m-%d %H:%M} {kind:<8} {int(points):+d} = {balance}  {store}/{till} #{number} {sale_id}")
    return lines
