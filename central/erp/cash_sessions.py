"""A till's Z report as the closing of its point of sale's cash session in Tryton (sale_point).

At the hub (the queue, central/erp/outbox.py): each stored Z report is swept into ``erp_outbox``
(kind ``z_report``) like the returns, and delivered only after its shift (:func:`z_waits`): the
shift's closing (the counted cash) and every sale the Z numbers are at the hub and no longer
queued, as are the till's returns sent before it (a till sends its shift's returns before its Z)
and its earlier Z reports.  A sale completed after a shift closed whose Z
is still queued waits for that Z (:func:`sale_waits_for_z`), so Tryton never books its cash in
the session being closed.

In Tryton (:func:`close_in_tryton`): Tryton opens a session per point of sale by itself when a
cash payment arrives, one open at a time, so a Z needs the till's own point of sale
(``STORE/TILL``).  The shift's session is the one holding its sales' cash payments, or else the
point's open one; a session found closed is posted, one found posted is already delivered.
Tryton closes a session only when its end amount is its start plus its balance (cash payments
and transfers); the connector therefore adds, once each:

* a transfer of type "Kassa cash difference": counted minus expected, the till's difference,
  visible in Tryton as such (and posted to that type's account);
* a transfer of type "Kassa cash in and out": what else parts Tryton's expected cash from the
  counted drawer (the float put in, cash put in and taken out, cash rounding),

then sets the end amount to the counted cash, closes and posts the session.  Each step reads the
state first, so a crash at any point is repeated safely, never doubling a transfer.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, func, insert, literal, select

from central.erp.interface import Delivered, ErpRefused, ErpShiftClosing
from central.erp.outbox import QUEUED, RETURN, SALE, SWEEP_WINDOW, Z_REPORT, erp_outbox
from central.stores import store_day
from central.tables import UtcDateTime, documents, sales, shift_events, z_reports
from pos.store_day.forms import Z_REPORT_SCHEMA, z_report_from_dict

if TYPE_CHECKING:
    from central.erp.tryton import TrytonConnector

DIFFERENCE_TYPE = "Kassa cash difference"
IN_AND_OUT_TYPE = "Kassa cash in and out"
PATIENCE = timedelta(hours=6)  # how long a Z waits for its shift's sales or closing to reach the hub


# -- at the hub -----------------------------------------------------------------------------------
def queue_z_reports(conn: Connection, now: datetime) -> None:
    """Queue the Z reports stored since the last sweep (each once: the unique key)."""
    highest = conn.execute(select(func.max(erp_outbox.c.source_id)).where(erp_outbox.c.kind == Z_REPORT)).scalar()
    d = documents.c
    fresh = select(literal(Z_REPORT), d.document_id, d.store_id, d.till_id, literal(QUEUED), literal(0),
                   literal(now, UtcDateTime), literal(now, UtcDateTime), d.id).where(
        d.schema == Z_REPORT_SCHEMA, d.id > (highest or 0) - SWEEP_WINDOW,
        ~select(erp_outbox.c.id).where(erp_outbox.c.kind == Z_REPORT, erp_outbox.c.document_id == d.document_id)
        .exists())
    conn.execute(insert(erp_outbox).from_select(
        ["kind", "document_id", "store_id", "till_id", "state", "attempts", "next_attempt_at", "queued_at",
         "source_id"], fresh))


def _z_body(conn: Connection, z_id: str) -> tuple[dict[str, Any], str, str, int]:
    row = conn.execute(select(documents.c.body, documents.c.store_id, documents.c.till_id, documents.c.id)
                       .where(documents.c.document_id == z_id)).one_or_none()
    if row is None:
        raise ErpRefused(f"the hub holds no Z report {z_id}")
    return json.loads(row.body), row.store_id, row.till_id, row.id


def _closing_body(conn: Connection, shift_id: str) -> dict[str, Any] | None:
    closed = shift_events.c
    body = conn.execute(select(documents.c.body).join(shift_events, closed.document_id == documents.c.document_id)
                        .where(closed.shift_id == shift_id, closed.event == "closed")).scalar()
    return json.loads(body) if body is not None else None


def z_waits(conn: Connection, z_id: str, now: datetime) -> str | None:
    """Why the Z report must wait (its shift is not all delivered yet), or None when it may go.

    Only what is still queued holds it: a failed sale or Z (waiting for a person) does not, nor,
    after ``PATIENCE``, a sale that never reached the hub (refused there, kept at the till): the
    session then closes without it, the gap visible in the cash in and out transfer."""
    body, store_id, till_id, arrived = _z_body(conn, z_id)
    o = erp_outbox.c
    queued_at = conn.execute(select(o.queued_at).where(o.kind == Z_REPORT, o.document_id == z_id)).scalar()
    patient = queued_at is None or now - queued_at < PATIENCE
    if _closing_body(conn, body["shift_id"]) is None and patient:
        return "waiting for the shift's closing (the counted cash) to reach the hub"
    d = documents.c
    if conn.execute(select(func.count()).select_from(erp_outbox).join(documents, d.document_id == o.document_id)
                    .where(o.kind == Z_REPORT, o.till_id == till_id, o.store_id == store_id, o.state == QUEUED,
                           d.number < int(body["z_number"]))).scalar():
        return "waiting for an earlier Z report of the till"
    first, last = body.get("first_receipt"), body.get("last_receipt")
    if first is not None and last is not None:
        s = sales.c
        mine = and_(s.store_id == store_id, s.till_id == till_id, s.receipt_number.between(first, last))
        if patient and conn.execute(select(func.count()).where(mine)).scalar() < last - first + 1:
            return f"waiting for the shift's sales (receipts {first}-{last}) to reach the hub"
        if conn.execute(select(func.count()).select_from(erp_outbox).join(sales, s.sale_id == o.document_id)
                        .where(o.kind == SALE, o.state == QUEUED, mine)).scalar():
            return f"waiting for the shift's sales (receipts {first}-{last}) to be delivered"
    returns = and_(d.store_id == store_id, d.till_id == till_id, d.series == "return", d.id < arrived)
    if conn.execute(select(func.count()).select_from(erp_outbox).join(documents, d.document_id == o.document_id)
                    .where(o.kind == RETURN, o.state == QUEUED, returns)).scalar():
        return "waiting for the till's returns sent before it to be delivered"
    return None


def sale_waits_for_z(conn: Connection, sale_id: str) -> bool:
    """A sale made after a shift of its till closed waits while that shift's Z is queued (a Z that
    failed, e.g. a till without its own point of sale, holds no sale back: the sales keep going)."""
    s, o, e = sales.c, erp_outbox.c, shift_events.c
    sale = conn.execute(select(s.store_id, s.till_id, s.till_completed_at).where(s.sale_id == sale_id)).one_or_none()
    if sale is None:
        return False
    z = z_reports.c
    return bool(conn.execute(
        select(func.count()).select_from(erp_outbox).join(z_reports, z.document_id == o.document_id)
        .join(shift_events, and_(e.shift_id == z.shift_id, e.event == "closed"))
        .where(o.kind == Z_REPORT, o.state == QUEUED, o.store_id == sale.store_id, o.till_id == sale.till_id,
               e.at <= sale.till_completed_at)).scalar())


def closing_for_erp(conn: Connection, z_id: str) -> ErpShiftClosing:
    """The Z report with its shift's counted cash, and the references of the shift's sales."""
    body, store_id, till_id, _ = _z_body(conn, z_id)
    z = z_report_from_dict(body)
    closing = _closing_body(conn, body["shift_id"])
    if closing is None:
        raise ErpRefused(f"the hub holds no closing of shift {body['shift_id']} (the counted cash) for Z report "
                         f"{z.z_number} of till {till_id!r}: send it from the till, then retry")
    references: list[str] = []
    if z.first_receipt is not None and z.last_receipt is not None:
        references = [str(r) for r in conn.execute(select(sales.c.sale_id).where(
            sales.c.store_id == store_id, sales.c.till_id == till_id,
            sales.c.receipt_number.between(z.first_receipt, z.last_receipt))).scalars()]
    closed_at = datetime.fromisoformat(closing["at"])
    return ErpShiftClosing(
        reference=z_id, store_id=store_id, till_id=till_id, z_number=z.z_number, shift_id=str(z.shift_id),
        closed_at=closed_at, day=store_day(conn, store_id, closed_at), currency=z.currency,
        opening_float=z.opening_float.amount, expected_cash=z.expected_cash.amount,
        counted_cash=Decimal(closing["counted_total"]), sale_references=tuple(references))


# -- in Tryton ------------------------------------------------------------------------------------
def close_in_tryton(erp: TrytonConnector, closing: ErpShiftClosing) -> Delivered:
    """Close (and post) the till's cash session in Tryton with the counted cash, exactly once."""
    point = _till_point(erp, closing)
    session = _the_session(erp, point, closing)
    if session is None:
        (created,) = erp.call("sale.point.cash.session", "create", [{"point": point}])
        session = _read_session(erp, created)
    already = session["state"] != "open"
    if session["state"] == "open":
        _balance(erp, point, session, closing)
        erp.call("sale.point.cash.session", "write", [session["id"]], {"end_amount": closing.counted_cash})
        erp.call("sale.point.cash.session", "close", [session["id"]])
        session = _read_session(erp, session["id"])
    if session["state"] == "closed":
        erp.call("sale.point.cash.session", "post", [session["id"]])
    return Delivered(f"cash session {session['id']}", already_there=already)


def _till_point(erp: TrytonConnector, closing: ErpShiftClosing) -> int:
    name = f"{closing.store_id}/{closing.till_id}"
    found = erp.call("sale.point", "search", [("name", "=", name)], 0, 1, None)
    if not found:
        raise ErpRefused(f"Tryton has no point of sale {name!r} for the Z report of till {closing.till_id!r}: a cash "
                         "session belongs to one till, so each till needs its own sale.point; add it, then retry")
    return int(found[0])


def _read_session(erp: TrytonConnector, session_id: int) -> dict[str, Any]:
    (session,) = erp.call("sale.point.cash.session", "read", [session_id],
                          ["id", "state", "start_amount", "balance", "end_amount"])
    return dict(session)


def _the_session(erp: TrytonConnector, point: int, closing: ErpShiftClosing) -> dict[str, Any] | None:
    """The shift's session: the one holding its sales' cash payments, or else the point's open one."""
    if closing.sale_references:
        paid = erp.call("sale.point.payment", "search_read", [
            ("sale.kassa_reference", "in", list(closing.sale_references)), ("session", "!=", None)],
            0, 1, None, ["session"])
        if paid:
            return _read_session(erp, int(paid[0]["session"]))
    opened = erp.call("sale.point.cash.session", "search", [("point", "=", point), ("state", "=", "open")], 0, 1, None)
    if opened:
        return _read_session(erp, int(opened[0]))
    return None


def _type(erp: TrytonConnector, name: str) -> int:
    found = erp.call("sale.point.cash.transfer.type", "search", [("name", "=", name)], 0, 1, None)
    if not found:
        raise ErpRefused(f"Tryton has no cash transfer type {name!r} (its journal and account book the till's "
                         "cash differences and cash in and out): add it, then retry")
    return int(found[0])


def _balance(erp: TrytonConnector, point: int, session: dict[str, Any], closing: ErpShiftClosing) -> None:
    """Transfers so that start + balance = counted: the difference once, then whatever else remains."""
    difference = closing.counted_cash - closing.expected_cash
    made = erp.call("sale.point.cash.transfer", "search_read", [("session", "=", session["id"])], 0, None, None,
                    ["type.name", "amount"])
    day = closing.day  # the store's local date of the close
    if difference and not any(t["type."]["name"] == DIFFERENCE_TYPE for t in made):
        erp.call("sale.point.cash.transfer", "create", [{
            "point": point, "session": session["id"], "type": _type(erp, DIFFERENCE_TYPE), "amount": difference,
            "date": day}])
        session = _read_session(erp, session["id"])
    rest = closing.counted_cash - Decimal(str(session["start_amount"])) - Decimal(str(session["balance"]))
    if rest:
        erp.call("sale.point.cash.transfer", "create", [{
            "point": point, "session": session["id"], "type": _type(erp, IN_AND_OUT_TYPE), "amount": rest,
            "date": day}])
