"""Invariants of the documents' push under any run of failures, driven by Hypothesis (as
tests/sync/test_push_properties.py does for sales): a real SQLite till with a store day,
the real SalePusher and HubClient, and a small in-memory implementation of
``POST /v1/documents`` (stored by document_id, exactly once) whose answers follow a
generated script, while requests holding a "poison" document get a 500.

* Failures that are not a document's fault (cut, lost, 503, 429) never quarantine anything.
* A poison document is quarantined; without 500s or garbage in the script, only those.
* Every other document ends acknowledged and stored at the hub once, in outbox order.

Bounded for CI; ``KASSA_SOAK=1`` tries many more runs."""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local_db.database import open_database
from local_db.outbox import SqlOutbox
from local_db.store_day_journal import SqlStoreDay
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import CASH_IN
from sync.hub_client import HubClient, RetryPolicy
from sync.push import FAILURES_BEFORE_ISOLATING, SalePusher
from tests.local_db.store_day_builders import open_shift
from tests.pos.store_day.day import MANAGER, TILL, at, money
from tests.sync.test_push_properties import CONTENT, HUB_TIME, RUNS, WAITS, serving

DOCUMENTS = 8  # the shift's opening and seven cash movements


class DocumentScriptHub:
    """Stores documents by document_id (each once) and answers as the script says, then "ok"."""

    def __init__(self, script: list[str], poison: set[str]) -> None:
        self.script, self.poison = list(script), poison
        self.stored: dict[str, str] = {}
        self.arrivals: list[str] = []
        self.lock = threading.Lock()

    def answer(self, path: str, body: bytes) -> tuple[int, bytes] | None:
        with self.lock:
            event = self.script.pop(0) if self.script else "ok"
            if event == "cut":
                return None
            if event in ("503", "429", "500"):
                return int(event), b'{"error": "scripted", "detail": "scripted"}'
            if event == "garbage":
                return 200, b"\x00not json"
            if path != "/v1/documents":
                return 200, json.dumps({"hub_time": HUB_TIME}).encode()  # the heartbeat
            documents = json.loads(body)["documents"]
            if any(d["document_id"] in self.poison for d in documents):
                return 500, b'{"error": "internal", "detail": "poison"}'
            results = []
            for d in documents:
                key = d["document_id"]
                if key in self.stored:
                    status = "duplicate" if self.stored[key] == json.dumps(d["body"]) else "rejected"
                else:
                    self.stored[key] = json.dumps(d["body"])
                    self.arrivals.append(key)
                    status = "accepted"
                results.append({"document_id": key, "status": status,
                                **({"reason": "conflict"} if status == "rejected" else {})})
            answer = json.dumps({"results": results, "hub_time": HUB_TIME}).encode()
            return None if event == "lost" else (200, answer)


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "till.sqlite3"
        db = open_database(path)
        store = SqlStoreDay(db, TILL)
        shift = open_shift(store)
        for minute in range(DOCUMENTS - 1):
            store.record_cash_movement(shift.move_cash(CASH_IN, money("1"), "change", MANAGER, at(minute),
                                                       DEFAULT_TABLE))
        db.close()
        yield path


@settings(max_examples=RUNS, deadline=None, suppress_health_check=list(HealthCheck))
@given(script=st.lists(st.sampled_from(("ok",) + WAITS + CONTENT), max_size=40),
       poison=st.sets(st.integers(0, DOCUMENTS - 1), max_size=2), batch_size=st.integers(1, 8))
def test_documents_drain_past_poison_ones_in_order_and_waits_never_quarantine(
        template: Path, script: list[str], poison: set[int], batch_size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "till.sqlite3"
        path.write_bytes(template.read_bytes())
        db = open_database(path)
        outbox = SqlOutbox(db)
        order = [str(m.document.document_id) for m in outbox.pending_documents(100)]
        bad = {order[i] for i in poison}
        hub = DocumentScriptHub(script, bad)
        with serving(hub) as url, HubClient(url, "kt1.a.b", retry=RetryPolicy(attempts=1)) as client:
            pusher = SalePusher(client, outbox, batch_size=batch_size)
            rounds = 0
            while outbox.unsent_count() and rounds < len(script) + 4 * FAILURES_BEFORE_ISOLATING * 3:
                pusher.push_pending()
                rounds += 1
            quarantined = {str(q.message.document.document_id) for q in outbox.quarantined_documents()}
            unsent = outbox.unsent_count()
        db.close()

    assert unsent == 0, f"still {unsent} waiting after {rounds} rounds"
    assert bad <= quarantined
    if not any(event in CONTENT for event in script):
        assert quarantined == bad
    good = [d for d in order if d not in quarantined]
    assert set(good) <= set(hub.stored)
    assert hub.arrivals == [d for d in order if d in hub.arrivals]  # in outbox order
