"""The outbox in SQLite: sync.outbox.Outbox over the ``outbox`` table.  This module owns
the table: every statement about it and every count of it is here.

A row is written by ``add_message``, which ``SqlJournal.record_sale`` calls in the sale's
own transaction.  Here it is read in order, acknowledged once the hub has answered ``accepted`` or ``duplicate``, or
moved to quarantine when the hub rejects it for good (or the pusher finds that it alone
keeps failing: ``sync/push.py``).  A quarantined row is never sent
again until a manager retries it; it does not hold up the rows behind it.

The ``seq`` the hub sees is the sale's receipt number (gapless per till), not the row id
(the table's ``row_id``, used only to keep rows in the order they were written; it was
called ``seq`` until migration 0006).

One meaning of each figure, for every screen and command: **waiting** is neither
acknowledged nor quarantined; **quarantined** is not acknowledged and set aside; the two
never overlap, and with **acknowledged** they add up to every row.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection

from local_db.database import Database
from pos.ports import OutboxMessage

log = logging.getLogger(__name__)

MAX_REASON_TEXT = 1000
_CHUNK = 500  # SQLite's bound-parameter limit is far above this

_MESSAGE = (
    "SELECT s.receipt_number, o.sale_id, o.kind, o.payload, o.created_at, o.attempts, o.last_error, "
    "o.quarantined_at, o.quarantine_reason FROM outbox o JOIN sales s ON s.sale_id = o.sale_id "
)
_WAITING = "o.acked_at IS NULL AND o.quarantined_at IS NULL"
_QUARANTINED = "o.acked_at IS NULL AND o.quarantined_at IS NOT NULL"
_COUNTS = (
    f"SELECT count(CASE WHEN {_WAITING} THEN 1 END), count(CASE WHEN {_QUARANTINED} THEN 1 END), "
    "count(CASE WHEN o.acked_at IS NOT NULL THEN 1 END) FROM outbox o"
)

# For the journal audit (local_db/journal_check.py): a sale must have its outbox row.
MISSING_MESSAGE_CHECK = (
    "sale {0} (receipt {1}) has no outbox message for the hub",
    "SELECT sale_id, receipt_number FROM sales s WHERE NOT EXISTS "
    "(SELECT 1 FROM outbox o WHERE o.sale_id = s.sale_id)",
)


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    waiting: int  # neither acknowledged nor quarantined: what the worker will send
    quarantined: int  # set aside for a manager; not waiting
    acknowledged: int  # the hub has them


def add_message(conn: Connection, sale_id: uuid.UUID, kind: str, payload: str, created_at: str) -> None:
    """The hub message of a sale just recorded, in the caller's (the sale's) transaction."""
    conn.exec_driver_sql(
        "INSERT INTO outbox (sale_id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
        (str(sale_id), kind, payload, created_at),
    )


def waiting_count(conn: Connection) -> int:
    """Sales waiting to be sent: neither acknowledged nor quarantined."""
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM outbox o WHERE {_WAITING}").scalar_one())


def outbox_counts(conn: Connection) -> OutboxCounts:
    waiting, quarantined, acknowledged = conn.exec_driver_sql(_COUNTS).one()
    return OutboxCounts(int(waiting), int(quarantined), int(acknowledged))


@dataclass(frozen=True, slots=True)
class QuarantinedSale:
    """A sale the hub refused for good, kept for a manager to look at, retry or export."""

    message: OutboxMessage
    quarantined_at: datetime
    reason: str  # "unknown_product: product 1009 is not in the catalog"
    attempts: int

    @property
    def seq(self) -> int:
        return self.message.seq


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _message(row: Any) -> OutboxMessage:
    number, sale_id, kind, payload, created_at = row[:5]
    return OutboxMessage(int(number), uuid.UUID(sale_id), kind, payload, datetime.fromisoformat(created_at))


class SqlOutbox:
    """The till's outbox; each call takes its own pooled connection (thread-safe)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the sync worker's side --------------------------------------------------------
    def pending_messages(self, limit: int = 100) -> list[OutboxMessage]:
        """Rows neither acknowledged nor quarantined, oldest first."""
        rows = self.db.read(
            lambda c: c.exec_driver_sql(f"{_MESSAGE} WHERE {_WAITING} ORDER BY o.row_id LIMIT ?", (max(0, limit),)).fetchall(),
            "reading the outbox",
        )
        return [_message(row) for row in rows]

    def acknowledge(self, seqs: Sequence[int]) -> None:
        """The hub has these sales (accepted or duplicate): never send them again."""
        now = _now().isoformat()

        def write(conn: Connection) -> None:
            for start in range(0, len(seqs), _CHUNK):
                chunk = [int(s) for s in seqs[start:start + _CHUNK]]
                marks = ",".join("?" * len(chunk))
                conn.exec_driver_sql(
                    "UPDATE outbox SET acked_at = ?, quarantined_at = NULL, quarantine_reason = NULL "
                    f"WHERE acked_at IS NULL AND sale_id IN (SELECT sale_id FROM sales WHERE receipt_number IN ({marks}))",
                    (now, *chunk),
                )

        self.db.write(write, "acknowledging sent sales")

    def note_failure(self, seqs: Sequence[int], error: str) -> None:
        """A request-level failure: the rows stay queued, one attempt more, the reason kept."""

        def write(conn: Connection) -> None:
            for start in range(0, len(seqs), _CHUNK):
                chunk = [int(s) for s in seqs[start:start + _CHUNK]]
                marks = ",".join("?" * len(chunk))
                conn.exec_driver_sql(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE acked_at IS NULL "
                    f"AND sale_id IN (SELECT sale_id FROM sales WHERE receipt_number IN ({marks}))",
                    (error[:MAX_REASON_TEXT], *chunk),
                )

        self.db.write(write, "noting a sending problem")

    def quarantine(self, seq: int, reason: str) -> None:
        """The hub rejected this sale for good: keep it aside with the reason."""
        self.db.write(
            lambda c: c.exec_driver_sql(
                "UPDATE outbox SET quarantined_at = ?, quarantine_reason = ?, attempts = attempts + 1 "
                "WHERE acked_at IS NULL AND sale_id = (SELECT sale_id FROM sales WHERE receipt_number = ?)",
                (_now().isoformat(), reason[:MAX_REASON_TEXT], int(seq)),
            ),
            "moving a sale to quarantine",
        )
        log.warning("sale with receipt %d quarantined: %s", seq, reason)

    # -- the manager's side ------------------------------------------------------------
    def quarantined(self) -> list[QuarantinedSale]:
        rows = self.db.read(
            lambda c: c.exec_driver_sql(
                f"{_MESSAGE} WHERE {_QUARANTINED} ORDER BY o.row_id"
            ).fetchall(),
            "reading the quarantine",
        )
        return [
            QuarantinedSale(_message(row), datetime.fromisoformat(row[7]), str(row[8] or ""), int(row[5]))
            for row in rows
        ]

    def retry_quarantined(self, seq: int) -> bool:
        """Put a quarantined sale back in the queue (after the hub was fixed); False if none."""

        def write(conn: Connection) -> bool:
            done = conn.exec_driver_sql(
                "UPDATE outbox SET quarantined_at = NULL, quarantine_reason = NULL "
                "WHERE acked_at IS NULL AND quarantined_at IS NOT NULL "
                "AND sale_id = (SELECT sale_id FROM sales WHERE receipt_number = ?)",
                (int(seq),),
            )
            return bool(done.rowcount)

        retried = self.db.write(write, "retrying a quarantined sale")
        if retried:
            log.info("quarantined sale with receipt %d goes back in the queue", seq)
        return retried

    # -- figures -----------------------------------------------------------------------
    def counts(self) -> OutboxCounts:
        """Waiting, quarantined and acknowledged, read together (one snapshot)."""
        return self.db.read(outbox_counts, "counting the outbox")

    def unsent_count(self) -> int:
        """Sales waiting to be sent (quarantined ones are counted by ``quarantined_count``)."""
        return self.db.read(waiting_count, "counting the outbox")

    def quarantined_count(self) -> int:
        return self._count(f"SELECT count(*) FROM outbox o WHERE {_QUARANTINED}")

    def acknowledged_count(self) -> int:
        return self._count("SELECT count(*) FROM outbox o WHERE o.acked_at IS NOT NULL")

    def oldest_unsent_at(self) -> datetime | None:
        text = self.db.read(
            lambda c: c.exec_driver_sql(f"SELECT min(o.created_at) FROM outbox o WHERE {_WAITING}").scalar(),
            "reading the outbox",
        )
        return None if text is None else datetime.fromisoformat(text)

    def oldest_unsent_age(self, now: datetime | None = None) -> timedelta | None:
        oldest = self.oldest_unsent_at()
        if oldest is None:
            return None
        return max(timedelta(0), (now or _now()) - oldest)

    # -- helpers -----------------------------------------------------------------------
    def _count(self, sql: str) -> int:
        return self.db.read(lambda c: int(c.exec_driver_sql(sql).scalar_one()), "counting the outbox")

