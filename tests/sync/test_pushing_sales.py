"""Queued sales reach a real hub process exactly once, whatever the link does."""

from __future__ import annotations

import threading

import pytest

from central.sales_intake import receive_batch
from central.stores import TillIdentity
from local_db.journal import SqlJournal
from local_db.outbox import SqlOutbox
from pos.codec import sale_to_dict
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from sync.errors import CredentialRefused, HubUnreachable
from sync.link import Link
from tests.fakes import DEMO_PRODUCTS, SHAMPOO, STORE, MemoryCashiers, MemoryCatalog, StepClock, product
from tests.central.shop import make_sales
from tests.local_db.conftest import make_sql_till, sell
from tests.sync.conftest import FAST_RETRY, Hub, connect
from tests.sync.proxy import proxy_to

NOT_AT_THE_HUB = product("1009", "Парфум, пробник", "10.00")


def record(journal: SqlJournal, count: int) -> None:
    till = make_sql_till(journal)
    for _ in range(count):
        sell(till, SHAMPOO.barcode)


def test_sales_recorded_offline_reach_the_hub_when_it_comes_up(hub: Hub, till_db, journal) -> None:
    with proxy_to(hub.url) as link:
        sync = connect(link.url, till_db, hub, enrol_through=hub.url)
        link.refuse()
        record(journal, 5)

        offline = sync.push()
        assert isinstance(offline.error, HubUnreachable) and offline.acknowledged == 0
        sync.push()
        assert sync.monitor.status().link is Link.OFFLINE
        assert sync.monitor.status().queue_length == 5 and hub.sale_count() == 0

        link.refuse(False)
        back = sync.push()

    assert back.error is None and back.acknowledged == 5
    assert hub.seqs() == [1, 2, 3, 4, 5]
    assert sync.monitor.status().link is Link.ONLINE and sync.monitor.status().queue_length == 0


def test_a_batch_whose_answer_is_lost_is_sent_again_and_the_hub_counts_each_sale_once(hub: Hub, till_db, journal) -> None:
    with proxy_to(hub.url) as link:
        sync = connect(link.url, till_db, hub, enrol_through=hub.url)
        record(journal, 12)
        link.cut_next_responses(FAST_RETRY.attempts)  # every try of the exchange loses its answer

        lost = sync.push()
        assert isinstance(lost.error, HubUnreachable)
        assert hub.sale_count() == 12  # the hub committed the batch...
        assert SqlOutbox(till_db).unsent_count() == 12  # ...but the till never heard so
        assert link.responses_cut == FAST_RETRY.attempts

        again = sync.push()

    assert again.error is None and again.duplicates == 12 and again.acknowledged == 12
    assert hub.sale_count() == 12 == SqlOutbox(till_db).acknowledged_count()
    assert hub.seqs() == list(range(1, 13))


def hub_holds_another_sale_as(hub: Hub, seq: int) -> None:
    """The hub holds another sale under this till's receipt number ``seq`` (the till's database was
    put back from an old backup and numbers its sales again): the till's own is not the hub's to take."""
    till = TillIdentity(STORE.store_id, STORE.till_id)
    [answer] = receive_batch(hub.db, till, [(seq, sale_to_dict(make_sales(1, till, first_seq=seq)[0]))])
    assert answer["status"] == "accepted"


def test_a_rejected_sale_goes_to_quarantine_and_does_not_block_the_queue(hub: Hub, till_db, journal) -> None:
    sync = connect(hub.url, till_db, hub)
    till = Till(TillSettings(STORE, CashPolicy()), catalog=MemoryCatalog(DEMO_PRODUCTS), journal=journal,
                baskets=journal, cashiers=MemoryCashiers(), clock=StepClock())
    hub_holds_another_sale_as(hub, 2)
    for _ in range(3):
        sell(till, SHAMPOO.barcode)

    outcome = sync.push()
    quarantined = sync.outbox.quarantined()

    assert outcome.error is None and (outcome.acknowledged, outcome.quarantined) == (2, 1)
    assert hub.seqs() == [1, 2, 3]
    assert [q.seq for q in quarantined] == [2]
    assert quarantined[0].reason.startswith("seq_conflict")
    assert sync.outbox.unsent_count() == 0 and sync.monitor.status().quarantined == 1

    assert sync.outbox.retry_quarantined(2)
    assert sync.push().quarantined == 1  # the hub still holds the other sale: back in quarantine
    assert [q.seq for q in sync.outbox.quarantined()] == [2] and quarantined[0].attempts >= 1


def test_a_sale_of_a_product_the_hub_does_not_know_is_acknowledged_never_quarantined(hub: Hub, till_db,
                                                                                     journal) -> None:
    """The customer paid: the hub stores the sale and flags it for review (issue 12)."""
    sync = connect(hub.url, till_db, hub)
    till = Till(TillSettings(STORE, CashPolicy()), catalog=MemoryCatalog((*DEMO_PRODUCTS, NOT_AT_THE_HUB)),
                journal=journal, baskets=journal, cashiers=MemoryCashiers(), clock=StepClock())
    sell(till, SHAMPOO.barcode)
    sell(till, NOT_AT_THE_HUB.barcode)

    outcome = sync.push()

    assert outcome.error is None and (outcome.acknowledged, outcome.quarantined) == (2, 0)
    assert hub.seqs() == [1, 2] and sync.outbox.quarantined() == []


def test_a_wrong_credential_is_refused_with_a_message_that_says_what_to_do(hub: Hub, till_db, journal) -> None:
    sync = connect(hub.url, till_db, hub)
    record(journal, 1)
    sync.client.credential = "kt1.AAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

    refused = sync.push()

    assert isinstance(refused.error, CredentialRefused)
    assert "kassa enrol" in refused.error.user_message() and hub.url in refused.error.user_message()
    assert sync.monitor.status().link is Link.DEGRADED
    assert SqlOutbox(till_db).unsent_count() == 1 and hub.sale_count() == 0


def test_a_revoked_till_is_refused(hub: Hub, till_db, journal) -> None:
    from central.enrolment import revoke
    from central.stores import TillIdentity

    sync = connect(hub.url, till_db, hub)
    record(journal, 1)
    revoke(hub.db, TillIdentity(STORE.store_id, STORE.till_id))

    with pytest.raises(CredentialRefused):
        sync.client.heartbeat(1, 0)
    assert isinstance(sync.push().error, CredentialRefused)


def test_with_the_link_up_a_recorded_sale_reaches_the_hub_quickly(hub: Hub, till_db, journal) -> None:
    from sync.worker import SyncWorker

    sync = connect(hub.url, till_db, hub)
    before = sync.monitor.status().last_push_at
    pushed = threading.Event()
    sync.monitor.listen(lambda status: pushed.set() if status.last_push_at != before else None)
    record(journal, 1)  # before the worker starts: its first successful push carries this sale
    worker = SyncWorker(sync).start()
    try:
        worker.wake()
        assert pushed.wait(120), "the worker never pushed"  # a safety net: how fast is for benchmarks/sync_bench.py
        assert hub.sale_count() == 1
    finally:
        worker.stop()
    assert sync.outbox.unsent_count() == 0
