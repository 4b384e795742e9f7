"""The CRM feed (issue 12): every document the hub accepts, in one append-only order a reader
pages through with an integer cursor, resuming after an outage from its last cursor with no
gap and no repeat (docs/sync-protocol.md, The CRM feed).

Writing.  ``append_events`` adds one row per accepted document (a sale; a return, cash
movement, approval, cancelled sale, shift event, Z report, a customer's registration, or a
customer identified for a sale: kind customer_identified) in
the very transaction that stores the document: committed together or not at all.

Numbering.  Ids from a sequence are handed out when a row is inserted, not when it commits:
on PostgreSQL two transactions can commit ids 7 and 6 in that order, and a reader that read
up to 7 in between would skip 6 forever.  So the cursor is not the id but ``position``, given
to committed rows only: a reader first numbers, in one short transaction holding the lock of
the single ``feed_position`` row (``SELECT ... FOR UPDATE``; SQLite: its one writer), every
committed row still without one, after the last position given.  Each statement of a READ
COMMITTED transaction sees what was committed before it began, so a row committed later is
numbered later, above every position a reader may already have passed: positions only grow,
and what a reader has seen below its cursor never changes.  The writers are never serialised.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    select,
    update,
)

from central.database import HubDatabase
from central.tables import BigId, UtcDateTime, documents, metadata, sales

MAX_FEED_PAGE = 1000
NUMBERED_AT_ONCE = 5000  # rows numbered by one reader's transaction (the rest by the next read)

feed_events = Table(
    "feed_events", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # insertion order: NOT commit order
    Column("position", BigInteger),  # the feed's cursor; NULL until numbered after its commit
    Column("kind", String(20), nullable=False),  # sale, or the document's series (return, customer_identified...)
    Column("document_id", String(36), nullable=False),  # the sale_id of a sale
    Column("schema", String(40), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    UniqueConstraint("kind", "document_id"),
    Index("ix_feed_events_position", "position", unique=True),
)

feed_position = Table(
    "feed_position", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # the one row: 1
    Column("last", BigInteger, nullable=False),  # the last position given
)


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    document_id: str
    schema: str
    store_id: str
    till_id: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class FeedPage:
    events: list[dict[str, Any]]
    cursor: int  # pass it as after= for the next page
    more: bool


def append_events(conn: Connection, events: Iterable[Event]) -> None:
    """Add accepted documents to the feed, in the transaction that stores them."""
    rows = [{"kind": e.kind, "document_id": e.document_id, "schema": e.schema, "store_id": e.store_id,
             "till_id": e.till_id, "received_at": e.received_at} for e in events]
    if rows:
        conn.execute(feed_events.insert(), rows)


def number_committed(db: HubDatabase) -> int:
    """Give positions to the committed events that have none yet; how many were numbered."""
    with db.reading() as conn:  # the usual case, nothing new: no lock taken, no write
        if conn.execute(select(feed_events.c.id).where(feed_events.c.position.is_(None)).limit(1)).first() is None:
            return 0
    with db.writing() as conn:
        locking = select(feed_position.c.last).where(feed_position.c.id == 1)
        if not db.is_sqlite:
            locking = locking.with_for_update()
        last = int(conn.execute(locking).scalar_one())
        # a new statement after the lock: it sees every row committed before the lock was ours
        ids = list(conn.execute(select(feed_events.c.id).where(feed_events.c.position.is_(None))
                                .order_by(feed_events.c.id).limit(NUMBERED_AT_ONCE)).scalars())
        if not ids:
            return 0
        conn.execute(update(feed_events).where(feed_events.c.id == bindparam("event_id"))
                     .values(position=bindparam("new_position")),
                     [{"event_id": event_id, "new_position": last + n} for n, event_id in enumerate(ids, 1)])
        conn.execute(update(feed_position).where(feed_position.c.id == 1).values(last=last + len(ids)))
        return len(ids)


def read_feed(db: HubDatabase, after: int, limit: int) -> FeedPage:
    """The events after cursor ``after``, oldest first, at most ``limit``; each with its document."""
    numbered = number_committed(db)
    with db.reading() as conn:
        rows = conn.execute(select(feed_events).where(feed_events.c.position > after)
                            .order_by(feed_events.c.position).limit(limit + 1)).all()
        more = len(rows) > limit or numbered == NUMBERED_AT_ONCE  # (then some may wait to be numbered)
        rows = rows[:limit]
        sale_ids = [r.document_id for r in rows if r.kind == "sale"]
        document_ids = [r.document_id for r in rows if r.kind != "sale"]
        bodies: dict[tuple[bool, str], str] = {}
        if sale_ids:
            bodies.update(((True, r.sale_id), r.payload) for r in conn.execute(
                select(sales.c.sale_id, sales.c.payload).where(sales.c.sale_id.in_(sale_ids))))
        if document_ids:
            bodies.update(((False, r.document_id), r.body) for r in conn.execute(
                select(documents.c.document_id, documents.c.body).where(documents.c.document_id.in_(document_ids))))
    events = [{"cursor": int(r.position), "kind": r.kind, "schema": r.schema, "document_id": r.document_id,
               "store_id": r.store_id, "till_id": r.till_id, "received_at": r.received_at.isoformat(),
               "document": json.loads(bodies[(r.kind == "sale", r.document_id)])} for r in rows]
    return FeedPage(events, events[-1]["cursor"] if events else after, more)
