"""The outbox in SQLite: sync.outbox.Outbox over the ``outbox`` table.  This module owns
the table: every statement about it and every count of it is here.

A row names its document: ``document_id`` (the hub's idempotency key), ``kind`` (its
schema), ``series`` and ``number`` (gapless in a numbered series, 0 in the others).  A
sale's row also keeps ``sale_id`` (series "receipt", number = the receipt number).  A row
is written by ``add_message`` (a sale, in ``SqlJournal.record_sale``'s transaction) or
``add_document`` (the store's day documents, in their own transactions,
``local_db/store_day_journal.py``).  Here it is read in order, acknowledged once the hub has answered ``accepted`` or ``duplicate``, or
moved to quarantine when the hub rejects it for good (or the pusher finds that it alone
keeps failing: ``sync/push.py``).  A quarantined row is never sent
again until a manager retries it; it does not hold up the rows behind it.

The sale side (``pending_messages``, ``acknowledge``, ``quarantine``... by ``seq``) handles
sales only; the document side (``pending_documents``, ``acknowledge_documents``...
by ``row_id``) every other document.  The ``seq`` the hub sees is the sale's receipt number (gapless per till), not the row id
(the table's ``row_id``, used only to keep rows in the order they were written; it was
called ``seq`` until migration 0006).

One meaning of each figure, for every screen and command: **waiting** is neither
acknowledged nor quarantined; **quarantined** is not acknowledged and set aside; the two
never overlap, and with **acknowledged** they add up to every row - of every document, sales
and the others alike.
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
    "SELECT o.number, o.sale_id, o.kind, o.payload, o.created_at, o.attempts, o.last_error, "
    "o.quarantined_at, o.quarantine_reason FROM outbox o WHERE o.series = 'receipt' AND "
)
_DOCUMENT = (
    "SELECT o.row_id, o.document_id, o.kind, o.series, o.number, o.payload, o.created_at, o.attempts, "
    "o.quarantined_at, o.quarantine_reason FROM outbox o WHERE o.series != 'receipt' AND "
)
SALE_SERIES = "receipt"
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


# For the journal audit: each store's day document must have its outbox row (shift events'
# ids are uuid5(shift_id, event), made in Python, so they are counted instead).
MISSING_DOCUMENT_CHECKS = tuple(
    (f"{what} {{0}} has no outbox message for the hub",
     f"SELECT {key} FROM {table} d WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.document_id = d.{key})")
    for what, table, key in (("return", "returns", "return_id"), ("cash movement", "cash_movements", "movement_id"),
                             ("approval", "approvals", "approval_id"), ("cancelled sale", "cancelled_sales", "sale_id"),
                             ("Z report of shift", "z_reports", "shift_id"))
) + (
    ("{0} shift events but {1} outbox messages of shifts",
     "SELECT (SELECT count(*) FROM shifts), (SELECT count(*) FROM outbox WHERE series = 'shift') "
     "WHERE (SELECT count(*) FROM shifts) != (SELECT count(*) FROM outbox WHERE series = 'shift')"),
)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A store's day document as the outbox holds it (``kind`` is its schema)."""

    document_id: uuid.UUID
    kind: str
    series: str
    number: int
    payload: str  # JSON: the document's form (pos.store_day.forms)


@dataclass(frozen=True, slots=True)
class DocumentMessage:
    """A document waiting to be sent (``row_id`` keeps the order it was written in)."""

    row_id: int
    document: DocumentRow
    created_at: datetime


@dataclass(frozen=True, slots=True)
class QuarantinedDocument:
    message: DocumentMessage
    quarantined_at: datetime
    reason: str
    attempts: int


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    waiting: int  # neither acknowledged nor quarantined: what the worker will send
    quarantined: int  # set aside for a manager; not waiting
    acknowledged: int  # the hub has them


def add_message(conn: Connection, sale_id: uuid.UUID, kind: str, payload: str, created_at: str) -> None:
    """The hub message of a sale just recorded, in the caller's (the sale's) transaction."""
    added = conn.exec_driver_sql(
        "INSERT INTO outbox (document_id, kind, series, number, sale_id, payload, created_at) "
        "SELECT ?, ?, 'receipt', receipt_number, sale_id, ?, ? FROM sales WHERE sale_id = ?",
        (str(sale_id), kind, payload, created_at, str(sale_id)),
    )
    if added.rowcount != 1:
        raise ValueError(f"sale {sale_id} must be recorded before its outbox message")


def add_document(conn: Connection, document: DocumentRow, created_at: str) -> None:
    """The hub message of a store's day document just recorded, in the caller's transaction."""
    if document.series == SALE_SERIES:
        raise ValueError("a sale's message is added with add_message")
    conn.exec_driver_sql(
        "INSERT INTO outbox (document_id, kind, series, number, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (str(document.document_id), document.kind, document.series, document.number, document.payload, created_at),
    )


def row_of(conn: Connection, document_id: uuid.UUID) -> int | None:
    """The outbox row of a document (its place in the order of the till's transactions)."""
    found = conn.exec_driver_sql("SELECT row_id FROM outbox WHERE document_id = ?", (str(document_id),)).scalar()
    return None if found is None else int(found)


def documents_between(conn: Connection, series: str, after_row: int, before_row: int | None) -> list[str]:
    """The ids of ``series``' documents written after ``after_row`` (and before ``before_row``), in order."""
    return [str(d) for d in conn.exec_driver_sql(
        "SELECT document_id FROM outbox WHERE series = ? AND row_id > ? AND row_id < ? ORDER BY row_id",
        (series, after_row, 1 << 62 if before_row is None else before_row)).scalars()]


def unacknowledged_number(conn: Connection, series: str) -> int | None:
    """The newest number of ``series`` the hub has not acknowledged yet (e.g. the previous Z), or None."""
    found = conn.exec_driver_sql(
        "SELECT max(number) FROM outbox WHERE series = ? AND acked_at IS NULL", (series,)
    ).scalar()
    return None if found is None else int(found)


def waiting_count(conn: Connection) -> int:
    """Documents (sales and the others) waiting to be sent: neither acknowledged nor quarantined."""
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


def _document(row: Any) -> DocumentMessage:
    row_id, document_id, kind, series, number, payload, created_at = row[:7]
    return DocumentMessage(int(row_id), DocumentRow(uuid.UUID(document_id), kind, series, int(number), payload),
                           datetime.fromisoformat(created_at))


class SqlOutbox:
    """The till's outbox; each call takes its own pooled connection (thread-safe)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the sync worker's side --------------------------------------------------------
    def pending_messages(self, limit: int = 100) -> list[OutboxMessage]:
        """Rows neither acknowledged nor quarantined, oldest first."""
        rows = self.db.read(
            lambda c: c.exec_driver_sql(f"{_MESSAGE} {_WAITING} ORDER BY o.row_id LIMIT ?", (max(0, limit),)).fetchall(),
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
                    f"WHERE acked_at IS NULL AND series = 'receipt' AND number IN ({marks})",
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
                    f"AND series = 'receipt' AND number IN ({marks})",
                    (error[:MAX_REASON_TEXT], *chunk),
                )

        self.db.write(write, "noting a sending problem")

    def quarantine(self, seq: int, reason: str) -> None:
        """The hub rejected this sale for good: keep it aside with the reason."""
        self.db.write(
            lambda c: c.exec_driver_sql(
                "UPDATE outbox SET quarantined_at = ?, quarantine_reason = ?, attempts = attempts + 1 "
                "WHERE acked_at IS NULL AND series = 'receipt' AND number = ?",
                (_now().isoformat(), reason[:MAX_REASON_TEXT], int(seq)),
            ),
            "moving a sale to quarantine",
        )
        log.warning("sale with receipt %d quarantined: %s", seq, reason)

    # -- the manager's side ------------------------------------------------------------
    def quarantined(self) -> list[QuarantinedSale]:
        rows = self.db.read(
            lambda c: c.exec_driver_sql(
                f"{_MESSAGE} {_QUARANTINED} ORDER BY o.row_id"
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
                "AND series = 'receipt' AND number = ?",
                (int(seq),),
            )
            return bool(done.rowcount)

        retried = self.db.write(write, "retrying a quarantined sale")
        if retried:
            log.info("quarantined sale with receipt %d goes back in the queue", seq)
        return retried

    # -- the document side (everything but sales) ----------------------------------------
    def pending_documents(self, limit: int = 100) -> list[DocumentMessage]:
        """Documents neither acknowledged nor quarantined, in the order they were written."""
        rows = self.db.read(
            lambda c: c.exec_driver_sql(f"{_DOCUMENT} {_WAITING} ORDER BY o.row_id LIMIT ?",
                                        (max(0, limit),)).fetchall(),
            "reading the outbox",
        )
        return [_document(row) for row in rows]

    def acknowledge_documents(self, row_ids: Sequence[int]) -> None:
        """The hub has these documents (accepted or duplicate): never send them again."""
        self._update_documents(row_ids, "acked_at = ?, quarantined_at = NULL, quarantine_reason = NULL",
                               (_now().isoformat(),), "acknowledging sent documents")

    def note_document_failure(self, row_ids: Sequence[int], error: str) -> None:
        """A request-level failure: the documents stay queued, one attempt more, the reason kept."""
        self._update_documents(row_ids, "attempts = attempts + 1, last_error = ?", (error[:MAX_REASON_TEXT],),
                               "noting a sending problem")

    def quarantine_document(self, row_id: int, reason: str) -> None:
        """The hub rejected this document for good: keep it aside with the reason."""
        self._update_documents([row_id], "quarantined_at = ?, quarantine_reason = ?, attempts = attempts + 1",
                               (_now().isoformat(), reason[:MAX_REASON_TEXT]), "moving a document to quarantine")
        log.warning("document in outbox row %d quarantined: %s", row_id, reason)

    def quarantined_documents(self) -> list[QuarantinedDocument]:
        rows = self.db.read(
            lambda c: c.exec_driver_sql(f"{_DOCUMENT} {_QUARANTINED} ORDER BY o.row_id").fetchall(),
            "reading the quarantine",
        )
        return [QuarantinedDocument(_document(row), datetime.fromisoformat(row[8]), str(row[9] or ""), int(row[7]))
                for row in rows]

    def retry_quarantined_document(self, row_id: int) -> bool:
        """Put a quarantined document back in the queue; False if there is none."""
        done = self.db.write(
            lambda c: c.exec_driver_sql(
                "UPDATE outbox SET quarantined_at = NULL, quarantine_reason = NULL WHERE acked_at IS NULL "
                "AND quarantined_at IS NOT NULL AND series != 'receipt' AND row_id = ?", (int(row_id),)
            ).rowcount,
            "retrying a quarantined document",
        )
        return bool(done)

    def _update_documents(self, row_ids: Sequence[int], assignments: str, values: tuple[Any, ...],
                          doing: str) -> None:
        def write(conn: Connection) -> None:
            for start in range(0, len(row_ids), _CHUNK):
                chunk = [int(r) for r in row_ids[start:start + _CHUNK]]
                marks = ",".join("?" * len(chunk))
                conn.exec_driver_sql(
                    f"UPDATE outbox SET {assignments} WHERE acked_at IS NULL AND series != 'receipt' "
                    f"AND row_id IN ({marks})",
                    (*values, *chunk),
                )

        self.db.write(write, doing)

    # -- figures -----------------------------------------------------------------------
    def counts(self) -> OutboxCounts:
        """Waiting, quarantined and acknowledged, read together (one snapshot)."""
        return self.db.read(outbox_counts, "counting the outbox")

    def unsent_count(self) -> int:
        """Documents (sales and the others) waiting to be sent (quarantined ones are counted by
        ``quarantined_count``)."""
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

