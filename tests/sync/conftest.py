"""A real hub process on loopback (SQLite file) with store S001 and the fakes' catalog,
and a real till database enrolled with it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from central.database import HubDatabase, open_hub_database
from central.enrolment import make_enrolment_code
from central.stores import TillIdentity
from central.tables import sales
from local_db.database import Database, open_database
from local_db.journal import SqlJournal
from sync.credentials import FileStore
from sync.enrolment import enrol_till
from sync.hub_client import HubClient, RetryPolicy
from sync.service import SyncConfig, TillSync
from tests.central.hub_process import running_hub
from tests.central.shop import Shop
from tests.fakes import STORE

FAST_RETRY = RetryPolicy(attempts=2, first_wait=0.05, max_wait=0.2)


@dataclass
class Hub:
    url: str
    db: HubDatabase
    shop: Shop

    def enrolment_code(self, store_id: str = STORE.store_id, till_id: str = STORE.till_id) -> str:
        return make_enrolment_code(self.db, TillIdentity(store_id, till_id))

    def sale_count(self) -> int:
        with self.db.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(sales)).scalar_one())

    def seqs(self) -> list[int]:
        with self.db.reading() as conn:
            return sorted(int(s) for s in conn.execute(select(sales.c.seq)).scalars())


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    db = open_hub_database(url, migrate_schema=True)
    try:
        with running_hub(url) as base, httpx.Client(base_url=base, timeout=30) as http:
            yield Hub(base, db, Shop.set_up(db, http, store_id=STORE.store_id))
    finally:
        db.close()


@pytest.fixture
def till_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "till" / "till.sqlite3")
    yield db
    db.close()


@pytest.fixture
def journal(till_db: Database) -> SqlJournal:
    return SqlJournal(till_db, STORE.till_id)


def connect(hub_url: str, till_db: Database, hub: Hub, *, config: SyncConfig | None = None,
            enrol_through: str | None = None, credentials: FileStore | None = None) -> TillSync:
    """Enrol the till (through ``enrol_through`` or ``hub_url``) and give it a TillSync on ``hub_url``."""
    credentials = credentials or FileStore(till_db.path.parent)
    with HubClient(enrol_through or hub_url, retry=FAST_RETRY) as enrolling:
        enrolment = enrol_till(till_db, enrolling, hub.enrolment_code(), credentials,
                               store_id=STORE.store_id, till_id=STORE.till_id)
    config = config or SyncConfig(hub_url, push_interval_seconds=0.5, pull_interval_seconds=3600, retry=FAST_RETRY)
    client = HubClient(config.hub_url, enrolment.credential, timeout=5, retry=config.retry)
    return TillSync(till_db, client, config)
