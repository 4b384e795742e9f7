"""Pushing queued sales to the hub: the outbox, in order, in batches.

Per sale the hub answers ``accepted`` or ``duplicate`` (acknowledged: never sent again) or
``rejected`` (quarantined with the hub's reason: the rows behind it go on).  A request-level
failure (the link broke, 5xx, 401, a malformed answer) acknowledges nothing: the whole batch
stays queued with one more attempt noted, and is sent again later.  Sending again is safe
because the hub stores each ``sale_id`` exactly once.

``SalePusher.push_pending`` holds one lock, so the worker thread and ``kassa sync`` never
send the same rows at the same time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from pos.ports import OutboxMessage
from sync.errors import BadAnswer, SyncError
from sync.hub_client import HubClient
from sync.outbox import QuarantiningOutbox

log = logging.getLogger(__name__)

MAX_BATCH_BYTES = 7 * 1024 * 1024  # the hub takes at most 8 MB per request
MAX_BATCH_SALES = 500


@dataclass(frozen=True, slots=True)
class PushOutcome:
    sent: int = 0
    acknowledged: int = 0  # accepted now or before (duplicate)
    duplicates: int = 0
    quarantined: int = 0
    batches: int = 0
    error: SyncError | None = None  # the request-level failure that stopped the push

    def describe(self) -> str:
        text = (f"sent {self.sent} sale(s) in {self.batches} batch(es): {self.acknowledged} acknowledged "
                f"({self.duplicates} already at the hub), {self.quarantined} quarantined")
        return text if self.error is None else f"{text}; stopped: {self.error}"


def batches_of(messages: Sequence[OutboxMessage], max_bytes: int = MAX_BATCH_BYTES) -> list[list[OutboxMessage]]:
    """Consecutive runs of messages whose JSON fits in ``max_bytes`` (one message always fits)."""
    cut: list[list[OutboxMessage]] = []
    current: list[OutboxMessage] = []
    size = 0
    for message in messages:
        length = len(message.payload.encode("utf-8")) + 32
        if current and size + length > max_bytes:
            cut.append(current)
            current, size = [], 0
        current.append(message)
        size += length
    if current:
        cut.append(current)
    return cut


class SalePusher:
    def __init__(self, client: HubClient, outbox: QuarantiningOutbox, *, batch_size: int = 200,
                 max_batch_bytes: int = MAX_BATCH_BYTES) -> None:
        self.client = client
        self.outbox = outbox
        self.batch_size = max(1, min(batch_size, MAX_BATCH_SALES))
        self.max_batch_bytes = max_batch_bytes
        self._lock = threading.Lock()

    def push_pending(self, max_batches: int | None = None) -> PushOutcome:
        """Send what waits, batch after batch, until the queue is empty or a request fails."""
        with self._lock:
            totals = {"sent": 0, "acknowledged": 0, "duplicates": 0, "quarantined": 0, "batches": 0}
            while max_batches is None or totals["batches"] < max_batches:
                messages = self.outbox.pending_messages(self.batch_size)
                if not messages:
                    break
                for batch in batches_of(messages, self.max_batch_bytes):
                    try:
                        counts = self._push_batch(batch)
                    except SyncError as error:
                        self.outbox.note_failure([m.seq for m in batch], str(error))
                        log.warning("pushing %d sale(s) from receipt %d failed: %s", len(batch), batch[0].seq, error)
                        return PushOutcome(**totals, error=error)
                    for key, value in counts.items():
                        totals[key] += value
            return PushOutcome(**totals)

    def _push_batch(self, batch: list[OutboxMessage]) -> dict[str, int]:
        results = self.client.push_sales([(m.seq, m.payload) for m in batch])
        by_sale = {str(m.sale_id): m for m in batch}
        answered = {r.sale_id for r in results}
        if answered != set(by_sale):
            raise BadAnswer(hub=self.client.base_url, code="bad_answer",
                            reason="the batch answer does not name exactly the sales sent")
        acknowledged: list[int] = []
        duplicates = quarantined = 0
        for result in results:
            message = by_sale[result.sale_id]
            if result.status in ("accepted", "duplicate"):
                acknowledged.append(message.seq)
                duplicates += result.status == "duplicate"
            else:
                self.outbox.quarantine(message.seq, f"{result.reason or 'rejected'}: {result.detail or ''}".strip())
                quarantined += 1
        self.outbox.acknowledge(acknowledged)
        return {"sent": len(batch), "acknowledged": len(acknowledged), "duplicates": duplicates,
                "quarantined": quarantined, "batches": 1}
