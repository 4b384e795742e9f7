"""The outbox contract between the till's journal and the sync worker.

Every recorded sale leaves one outbox row in the same SQLite transaction as the sale
(``SaleJournal.record_sale``).  The sync worker reads rows in ``seq`` order, sends each
``payload`` (a ``kassa.sale.v1`` JSON document, or ``kassa.sale.v2`` for a sale with card
approvals; see ``pos.codec.sale_to_dict``) to the hub,
and acknowledges a row only after the hub has answered for it.  ``sale_id`` is the
idempotency key: sending a row twice never makes a second sale at the hub.  ``seq`` is
gapless per till (the receipt number), so the hub can tell a missing sale from a late one.

A sale the hub rejects for good goes to quarantine - and so does one whose every request
keeps failing when it is sent alone while the hub otherwise works (``sync/push.py`` says
when) -: it is not sent again, does not hold up the sales behind it, and waits for a
manager to retry or export it.  The SQLite
implementation is ``local_db.outbox.SqlOutbox``.

The store's day documents are rows of the same outbox, written in their own transactions
(``local_db.store_day_journal``) and pushed through ``POST /v1/documents`` by row order
(``DocumentOutbox``); ``unsent_count`` and the quarantine count cover every document.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from local_db.outbox import DocumentMessage, QuarantinedDocument, QuarantinedSale
from pos.ports import OutboxMessage


class Outbox(Protocol):
    def pending_messages(self, limit: int = 100) -> list[OutboxMessage]:
        """Unacknowledged rows, oldest first, quarantined ones left out."""
        ...

    def acknowledge(self, seqs: Sequence[int]) -> None:
        """Mark rows as received by the hub; they are never sent again."""
        ...

    def unsent_count(self) -> int: ...


class QuarantiningOutbox(Outbox, Protocol):
    """What the push worker and the manager's quarantine screen need."""

    def note_failure(self, seqs: Sequence[int], error: str) -> None:
        """A request-level failure: the rows stay queued with one more attempt."""
        ...

    def quarantine(self, seq: int, reason: str) -> None: ...

    def quarantined(self) -> list[QuarantinedSale]: ...

    def retry_quarantined(self, seq: int) -> bool: ...

    def quarantined_count(self) -> int: ...

    def oldest_unsent_at(self) -> datetime | None: ...

    def oldest_unsent_age(self, now: datetime | None = None) -> timedelta | None: ...


@runtime_checkable
class DocumentOutbox(Protocol):
    """The store's day documents in the outbox (returns, cash movements, approvals, cancelled
    sales, shift events, Z reports), by outbox ``row_id``; idempotent at the hub by document_id."""

    def pending_documents(self, limit: int = 100) -> list[DocumentMessage]: ...

    def acknowledge_documents(self, row_ids: Sequence[int]) -> None: ...

    def note_document_failure(self, row_ids: Sequence[int], error: str) -> None: ...

    def quarantine_document(self, row_id: int, reason: str) -> None: ...

    def quarantined_documents(self) -> list[QuarantinedDocument]: ...

    def retry_quarantined_document(self, row_id: int) -> bool: ...


__all__ = ["DocumentOutbox", "Outbox", "OutboxMessage", "QuarantinedSale", "QuarantiningOutbox"]
