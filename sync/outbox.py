"""The outbox contract between the till's journal and the sync worker (next issue).

Every recorded sale leaves one outbox row in the same SQLite transaction as the sale
(``SaleJournal.record_sale``).  The sync worker reads rows in ``seq`` order, sends each
``payload`` (a ``kassa.sale.v1`` JSON document, see ``pos.codec.sale_to_dict``) to the hub,
and acknowledges a row only after the hub has answered for it.  ``sale_id`` is the
idempotency key: sending a row twice never makes a second sale at the hub.  ``seq`` is
gapless per till, so the hub can tell a missing sale from a late one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pos.ports import OutboxMessage


class Outbox(Protocol):
    def pending_messages(self, limit: int = 100) -> list[OutboxMessage]:
        """Unacknowledged rows, oldest first."""
        ...

    def acknowledge(self, seqs: Sequence[int]) -> None:
        """Mark rows as received by the hub; they are never sent again."""
        ...

    def unsent_count(self) -> int: ...


__all__ = ["Outbox", "OutboxMessage"]
