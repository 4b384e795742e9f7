"""The link between the till and a real hub process breaks in the ways shops see: the hub
is down, slow, answering 500s, or the connection dies half-way through a request.  In
every case the till keeps every sale, the hub stores each exactly once, and the link
state says what is going on."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from local_db.database import Database
from sync.errors import HubUnreachable
from sync.link import Link
from sync.worker import SyncWorker
from tests.central.hub_process import free_port, hub_process
from tests.sync.conftest import Hub
from tests.sync.faults import (
    FAST_RETRY,
    StatusWatch,
    TillHolds,
    assert_each_sale_once,
    enrol,
    hub_holds,
    record,
    till_holds,
    till_sync,
)
from tests.sync.proxy import proxy_to

pytestmark = pytest.mark.timeout(20)


def test_with_no_hub_listening_the_till_keeps_its_sales_goes_offline_and_drains_when_the_hub_starts(
        hub: Hub, till_db: Database, tmp_path: Path) -> None:
    port = free_port()  # nothing listens here until the test starts a hub on it
    down_url = f"http://127.0.0.1:{port}"
    sync = till_sync(down_url, till_db, enrol(hub.url, hub.db, till_db))
    watch = StatusWatch(sync)
    record(till_db, 8)
    worker = SyncWorker(sync).start()
    try:
        offline = watch.wait(lambda s: s.link is Link.OFFLINE and s.problem != "" and s.queue_length == 8, 10)
        assert down_url in offline.problem and "cannot be reached" in offline.problem
        assert "ConnectError" in offline.problem
        assert watch.links == [Link.OFFLINE]  # never reached: offline from the first failure, never "degraded"
        assert till_holds(till_db) == TillHolds(unsent=8, acknowledged=0, quarantined=0)
        assert hub_holds(hub.db).count == 0

        with hub_process(f"sqlite:///{tmp_path / 'hub.sqlite3'}", port=port):  # the hub comes up
            worker.wake()
            online = watch.wait(lambda s: s.link is Link.ONLINE and s.queue_length == 0, 10)
            assert online.problem == "" and online.last_push_at is not None
            assert watch.links == [Link.OFFLINE, Link.ONLINE]
    finally:
        worker.stop()

    assert_each_sale_once(hub.db, till_db, 8)


def test_a_hub_slower_than_the_read_timeout_is_given_up_on_and_the_retry_is_answered_duplicate(
        hub: Hub, till_db: Database, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sync.hub_client")
    with proxy_to(hub.url) as link:
        sync = till_sync(link.url, till_db, enrol(hub.url, hub.db, till_db), timeout=0.5)
        record(till_db, 12)
        link.delay_next_answers(1, 3600)  # the hub works at once; its answer is held back for an hour

        outcome = sync.push()  # it returns only because the till stopped waiting: no clock needed

    assert outcome.error is None and outcome.acknowledged == 12
    assert outcome.duplicates == 12  # the hub had committed the batch the till gave up on
    retries = [r.getMessage() for r in caplog.records if "trying again" in r.getMessage()]
    assert len(retries) == 1 and "ReadTimeout" in retries[0]
    assert sync.monitor.status().link is Link.ONLINE
    assert_each_sale_once(hub.db, till_db, 12)


def test_while_the_hub_answers_500_nothing_is_acknowledged_and_the_queue_drains_once_it_recovers(
        hub: Hub, till_db: Database) -> None:
    with proxy_to(hub.url) as link:
        sync = till_sync(link.url, till_db, enrol(hub.url, hub.db, till_db))
        assert sync.heartbeat() is None and sync.monitor.status().link is Link.ONLINE
        record(till_db, 10)
        link.answer_next_requests(2 * FAST_RETRY.attempts, status=500)  # two pushes' worth of tries

        first = sync.push()
        assert isinstance(first.error, HubUnreachable) and first.error.status == 500
        assert first.acknowledged == 0
        assert sync.monitor.status().link is Link.DEGRADED  # one failure after a good exchange: maybe a blip
        assert "HTTP 500" in sync.monitor.status().problem

        second = sync.push()
        assert isinstance(second.error, HubUnreachable)
        assert sync.monitor.status().link is Link.OFFLINE
        assert link.canned_answers == 2 * FAST_RETRY.attempts
        assert till_holds(till_db) == TillHolds(unsent=10, acknowledged=0, quarantined=0)
        assert hub_holds(hub.db).count == 0 and sync.monitor.status().queue_length == 10

        recovered = sync.push()

    assert recovered.error is None and (recovered.acknowledged, recovered.duplicates) == (10, 0)
    assert sync.monitor.status().link is Link.ONLINE and sync.monitor.status().problem == ""
    assert_each_sale_once(hub.db, till_db, 10)


def test_a_request_cut_part_way_through_its_body_stores_nothing_and_the_retry_stores_each_sale_once(
        hub: Hub, till_db: Database) -> None:
    part = 2048
    with proxy_to(hub.url) as link:
        sync = till_sync(link.url, till_db, enrol(hub.url, hub.db, till_db))
        record(till_db, 40)  # a body of far more than ``part`` bytes
        body_size = sum(len(m.payload.encode()) for m in sync.outbox.pending_messages(100))
        assert body_size > 8 * part
        link.cut_next_requests(FAST_RETRY.attempts, after_bytes=part)

        cut = sync.push()
        assert isinstance(cut.error, HubUnreachable) and cut.acknowledged == 0
        assert link.requests_cut == FAST_RETRY.attempts
        assert link.forwarded_up == FAST_RETRY.attempts * part  # the hub got headers and a piece of body, no more
        assert till_holds(till_db) == TillHolds(unsent=40, acknowledged=0, quarantined=0)

        retried = sync.push()

    # accepted, not duplicate: nothing of the cut requests had been stored
    assert retried.error is None and (retried.acknowledged, retried.duplicates) == (40, 0)
    assert_each_sale_once(hub.db, till_db, 40)
