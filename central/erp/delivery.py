"""Delivering the ERP's queue (central/erp/outbox.py) through a connector (central/erp/interface.py).

One round (:func:`deliver_due`): claim up to ``batch`` due rows (a lease, so two hub processes
never deliver one row at once and a dead worker's rows come back), deliver each, and record
each outcome in its own short transaction, only while this worker still holds the claim:

* delivered: ``delivered`` with the ERP's reference (found there already: the same);
* :class:`ErpUnavailable`: stays ``queued``, retried after a backoff that grows with its attempts
  (tenacity's exponential wait with jitter, 5 s to 15 min); the round stops there, since the
  ERP is away for the others too;
* :class:`ErpRefused`: ``failed`` with the reason, until a person fixes it and runs
  ``kassa-hub erp deliver --retry`` (:func:`retry_failed`);
* held for review (central/flagged_sales.py: an unknown product), or waiting its turn (a Z report
  until its shift's sales went; a sale of the next shift until that Z went:
  central/erp/cash_sessions.py): stays ``queued`` and is asked again a minute later, without
  counting an attempt.

The tills never wait for any of it: the queue is written with the sale and read only here.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update
from tenacity import RetryCallState, wait_exponential_jitter

from central.database import HubDatabase
from central.erp.interface import ErpConnector, ErpLine, ErpPayment, ErpRefused, ErpSale, ErpUnavailable
from central.erp.cash_sessions import closing_for_erp, queue_z_reports, sale_waits_for_z, z_waits
from central.erp.outbox import DELIVERED, FAILED, QUEUED, RETURN, SALE, Z_REPORT, erp_outbox, queue_returns
from central.stores import store_day
from central.tables import documents, sales
from pos.codec import sale_from_dict
from pos.store_day.forms import return_from_dict

log = logging.getLogger(__name__)

BACKOFF = wait_exponential_jitter(multiplier=5, max=900, exp_base=2, jitter=5)
HELD_AGAIN = timedelta(seconds=60)
LEASE = timedelta(seconds=120)
Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def worker_name() -> str:
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{threading.get_ident() % 100000}"


def backoff(attempts: int) -> timedelta:
    """How long a row waits after its ``attempts``-th failure to reach the ERP."""
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = max(1, attempts)
    return timedelta(seconds=BACKOFF(state))


@dataclass
class Round:
    delivered: int = 0
    already_there: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return self.delivered + self.retried + self.failed + self.held

    def describe(self) -> str:
        text = (f"{self.delivered} delivered ({self.already_there} found already there), {self.retried} to retry, "
                f"{self.failed} failed, {self.held} held for review or waiting their turn")
        return "; ".join([text, *self.reasons[:5]])


def claim(db: HubDatabase, worker: str, *, batch: int, lease: timedelta = LEASE, now: datetime | None = None,
          retry_all: bool = False) -> list[tuple[int, str, str]]:
    """Take up to ``batch`` due rows for ``worker`` (id, kind, document id), oldest first."""
    now = now or _now()
    o = erp_outbox.c
    due = and_(o.state == QUEUED, or_(o.claimed_until.is_(None), o.claimed_until < now))
    if not retry_all:
        due = and_(due, o.next_attempt_at <= now)
    with db.writing() as conn:
        queue_returns(conn, now)
        queue_z_reports(conn, now)
        rows = conn.execute(select(o.id, o.kind, o.document_id).where(due).order_by(o.id).limit(batch)
                            .with_for_update(skip_locked=True)).all()
        if rows:
            conn.execute(update(erp_outbox).where(o.id.in_([r.id for r in rows]))
                         .values(claimed_by=worker, claimed_until=now + lease))
    return [(r.id, r.kind, r.document_id) for r in rows]


def _settle(db: HubDatabase, row_id: int, worker: str, **values: Any) -> None:
    o = erp_outbox.c
    with db.writing() as conn:
        conn.execute(update(erp_outbox).where(o.id == row_id, o.claimed_by == worker)
                     .values(claimed_by=None, claimed_until=None, **values))


def deliver_due(db: HubDatabase, connector: ErpConnector, *, worker: str | None = None, batch: int = 20,
                lease: timedelta = LEASE, clock: Clock = _now, retry_all: bool = False) -> Round:
    worker = worker or worker_name()
    done = Round()
    claimed = claim(db, worker, batch=batch, lease=lease, now=clock(), retry_all=retry_all)
    for position, (row_id, kind, document_id) in enumerate(claimed):
        if kind not in (SALE, RETURN, Z_REPORT):  # a kind this hub does not deliver yet
            continue
        with db.reading() as conn:
            waiting = _why_waiting(conn, kind, document_id, clock())
        if waiting:
            done.held += 1
            _settle(db, row_id, worker, next_attempt_at=clock() + HELD_AGAIN, last_error=waiting)
            continue
        try:
            if kind == Z_REPORT:
                with db.reading() as conn:
                    closing = closing_for_erp(conn, document_id)
                delivered = connector.close_shift(closing)
            else:
                with db.reading() as conn:
                    erp_sale = sale_for_erp(conn, document_id) if kind == SALE else return_for_erp(conn, document_id)
                delivered = connector.deliver_sale(erp_sale)
        except ErpUnavailable as fault:
            _retry_later(db, row_id, worker, fault.reason, clock)
            done.retried += 1
            done.reasons.append(f"{kind} {document_id}: {fault.reason}")
            for later_id, _, _ in claimed[position + 1:]:  # the ERP is away for them too: let go
                _settle(db, later_id, worker)
            log.warning("ERP delivery of %s %s will be retried: %s", kind, document_id, fault.reason)
            break
        except ErpRefused as fault:
            _settle(db, row_id, worker, state=FAILED, attempts=erp_outbox.c.attempts + 1, last_error=fault.reason)
            done.failed += 1
            done.reasons.append(f"{kind} {document_id}: {fault.reason}")
            log.error("ERP refused %s %s: %s", kind, document_id, fault.reason)
            continue
        except Exception as error:  # noqa: BLE001 - a fault of ours or an odd answer: logged, retried later
            log.exception("ERP delivery of %s %s failed unexpectedly", kind, document_id)
            _retry_later(db, row_id, worker, f"unexpected fault: {type(error).__name__}: {error}"[:500], clock)
            done.retried += 1
            continue
        _settle(db, row_id, worker, state=DELIVERED, attempts=erp_outbox.c.attempts + 1, last_error=None,
                erp_reference=delivered.erp_reference[:80], delivered_at=clock())
        done.delivered += 1
        done.already_there += delivered.already_there
        log.info("%s %s delivered to the ERP as %s%s", kind, document_id, delivered.erp_reference,
                 " (found already there)" if delivered.already_there else "")
    return done


def _retry_later(db: HubDatabase, row_id: int, worker: str, reason: str, clock: Clock) -> None:
    with db.reading() as conn:
        attempts = conn.execute(select(erp_outbox.c.attempts).where(erp_outbox.c.id == row_id)).scalar_one() + 1
    _settle(db, row_id, worker, attempts=attempts, last_error=reason, next_attempt_at=clock() + backoff(attempts))


def _why_waiting(conn: Connection, kind: str, document_id: str, now: datetime) -> str | None:
    """Why a row must wait its turn (asked again a minute later, no attempt counted), or None."""
    if kind == Z_REPORT:
        return z_waits(conn, document_id, now)
    if kind == SALE and _held(conn, document_id):
        return "held for review: a product code the hub does not know (kassa-hub sales --flagged)"
    if kind == SALE and sale_waits_for_z(conn, document_id):
        return "waiting for the Z report of the till's earlier shift (its cash session closes first)"
    return None


def _held(conn: Connection, sale_id: str) -> bool:
    try:
        from central.flagged_sales import held
    except ImportError:  # the flagged sales' module is not there: nothing is held
        return False
    return bool(held(conn, sale_id))


def _mapped(conn: Connection, code: str) -> str:
    try:
        from central.flagged_sales import mapped_code
    except ImportError:
        return code
    return str(mapped_code(conn, code))


def sale_for_erp(conn: Connection, sale_id: str) -> ErpSale:
    """The stored sale as the ERP receives it: its lines that were not voided, at the prices the
    customer paid (each line's total after its discounts), and its payments net of change, the
    cash one less the cash rounding (so the payments settle the lines' total)."""
    payload = conn.execute(select(sales.c.payload).where(sales.c.sale_id == sale_id)).scalar_one_or_none()
    if payload is None:
        raise ErpRefused(f"the hub holds no sale {sale_id}")
    sale = sale_from_dict(json.loads(payload))
    lines = tuple(
        ErpLine(_mapped(conn, line.product_code), line.quantity,
                (line.total.amount / line.quantity) if line.quantity else Decimal(0), line.total.amount,
                line.vat.percent)
        for line in sale.lines if not line.voided
    )
    rounding = sale.rounding.amount
    payments = []
    for payment in sale.payments:
        amount = payment.amount.amount
        if payment.method == "cash" and rounding:
            amount, rounding = amount - rounding, Decimal(0)
        payments.append(ErpPayment(payment.method, amount))
    return ErpSale(str(sale.sale_id), sale.store_id, sale.till_id, sale.receipt_number, sale.completed_at,
                   store_day(conn, sale.store_id, sale.completed_at),
                   sale.currency, lines, tuple(payments))


def return_for_erp(conn: Connection, return_id: str) -> ErpSale:
    """A return as the ERP receives it: a POS sale of negative quantities (Tryton's way), at the
    prices refunded, its refunds as negative payments, the cash one less the cash rounding."""
    body = conn.execute(select(documents.c.body).where(documents.c.document_id == return_id)).scalar_one_or_none()
    if body is None:
        raise ErpRefused(f"the hub holds no return {return_id}")
    taken = return_from_dict(json.loads(body))
    lines = tuple(ErpLine(_mapped(conn, line.product_code), -line.quantity,
                          (line.total.amount / line.quantity) if line.quantity else Decimal(0), -line.total.amount,
                          line.vat.percent) for line in taken.lines)
    rounding = taken.rounding.amount
    payments = []
    for refund in taken.refunds:
        amount = refund.payment.amount.amount
        if refund.payment.method == "cash" and rounding:
            amount, rounding = amount - rounding, Decimal(0)
        payments.append(ErpPayment(refund.payment.method, -amount))
    return ErpSale(str(taken.return_id), taken.store_id, taken.till_id, taken.return_number, taken.returned_at,
                   store_day(conn, taken.store_id, taken.returned_at),
                   taken.currency, lines, tuple(payments))


def retry_failed(db: HubDatabase, sale_ids: list[str] | None = None, *, now: datetime | None = None) -> int:
    """Queue the failed rows again (all, or these documents'), due at once; how many."""
    o = erp_outbox.c
    which = o.state == FAILED
    if sale_ids:
        which = and_(which, o.document_id.in_(sale_ids))
    with db.writing() as conn:
        return conn.execute(update(erp_outbox).where(which).values(
            state=QUEUED, next_attempt_at=now or _now(), claimed_by=None, claimed_until=None)).rowcount or 0


def counts(db: HubDatabase) -> dict[str, int]:
    with db.reading() as conn:
        rows = conn.execute(select(erp_outbox.c.state, func.count()).group_by(erp_outbox.c.state)).all()
    return {QUEUED: 0, DELIVERED: 0, FAILED: 0, **{state: int(n) for state, n in rows}}


def run(db: HubDatabase, connector: ErpConnector, stop: threading.Event, *, batch: int = 20,
        lease: timedelta = LEASE, idle: float = 2.0, worker: str | None = None) -> None:
    """Deliver until ``stop`` is set: a full round goes on at once, an empty one sleeps ``idle``."""
    worker = worker or worker_name()
    while not stop.is_set():
        try:
            done = deliver_due(db, connector, worker=worker, batch=batch, lease=lease)
        except Exception:  # noqa: BLE001 - the hub's own database away: log it, try again
            log.exception("ERP delivery round failed")
            done = Round()
        if done.claimed < batch or done.retried:
            stop.wait(idle)
