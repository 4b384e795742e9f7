"""Pushing the outbox to the hub: sales in receipt order, then the store's day documents in
outbox order, in batches.

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

The store's day documents (returns, cash movements, approvals, cancelled sales, shift
events, Z reports) go the same way through ``POST /v1/documents`` after the sales, in the
order their outbox rows were written, under the same rules: each lane (``SaleLane``,
``DocumentLane``) has its own batches, strikes and isolation; a document the hub rejects is
quarantined with its reason and does not hold up the rest.  A hub without the documents
endpoint (404: an older hub) is a wait: the documents stay queued, the sales still go.

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
from typing import Protocol, TypeVar

from local_db.outbox import DocumentRow
from sync.errors import BadAnswer, HubUnreachable, RequestRefused, SyncError
from sync.hub_client import HubClient
from sync.outbox import DocumentOutbox, QuarantiningOutbox

log = logging.getLogger(__name__)


class _HasPayload(Protocol):
    @property
    def payload(self) -> str: ...


M = TypeVar("M", bound=_HasPayload)

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


def batches_of(messages: Sequence[M], max_bytes: int = MAX_BATCH_BYTES) -> list[list[M]]:
    """Consecutive runs of messages whose JSON fits in ``max_bytes`` (one message always fits)."""
    cut: list[list[M]] = []
    current: list[M] = []
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


@dataclass(frozen=True, slots=True)
class Queued:
    """One outbox row as a lane sends it: ``seq`` orders it (a sale's receipt number, a
    document's outbox row), ``key`` is the id the hub answers by."""

    seq: int
    key: str
    payload: str


@dataclass(frozen=True, slots=True)
class Answer:
    key: str
    status: str
    reason: str | None
    detail: str | None


class Lane(Protocol):
    """One kind of outbox row and its endpoint: sales (``POST /v1/sales/batch``) or the
    store's day documents (``POST /v1/documents``)."""

    noun: str  # "sale" or "document", for the log
    by: str  # what ``seq`` is: "receipt" or "outbox row"

    def pending(self, limit: int) -> list[Queued]: ...

    def send(self, batch: list[Queued]) -> list[Answer]: ...

    def acknowledge(self, seqs: Sequence[int]) -> None: ...

    def note_failure(self, seqs: Sequence[int], error: str) -> None: ...

    def quarantine(self, seq: int, reason: str) -> None: ...


class SaleLane:
    noun, by = "sale", "receipt"

    def __init__(self, client: HubClient, outbox: QuarantiningOutbox) -> None:
        self.client = client
        self.outbox = outbox

    def pending(self, limit: int) -> list[Queued]:
        return [Queued(m.seq, str(m.sale_id), m.payload) for m in self.outbox.pending_messages(limit)]

    def send(self, batch: list[Queued]) -> list[Answer]:
        results = self.client.push_sales([(q.seq, q.payload) for q in batch])
        return [Answer(r.sale_id, r.status, r.reason, r.detail) for r in results]

    def acknowledge(self, seqs: Sequence[int]) -> None:
        self.outbox.acknowledge(seqs)

    def note_failure(self, seqs: Sequence[int], error: str) -> None:
        self.outbox.note_failure(seqs, error)

    def quarantine(self, seq: int, reason: str) -> None:
        self.outbox.quarantine(seq, reason)


class DocumentLane:
    noun, by = "document", "outbox row"

    def __init__(self, client: HubClient, outbox: DocumentOutbox) -> None:
        self.client = client
        self.outbox = outbox
        self._rows: dict[int, DocumentRow] = {}

    def pending(self, limit: int) -> list[Queued]:
        messages = self.outbox.pending_documents(limit)
        self._rows = {m.row_id: m.document for m in messages}
        return [Queued(m.row_id, str(m.document.document_id), m.document.payload) for m in messages]

    def send(self, batch: list[Queued]) -> list[Answer]:
        results = self.client.push_documents([self._rows[q.seq] for q in batch])
        return [Answer(r.document_id, r.status, r.reason, r.detail) for r in results]

    def acknowledge(self, seqs: Sequence[int]) -> None:
        self.outbox.acknowledge_documents(seqs)

    def note_failure(self, seqs: Sequence[int], error: str) -> None:
        self.outbox.note_document_failure(seqs, error)

    def quarantine(self, seq: int, reason: str) -> None:
        self.outbox.quarantine_document(seq, reason)


class SalePusher:
    """Pushes the outbox: the sales, then the store's day documents (when the outbox has
    them), each lane in its own order with the rules of the module docstring."""

    def __init__(self, client: HubClient, outbox: QuarantiningOutbox, *, batch_size: int = 200,
                 max_batch_bytes: int = MAX_BATCH_BYTES,
                 failures_before_isolating: int = FAILURES_BEFORE_ISOLATING) -> None:
        self.client = client
        self.outbox = outbox
        self.batch_size = max(1, min(batch_size, MAX_BATCH_SALES))
        self.max_batch_bytes = max_batch_bytes
        self.failures_before_isolating = max(1, failures_before_isolating)
        lanes: list[Lane] = [SaleLane(client, outbox)]
        if isinstance(outbox, DocumentOutbox):
            lanes.append(DocumentLane(client, outbox))
        self._lanes = [_LanePusher(lane, self, batch_size=batch_size, max_batch_bytes=max_batch_bytes,
                                   failures_before_isolating=failures_before_isolating) for lane in lanes]
        self._lock = threading.Lock()
        self._quarantined_in_a_row = 0  # for request failures, since a row was last acknowledged

    def push_pending(self, max_batches: int | None = None) -> PushOutcome:
        """Send what waits, batch after batch, lane after lane, until the queues are empty or
        a request fails in a way that says to wait (see the module docstring)."""
        with self._lock:
            totals = PushOutcome()
            for lane in self._lanes:
                left = None if max_batches is None else max_batches - totals.batches
                if left is not None and left <= 0:
                    break
                totals = totals.then(lane.push_pending(left))
                if totals.error is not None:
                    break
            return totals

    @property
    def isolating(self) -> bool:
        """Whether some rows are being sent alone (a request with them kept failing)."""
        return any(lane.isolating for lane in self._lanes)

    def may_quarantine(self, noun: str, seq: int) -> bool:
        """Only when the failure is this row's: the hub otherwise works (it answers a heartbeat
        now) and has not failed for several rows in a row with nothing acknowledged."""
        if self._quarantined_in_a_row >= MAX_QUARANTINED_IN_A_ROW:
            log.error("%s %d keeps failing, but %d rows were quarantined in a row already: the hub "
                      "seems unable to store any; the queue waits", noun, seq, self._quarantined_in_a_row)
            return False
        age = self.outbox.oldest_unsent_age()
        try:
            self.client.heartbeat(self.outbox.unsent_count(), None if age is None else int(age.total_seconds()))
        except SyncError as error:
            log.warning("%s %d keeps failing, but the hub does not answer a heartbeat either (%s): "
                        "nothing is quarantined", noun, seq, error)
            return False
        return True

    def quarantined_one(self) -> None:
        self._quarantined_in_a_row += 1

    def acknowledged_some(self) -> None:
        self._quarantined_in_a_row = 0


class _LanePusher:
    def __init__(self, lane: Lane, pusher: SalePusher, *, batch_size: int, max_batch_bytes: int,
                 failures_before_isolating: int) -> None:
        self.lane = lane
        self.pusher = pusher
        self.batch_size = max(1, min(batch_size, MAX_BATCH_SALES))
        self.max_batch_bytes = max_batch_bytes
        self.failures_before_isolating = max(1, failures_before_isolating)
        self._strikes: dict[int, int] = {}  # first seq of a failing request -> its content failures
        self._alone_through = 0  # rows up to this seq go one per request

    def push_pending(self, max_batches: int | None = None) -> PushOutcome:
        totals = PushOutcome()
        while max_batches is None or totals.batches < max_batches:
            messages = self.lane.pending(self.batch_size)
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
        return bool(self._alone_through)

    def _cut(self, messages: list[Queued]) -> list[list[Queued]]:
        alone = [[m] for m in messages if m.seq <= self._alone_through]
        if alone:
            return alone
        self._alone_through = 0
        return batches_of(messages, self.max_batch_bytes)

    def _push_batch(self, batch: list[Queued]) -> PushOutcome:
        results = self.lane.send(batch)
        by_key = {m.key: m for m in batch}
        answered = {r.key for r in results}
        if answered != set(by_key):
            raise BadAnswer(hub=self.pusher.client.base_url, code="bad_answer",
                            reason=f"the batch answer does not name exactly the {self.lane.noun}s sent")
        acknowledged: list[int] = []
        duplicates = quarantined = 0
        for result in results:
            message = by_key[result.key]
            if result.status in ("accepted", "duplicate"):
                acknowledged.append(message.seq)
                duplicates += result.status == "duplicate"
            else:
                self.lane.quarantine(message.seq, f"{result.reason or 'rejected'}: {result.detail or ''}".strip())
                quarantined += 1
        self.lane.acknowledge(acknowledged)
        if acknowledged:
            self.pusher.acknowledged_some()
        for seq in acknowledged:
            self._strikes.pop(seq, None)
        return PushOutcome(sent=len(batch), acknowledged=len(acknowledged), duplicates=duplicates,
                           quarantined=quarantined, batches=1)

    def _failed(self, batch: list[Queued], error: SyncError) -> int | None:
        """Note a failed request; how many rows it quarantined (0 or 1), or None: stop and wait."""
        first, noun, by = batch[0].seq, self.lane.noun, self.lane.by
        self.lane.note_failure([m.seq for m in batch], str(error))
        log.warning("pushing %d %s(s) from %s %d failed: %s", len(batch), noun, by, first, error)
        kind = failure_kind(error)
        if kind is Failure.WAIT:
            return None
        strikes = self._strikes.get(first, 0) + 1
        if len(batch) > 1:
            if kind is Failure.TOO_LARGE or strikes >= self.failures_before_isolating:
                self._strikes.pop(first, None)
                self._alone_through = max(self._alone_through, batch[-1].seq)
                log.warning("the %d %s(s) of %ss %d-%d are sent alone from now: a request with them "
                            "failed %d time(s): %s", len(batch), noun, by, first, batch[-1].seq, strikes, error)
                return 0
            self._strikes[first] = strikes
            return None
        self._strikes[first] = strikes
        if strikes < self.failures_before_isolating or not self.pusher.may_quarantine(f"{noun} at {by}", first):
            return None
        self._strikes.pop(first, None)
        self.pusher.quarantined_one()
        self.lane.quarantine(first, f"{error.code}: {error.reason} (failed alone {strikes} times)")
        return 1
