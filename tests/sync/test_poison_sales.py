"""One sale the hub cannot take never holds up the others: a real hub behind a proxy that
fails every batch holding that sale (with a 500, an undecodable answer, a 413).  The good
sales are acknowledged in receipt order, the poison one is quarantined with the hub's answer;
and a hub that is down, busy or failing everything never sends anything to quarantine."""

from __future__ import annotations

import pytest

from local_db.database import Database
from sync.errors import (
    BadAnswer,
    CredentialMissing,
    CredentialRefused,
    HubAddressInvalid,
    HubNotTrusted,
    HubUnreachable,
    NetworkSettingsUnusable,
    RequestNotSent,
    RequestRefused,
    SyncError,
)
from sync.link import Link
from sync.push import MAX_QUARANTINED_IN_A_ROW, Failure, failure_kind
from sync.service import TillSync
from sync.worker import SyncWorker
from tests.central.hub_process import free_port
from tests.sync.conftest import Hub
from tests.sync.faults import StatusWatch, TillHolds, enrol, hub_holds, record, till_holds, till_sync
from tests.sync.poison_proxy import INTERNAL_ERROR, NOT_GZIP, TOO_LARGE, poison_proxy
from tests.sync.proxy import proxy_to

pytestmark = pytest.mark.timeout(60)

ROUNDS = 20  # far more pushes than isolating one poison sale needs (2 x 3 failures)


def sale_id(sync: TillSync, seq: int) -> str:
    return next(str(m.sale_id) for m in sync.outbox.pending_messages(1000) if m.seq == seq)


def push_until_drained(sync: TillSync, rounds: int = ROUNDS) -> int:
    """Push as the worker would, round after round, until nothing waits; the rounds it took."""
    for done in range(1, rounds + 1):
        sync.push()
        if sync.outbox.unsent_count() == 0:
            return done
    raise AssertionError(f"still {sync.outbox.unsent_count()} sale(s) waiting after {rounds} pushes")


@pytest.mark.parametrize("answer", [INTERNAL_ERROR, NOT_GZIP], ids=["http-500", "gzip-that-is-not"])
def test_a_poison_sale_is_quarantined_and_the_good_ones_reach_the_hub_in_receipt_order(
        hub: Hub, till_db: Database, answer) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = till_sync(proxy.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 10)
        proxy.poison, proxy.answer = {sale_id(sync, 4)}, answer

        first = sync.push()
        assert first.error is not None and first.acknowledged == 0  # the whole batch of 10 failed

        rounds = push_until_drained(sync)

    assert rounds <= 2 * sync.pusher.failures_before_isolating
    assert hub_holds(hub.db).seqs == [1, 2, 3, 5, 6, 7, 8, 9, 10]
    assert proxy.stored_in_order() == [1, 2, 3, 5, 6, 7, 8, 9, 10]  # each once, in receipt order
    assert till_holds(till_db) == TillHolds(unsent=0, acknowledged=9, quarantined=1)
    [quarantined] = sync.outbox.quarantined()
    assert quarantined.seq == 4
    if answer is INTERNAL_ERROR:
        assert quarantined.reason.startswith("internal: HTTP 500 the hub failed")
    else:
        assert quarantined.reason.startswith("bad_answer:") and "cannot be decoded" in quarantined.reason
    assert "failed alone 3 times" in quarantined.reason
    assert sync.monitor.status().quarantined == 1 and sync.monitor.status().queue_length == 0


def test_a_quarantined_sale_put_back_by_a_manager_goes_through_once_the_hub_takes_it(
        hub: Hub, till_db: Database) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = till_sync(proxy.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 3)
        proxy.poison = {sale_id(sync, 2)}
        push_until_drained(sync)
        assert [q.seq for q in sync.outbox.quarantined()] == [2]

        proxy.poison = set()  # the hub was fixed
        assert sync.outbox.retry_quarantined(2)
        again = sync.push()

    assert again.error is None and again.acknowledged == 1
    assert hub_holds(hub.db).seqs == [1, 2, 3]
    assert till_holds(till_db) == TillHolds(unsent=0, acknowledged=3, quarantined=0)


def test_the_sync_worker_isolates_a_poison_sale_on_its_own(hub: Hub, till_db: Database) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = till_sync(proxy.url, till_db, enrol(hub.url, hub.db, till_db))
        watch = StatusWatch(sync)
        record(till_db, 6)
        proxy.poison = {sale_id(sync, 1)}  # the very first sale: everything else waits behind it today
        worker = SyncWorker(sync).start()
        try:
            done = watch.wait(lambda s: s.queue_length == 0 and s.quarantined == 1, 45)
        finally:
            worker.stop()

    assert done.link is Link.ONLINE
    assert hub_holds(hub.db).seqs == [2, 3, 4, 5, 6]
    assert [q.seq for q in sync.outbox.quarantined()] == [1]


def test_a_batch_the_hub_finds_too_large_is_sent_one_sale_at_a_time_at_once(hub: Hub, till_db: Database) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = till_sync(proxy.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 5)
        proxy.fail_every_batch, proxy.answer = True, TOO_LARGE

        refused = sync.push()
        assert isinstance(refused.error, RequestRefused) and refused.error.status == 413
        assert proxy.sizes == [5, 1]  # no second try of the batch: its sales went alone at once
        assert sync.pusher.isolating

        proxy.fail_every_batch = False
        drained = sync.push()

    assert drained.error is None and drained.acknowledged == 5 and drained.batches == 5
    assert proxy.sizes[2:] == [1, 1, 1, 1, 1]
    assert hub_holds(hub.db).seqs == [1, 2, 3, 4, 5]
    assert not sync.pusher.isolating  # the next sales go in batches again
    record(till_db, 3)
    assert sync.push().batches == 1


def test_a_hub_whose_sales_intake_fails_every_sale_quarantines_only_a_few_then_the_queue_waits(
        hub: Hub, till_db: Database) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = till_sync(proxy.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 10)
        proxy.fail_every_batch = True  # heartbeats still answered: the hub looks up
        outcomes = [sync.push() for _ in range(ROUNDS)]

    assert all(isinstance(o.error, HubUnreachable) for o in outcomes[-5:])
    assert [q.seq for q in sync.outbox.quarantined()] == list(range(1, MAX_QUARANTINED_IN_A_ROW + 1))
    assert till_holds(till_db) == TillHolds(unsent=10 - MAX_QUARANTINED_IN_A_ROW, acknowledged=0,
                                            quarantined=MAX_QUARANTINED_IN_A_ROW)
    assert hub_holds(hub.db).count == 0


def test_a_hub_that_fails_everything_heartbeats_too_quarantines_nothing(hub: Hub, till_db: Database) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = till_sync(proxy.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 4)
        proxy.fail_everything = True
        outcomes = [sync.push() for _ in range(ROUNDS)]
        assert proxy.failed_heartbeats > 0  # the sales were sent alone, and the hub was asked whether it is up

    assert all(isinstance(o.error, HubUnreachable) and o.error.status == 500 for o in outcomes)
    assert till_holds(till_db) == TillHolds(unsent=4, acknowledged=0, quarantined=0)


@pytest.mark.parametrize("status", [502, 503, 504, 429, 401, 403, 404])
def test_a_hub_answering_a_wait_or_credential_status_for_ever_quarantines_nothing(
        hub: Hub, till_db: Database, status: int) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = till_sync(proxy.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 4)
        proxy.fail_everything = True
        proxy.answer = (status, {"Content-Type": "application/json"}, b'{"error": "x", "detail": "injected"}')
        outcomes = [sync.push() for _ in range(ROUNDS)]

    assert all(o.error is not None and o.error.status == status for o in outcomes)
    assert set(proxy.sizes) == {4}  # never split: the sales are not at fault
    assert till_holds(till_db) == TillHolds(unsent=4, acknowledged=0, quarantined=0)


def test_a_hub_that_is_down_the_whole_time_quarantines_nothing_after_many_rounds(
        hub: Hub, till_db: Database) -> None:
    sync = till_sync(f"http://127.0.0.1:{free_port()}", till_db, enrol(hub.url, hub.db, till_db))
    record(till_db, 6)
    outcomes = [sync.push() for _ in range(ROUNDS)]

    assert all(isinstance(o.error, HubUnreachable) and o.error.status is None for o in outcomes)
    assert not sync.pusher.isolating
    assert till_holds(till_db) == TillHolds(unsent=6, acknowledged=0, quarantined=0)
    assert sync.monitor.status().link is Link.OFFLINE


def test_a_link_that_cuts_every_answer_quarantines_nothing(hub: Hub, till_db: Database) -> None:
    with proxy_to(hub.url) as link:
        sync = till_sync(link.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 3)
        link.cut_next_responses(10_000)  # the hub stores the sales, the till never hears so
        outcomes = [sync.push() for _ in range(ROUNDS)]
        assert all(isinstance(o.error, HubUnreachable) and o.error.status is None for o in outcomes)
        assert till_holds(till_db) == TillHolds(unsent=3, acknowledged=0, quarantined=0)
        link.cut_next_responses(0)
        back = sync.push()

    assert back.error is None and back.duplicates == 3
    assert till_holds(till_db) == TillHolds(unsent=0, acknowledged=3, quarantined=0)


def test_kassa_sync_style_one_call_isolates_the_poison_sale_in_one_run(hub: Hub, till_db: Database) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = till_sync(proxy.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 5)
        proxy.poison, proxy.answer = {sale_id(sync, 3)}, NOT_GZIP
        done = sync.sync_now()

    assert done.push.error is None, done.describe()
    assert (done.push.acknowledged, done.push.quarantined) == (4, 1)
    assert done.pull_error is None
    assert [q.seq for q in sync.outbox.quarantined()] == [3]
    assert hub_holds(hub.db).seqs == [1, 2, 4, 5]


@pytest.mark.parametrize(("error", "kind"), [
    (HubUnreachable(code="transport", reason="ConnectError"), Failure.WAIT),
    (HubUnreachable(status=503, reason="HTTP 503"), Failure.WAIT),
    (HubUnreachable(status=502, reason="HTTP 502"), Failure.WAIT),
    (HubUnreachable(status=429, reason="HTTP 429"), Failure.WAIT),
    (HubUnreachable(status=500, reason="HTTP 500"), Failure.CONTENT),
    (HubUnreachable(status=501, reason="HTTP 501"), Failure.CONTENT),
    (CredentialRefused(status=401), Failure.WAIT),
    (RequestRefused(status=403, reason="HTTP 403"), Failure.WAIT),
    (RequestRefused(status=404, reason="HTTP 404"), Failure.WAIT),
    (RequestRefused(status=408, reason="HTTP 408"), Failure.WAIT),
    (RequestRefused(status=400, reason="HTTP 400"), Failure.CONTENT),
    (RequestRefused(status=422, reason="HTTP 422"), Failure.CONTENT),
    (RequestRefused(status=413, reason="HTTP 413"), Failure.TOO_LARGE),
    (BadAnswer(reason="not JSON"), Failure.CONTENT),
    (BadAnswer(status=302, reason="unexpected HTTP status 302"), Failure.WAIT),
    (HubNotTrusted(reason="unknown CA"), Failure.WAIT),
    (CredentialMissing(reason="nothing stored"), Failure.WAIT),
    (HubAddressInvalid(reason="no http://"), Failure.WAIT),
    (RequestNotSent(reason="a newline"), Failure.WAIT),
    (NetworkSettingsUnusable(reason="ALL_PROXY"), Failure.WAIT),
])
def test_only_failures_that_can_be_a_sales_fault_ever_lead_to_quarantine(error: SyncError, kind: Failure) -> None:
    assert failure_kind(error) is kind
