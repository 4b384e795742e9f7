"""Pushing queued sales to the hub: the outbox, in receipt order, in batches.

Per sale the hub answers ``accepted`` or ``duplicate`` (acknowledged: never sent again) or
``rejected`` (quarantined with the hub's reason: the rows behind it go on).  Sending again
is always safe because the hub stores each ``sale_id`` exactly once.

When a whole request fails, nothing is acknowledged and the batch stays queued with one
more attempt noted.  What happens next depends on whose fault the failure can be
(``failure_kind``):

* **Wait** - not a sale's fault, so nothing is ever quarantined for it: the link or the hub
  is down or busy (a transport failure: refused, timeout, TLS, the connection cut; HTTP
  408, 429, 502, 503, 504, 507, 511), or the till cannot ask (401/403 credential, no
  credential, untrusted certificate, a wrong hub address, 404/405, a redirect).  The push
  stops and the worker backs off.  A hub that is down for a day keeps the whole queue.
* **Content** - maybe one sale's fault: a 500 or another 5xx, an answer the till cannot use
  (malformed, undecodable, not naming the sales sent), 400, 409, 415, 422.  The batch is
  tried again later; when the batch starting at one receipt has failed so
  ``failures_before_isolating`` times (3), its sales are sent alone, in receipt order, so
  the good ones are acknowledged.  A 413 (too large) sends them alone at once.
* A sale that fails alone that many times is moved to quarantine with the hub's answer as
  the reason (Ctrl+Q and ``kassa status`` show it; a manager can put it back in the queue)
  - but only once the hub has just answered a heartbeat (it is up and takes the
  credential: the failure is not the whole hub's), and only while fewer than
  ``MAX_QUARANTINED_IN_A_ROW`` sales were quarantined this way with no sale acknowledged
  since: beyond that the hub most likely cannot store any sale, and the queue waits.

The tries are counted in memory (a restart begins again).  Sales still go in receipt
order; a quarantined one no longer holds the rest.  ``SalePusher.push_pending`` holds one
lock, so the worker thread and ``kassa sync`` never send the same rows at the same time.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields

from pos.ports import OutboxMessage
from sync.errors import BadAnswer, HubUnreachable, RequestRefused, SyncError
from sync.hub_client import HubClient
from sync.outbox import QuarantiningOutbox

log = logging.getLogger(__name__)

MAX_BATCH_BYTES = 7 * 1024 * 1024  # the hub takes at most 8 MB per request
MAX_BATCH_SALES = 500
FAILURES_BEFORE_ISOLATING = 3
MAX_QUARANTINED_IN_A_ROW = 3
RETRY_LATER = frozenset({408, 429, 502, 503, 504, 507, 511})  # the hub (or a proxy before it) is busy or away
CONTENT_4XX = frozenset({400, 409, 413, 415, 422})  # the request's content was refused


class Failure(enum.Enum):
    WAIT = "wait"  # not a sale's fault: back off, quarantine nothing
    CONTENT = "content"  # maybe a sale's fault: after some tries, send the sales alone
    TOO_LARGE = "too large"  # 413: send the sales alone at once


def failure_kind(error: SyncError) -> Failure:
    """Whose fault a failed request can be (see the module docstring)."""
    status = error.status
    if isinstance(error, BadAnswer):  # a 1xx or 3xx status says nothing about the sales (a redirect: the address)
        return Failure.WAIT if status is not None and not 200 <= status < 300 else Failure.CONTENT
    if not isinstance(error, (HubUnreachable, RequestRefused)) or status is None or status in RETRY_LATER:
        return Failure.WAIT
    if status == 413:
        return Failure.TOO_LARGE
    return Failure.CONTENT if status in CONTENT_4XX or status >= 500 else Failure.WAIT


@dataclass(frozen=True, slots=True)
class PushOutcome:
    sent: int = 0
    acknowledged: int = 0  # accepted now or before (duplicate)
    duplicates: int = 0
    quarantined: int = 0  # rejected by the hub, or failing alone again and again
    batches: int = 0
    error: SyncError | None = None  # the request-level failure that stopped the push

    def describe(self) -> str:
        text = (f"sent {self.sent} sale(s) in {self.batches} batch(es): {self.acknowledged} acknowledged "
                f"({self.duplicates} already at the hub), {self.quarantined} quarantined")
        return text if self.error is None else f"{text}; stopped: {self.error}"

    def then(self, later: PushOutcome) -> PushOutcome:
        """This push followed by ``later``: counts added, ``later``'s error."""
        counts = {f.name: getattr(self, f.name) + getattr(later, f.name) for f in fields(self) if f.name != "error"}
        return PushOutcome(**counts, error=later.error)


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
                 max_batch_bytes: int = MAX_BATCH_BYTES,
                 failures_before_isolating: int = FAILURES_BEFORE_ISOLATING) -> None:
        self.client = client
        self.outbox = outbox
        self.batch_size = max(1, min(batch_size, MAX_BATCH_SALES))
        self.max_batch_bytes = max_batch_bytes
        self.failures_before_isolating = max(1, failures_before_isolating)
        self._lock = threading.Lock()
        self._strikes: dict[int, int] = {}  # first receipt of a failing request -> its content failures
        self._alone_through = 0  # receipts up to this one go one per request
        self._quarantined_in_a_row = 0  # for request failures, since a sale was last acknowledged

    def push_pending(self, max_batches: int | None = None) -> PushOutcome:
        """Send what waits, batch after batch, until the queue is empty or a request fails
        in a way that says to wait (see the module docstring)."""
        with self._lock:
            totals = PushOutcome()
            while max_batches is None or totals.batches < max_batches:
                messages = self.outbox.pending_messages(self.batch_size)
                if not messages:
                    self._alone_through = 0
                    break
                for batch in self._cut(messages):
                    try:
                        totals = totals.then(self._push_batch(batch))
                    except SyncError as error:
                        quarantined = self._failed(batch, error)
                        if quarantined is None:
                            return PushOutcome(totals.sent, totals.acknowledged, totals.duplicates,
                                               totals.quarantined, totals.batches, error)
                        totals = totals.then(PushOutcome(quarantined=quarantined))
                        break  # read the queue again: it is cut differently now
            return totals

    @property
    def isolating(self) -> bool:
        """Whether some sales are being sent alone (a request with them kept failing)."""
        return bool(self._alone_through)

    def _cut(self, messages: list[OutboxMessage]) -> list[list[OutboxMessage]]:
        alone = [[m] for m in messages if m.seq <= self._alone_through]
        if alone:
            return alone
        self._alone_through = 0
        return batches_of(messages, self.max_batch_bytes)

    def _push_batch(self, batch: list[OutboxMessage]) -> PushOutcome:
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
        if acknowledged:
            self._quarantined_in_a_row = 0
        for seq in acknowledged:
            self._strikes.pop(seq, None)
        return PushOutcome(sent=len(batch), acknowledged=len(acknowledged), duplicates=duplicates,
                           quarantined=quarantined, batches=1)

    def _failed(self, batch: list[OutboxMessage], error: SyncError) -> int | None:
        """Note a failed request; how many sales it quarantined (0 or 1), or None: stop and wait."""
        first = batch[0].seq
        self.outbox.note_failure([m.seq for m in batch], str(error))
        log.warning("pushing %d sale(s) from receipt %d failed: %s", len(batch), first, error)
        kind = failure_kind(error)
        if kind is Failure.WAIT:
            return None
        strikes = self._strikes.get(first, 0) + 1
        if len(batch) > 1:
            if kind is Failure.TOO_LARGE or strikes >= self.failures_before_isolating:
                self._strikes.pop(first, None)
                self._alone_through = max(self._alone_through, batch[-1].seq)
                log.warning("the %d sale(s) of receipts %d-%d are sent alone from now: a request with them "
                            "failed %d time(s): %s", len(batch), first, batch[-1].seq, strikes, error)
                return 0
            self._strikes[first] = strikes
            return None
        self._strikes[first] = strikes
        if strikes < self.failures_before_isolating or not self._may_quarantine(first):
            return None
        self._strikes.pop(first, None)
        self._quarantined_in_a_row += 1
        self.outbox.quarantine(first, f"{error.code}: {error.reason} (failed alone {strikes} times)")
        return 1

    def _may_quarantine(self, seq: int) -> bool:
        """Only when the failure is this sale's: the hub otherwise works (it answers a heartbeat
        now) and has not failed for several sales in a row with nothing acknowledged."""
        if self._quarantined_in_a_row >= MAX_QUARANTINED_IN_A_ROW:
            log.error("receipt %d keeps failing, but %d sales were quarantined in a row already: the hub "
                      "seems unable to store any sale; the queue waits", seq, self._quarantined_in_a_row)
            return False
        age = self.outbox.oldest_unsent_age()
        try:
            self.client.heartbeat(self.outbox.unsent_count(), None if age is None else int(age.total_seconds()))
        except SyncError as error:
            log.warning("receipt %d keeps failing, but the hub does not answer a heartbeat either (%s): "
                        "nothing is quarantined", seq, error)
            return False
        return True
