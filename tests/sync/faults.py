"""Helpers for the fault tests: a till enrolled with a real hub but talking to it through
whatever URL the test chooses (a proxy, a port nothing listens on, HTTPS), waiting on the
link state instead of sleeping, and what the hub holds, counted in its database."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from central.database import HubDatabase
from central.enrolment import make_enrolment_code
from central.stores import TillIdentity
from central.tables import sales
from local_db.database import Database
from local_db.journal import SqlJournal
from local_db.outbox import SqlOutbox
from sync.credentials import FileStore
from sync.enrolment import enrol_till
from sync.hub_client import HubClient, RetryPolicy
from sync.link import Link, SyncStatus
from sync.service import SyncConfig, TillSync
from tests.fakes import SHAMPOO, STORE
from tests.local_db.conftest import make_sql_till, sell

FAST_RETRY = RetryPolicy(attempts=2, first_wait=0.05, max_wait=0.2)


def enrol(enrol_url: str, hub_db: HubDatabase, till_db: Database, *, ca_bundle: Path | None = None) -> str:
    """Enrol the till through ``enrol_url``; its credential."""
    code = make_enrolment_code(hub_db, TillIdentity(STORE.store_id, STORE.till_id))
    with HubClient(enrol_url, ca_bundle=ca_bundle, retry=FAST_RETRY) as client:
        return enrol_till(till_db, client, code, FileStore(till_db.path.parent),
                          store_id=STORE.store_id, till_id=STORE.till_id).credential


def till_sync(url: str, till_db: Database, credential: str, *, timeout: float = 5.0, retry: RetryPolicy = FAST_RETRY,
              ca_bundle: Path | None = None, batch_size: int = 200) -> TillSync:
    config = SyncConfig(url, ca_bundle=ca_bundle, push_batch_size=batch_size, push_interval_seconds=0.5,
                        pull_interval_seconds=3600, timeout=timeout, retry=retry)
    return TillSync(till_db, HubClient(url, credential, ca_bundle=ca_bundle, timeout=timeout, retry=retry), config)


def record(till_db: Database, count: int) -> None:
    till = make_sql_till(SqlJournal(till_db, STORE.till_id))
    for _ in range(count):
        sell(till, SHAMPOO.barcode)


@dataclass(frozen=True)
class HubHolds:
    count: int
    distinct_sale_ids: int
    seqs: list[int]


def hub_holds(hub_db: HubDatabase) -> HubHolds:
    with hub_db.reading() as conn:
        count, distinct = conn.execute(select(func.count(), func.count(sales.c.sale_id.distinct())).select_from(sales)).one()
        seqs = sorted(int(s) for s in conn.execute(select(sales.c.seq)).scalars())
    return HubHolds(int(count), int(distinct), seqs)


@dataclass(frozen=True)
class TillHolds:
    unsent: int
    acknowledged: int
    quarantined: int


def till_holds(till_db: Database) -> TillHolds:
    outbox = SqlOutbox(till_db)
    return TillHolds(outbox.unsent_count(), outbox.acknowledged_count(), outbox.quarantined_count())


def assert_each_sale_once(hub_db: HubDatabase, till_db: Database, recorded: int) -> None:
    """The end state of every fault test: every sale at the hub exactly once, the till knows it."""
    assert hub_holds(hub_db) == HubHolds(recorded, recorded, list(range(1, recorded + 1)))
    assert till_holds(till_db) == TillHolds(unsent=0, acknowledged=recorded, quarantined=0)


class StatusWatch:
    """Wait until the link status (as the status bar hears it) meets a condition."""

    def __init__(self, sync: TillSync) -> None:
        self._sync = sync
        self._changed = threading.Condition()
        self.links: list[Link] = []  # every link state the status bar was shown, in order
        sync.monitor.listen(self._heard)

    def _heard(self, status: SyncStatus) -> None:
        with self._changed:
            if not self.links or self.links[-1] is not status.link:
                self.links.append(status.link)
            self._changed.notify_all()

    def wait(self, condition: Callable[[SyncStatus], bool], timeout: float) -> SyncStatus:
        with self._changed:
            self._changed.wait_for(lambda: condition(self._sync.monitor.status()), timeout)
        status = self._sync.monitor.status()
        assert condition(status), f"still {status} after {timeout} s"
        return status
