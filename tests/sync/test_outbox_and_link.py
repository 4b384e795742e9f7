"""The SQLite outbox keeps order and never loses a sale; the link state follows outcomes."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local_db.database import open_database
from local_db.journal import SqlJournal
from local_db.outbox import SqlOutbox
from sync.errors import BadAnswer, HubUnreachable
from sync.link import Link, LinkMonitor
from tests.fakes import SHAMPOO, STORE
from tests.local_db.conftest import make_sql_till, sell

actions = st.lists(st.tuples(st.sampled_from(["ack", "quarantine", "retry", "fail"]), st.integers(1, 8)), max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions)
def test_the_outbox_sends_oldest_first_and_every_sale_is_waiting_quarantined_or_acknowledged(steps) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "till.sqlite3")
        till = make_sql_till(SqlJournal(db, STORE.till_id))
        for _ in range(8):
            sell(till, SHAMPOO.barcode)
        outbox = SqlOutbox(db)
        acked: set[int] = set()
        quarantined: set[int] = set()
        for action, seq in steps:
            if action == "ack":
                outbox.acknowledge([seq])
                acked.add(seq)
                quarantined.discard(seq)
            elif action == "quarantine":
                outbox.quarantine(seq, "totals: test")
                if seq not in acked:
                    quarantined.add(seq)
            elif action == "retry":
                outbox.retry_quarantined(seq)
                quarantined.discard(seq)
            else:
                outbox.note_failure([seq], "link down")
        waiting = [m.seq for m in outbox.pending_messages(100)]
        assert waiting == sorted(set(range(1, 9)) - acked - quarantined)
        assert [q.seq for q in outbox.quarantined()] == sorted(quarantined)
        assert outbox.unsent_count() + outbox.quarantined_count() + outbox.acknowledged_count() == 8
        assert [m.seq for m in outbox.pending_messages(2)] == waiting[:2]
        db.close()


def test_the_oldest_unsent_age_counts_from_the_oldest_waiting_sale(tmp_path: Path) -> None:
    db = open_database(tmp_path / "till.sqlite3")
    outbox = SqlOutbox(db)
    assert outbox.oldest_unsent_age() is None
    sell(make_sql_till(SqlJournal(db, STORE.till_id)), SHAMPOO.barcode)
    oldest = outbox.oldest_unsent_at()
    assert oldest is not None
    assert outbox.oldest_unsent_age(oldest + timedelta(seconds=90)) == timedelta(seconds=90)
    outbox.acknowledge([1])
    assert outbox.oldest_unsent_age() is None


def test_the_link_goes_offline_after_two_failed_exchanges_and_online_after_one_good_one() -> None:
    seen: list[Link] = []
    monitor = LinkMonitor("https://hub")
    monitor.listen(lambda status: seen.append(status.link))
    down = HubUnreachable(hub="https://hub", reason="connection refused")

    monitor.succeeded()
    monitor.failed(down)
    monitor.failed(down)
    monitor.succeeded(pushed=True)
    monitor.failed(BadAnswer(hub="https://hub", reason="not JSON"))

    assert seen == [Link.ONLINE, Link.DEGRADED, Link.OFFLINE, Link.ONLINE, Link.DEGRADED]
    status = monitor.status()
    assert "not JSON" in status.problem and status.last_push_at is not None


def test_a_status_is_immutable_and_tells_the_age_of_the_oldest_unsent_sale() -> None:
    now = datetime(2026, 2, 1, 12, 0, tzinfo=timezone.utc)
    status = LinkMonitor().counted(queue_length=3, quarantined=0, oldest_unsent_at=now - timedelta(minutes=5))
    assert status.oldest_unsent_age(now) == timedelta(minutes=5)
    try:
        status.queue_length = 0  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("SyncStatus must be immutable")
