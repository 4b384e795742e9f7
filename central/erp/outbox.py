"""The ERP's outbound queue at the hub (created by migration 0011_erp_outbox).

``erp_outbox``: one row per document the ERP must receive (today a sale: ``kind`` "sale",
``document_id`` its sale id), written in the transaction that stores the sale (the follower
:func:`record_sales`), so a stored sale is always queued and never twice.  A row is

* ``queued``: waiting for its turn (``next_attempt_at``); ``attempts`` and ``last_error`` say what
  happened the last times (the ERP down, busy, slow...);
* ``delivered``: the ERP holds it (``erp_reference``: the ERP's own name for it);
* ``failed``: the ERP refused it for a reason a person must fix (``last_error``); it waits for
  ``kassa-hub erp deliver --retry``, which queues it again.

Returns (``kind`` "return", ``document_id`` the return's id) are swept in from the store's day
documents by the delivery (:func:`queue_returns`).

A worker claims due rows before it delivers them: ``claimed_by`` and a lease ``claimed_until``,
taken in one short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, SQLite's one writer),
so two hub processes never deliver the same row at once, and a row whose worker died is taken
again when its lease ends (the ERP's lookup by reference then keeps it single in the ERP).

``erp_connection``: the one row of where Tryton is (URL, database, user; never the password).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import BigInteger, Column, Connection, Index, Integer, String, Table, UniqueConstraint, func, insert, literal, select

from central.erp import master_cursors as _pull_cursors  # noqa: F401 - its table is made by migration 0011
from central.stores import TillIdentity
from central.tables import BigId, UtcDateTime, documents, metadata
from pos.sale import Sale
from pos.store_day.forms import RETURN_SCHEMAS

QUEUED, DELIVERED, FAILED = "queued", "delivered", "failed"
SALE, RETURN, Z_REPORT = "sale", "return", "z_report"
SWEEP_WINDOW = 1000  # documents ids looked at again below the highest queued (PostgreSQL commits out of order)

erp_outbox = Table(
    "erp_outbox", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # queue order
    Column("kind", String(16), nullable=False),  # sale, return, z_report (central/erp/cash_sessions.py)
    Column("document_id", String(36), nullable=False),  # the sale's id: the ERP's unique reference
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("state", String(12), nullable=False),  # queued, delivered, failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("claimed_by", String(80)),  # the worker delivering it now
    Column("claimed_until", UtcDateTime),  # its lease: after this another worker may take it
    Column("last_error", String(500)),
    Column("erp_reference", String(80)),
    Column("queued_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    Column("source_id", BigInteger),  # a return: its row in ``documents`` (the sweep's cursor)
    UniqueConstraint("kind", "document_id"),
)
Index("ix_erp_outbox_state_next_attempt_at", erp_outbox.c.state, erp_outbox.c.next_attempt_at)
Index("ix_erp_outbox_kind_source_id", erp_outbox.c.kind, erp_outbox.c.source_id)

erp_connection = Table(
    "erp_connection", metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("kind", String(20), nullable=False),  # tryton
    Column("url", String(300), nullable=False),
    Column("database_name", String(100), nullable=False),
    Column("user_name", String(100), nullable=False),
    Column("saved_at", UtcDateTime, nullable=False),
)


def record_sales(conn: Connection, sales: Sequence[Sale], till: TillIdentity, received: datetime) -> None:
    """The follower (central/sale_followers.py): queue each newly stored sale for the ERP."""
    conn.execute(insert(erp_outbox), [
        {"kind": SALE, "document_id": str(sale.sale_id), "store_id": till.store_id, "till_id": till.till_id,
         "state": QUEUED, "attempts": 0, "next_attempt_at": received, "queued_at": received}
        for sale in sales
    ])



def queue_returns(conn: Connection, now: datetime) -> None:
    """Queue the return documents the hub stored since the last sweep (each once: the unique key).

    Returns arrive with the store's day documents, which have no followers: the delivery sweeps
    them into the queue before each claim, from a little below the highest one queued."""
    highest = conn.execute(select(func.max(erp_outbox.c.source_id)).where(erp_outbox.c.kind == RETURN)).scalar()
    d = documents.c
    fresh = select(literal(RETURN), d.document_id, d.store_id, d.till_id, literal(QUEUED), literal(0),
                   literal(now, UtcDateTime), literal(now, UtcDateTime), d.id).where(
        d.schema.in_(RETURN_SCHEMAS), d.id > (highest or 0) - SWEEP_WINDOW,
        ~select(erp_outbox.c.id).where(erp_outbox.c.kind == RETURN, erp_outbox.c.document_id == d.document_id)
        .exists())
    conn.execute(insert(erp_outbox).from_select(
        ["kind", "document_id", "store_id", "till_id", "state", "attempts", "next_attempt_at", "queued_at",
         "source_id"], fresh))
