"""A customer identified for a sale at a real till file, told to a real hub process: one outbox
document per customer per sale (identified twice: one), waiting in the outbox while the hub is
out of reach, sent once when it is back, and in the hub's CRM feed as ``customer_identified``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from central.event_feed import read_feed
from central.tables import documents
from local_db.customers import SqlCustomers
from local_db.database import Database, open_database
from local_db.outbox import SqlOutbox
from pos.customer_identified import IDENTIFIED_SCHEMA, IDENTIFIED_SERIES, identification_id
from sync.credentials import FileStore
from sync.enrolment import enrol_till
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from tests.fakes import STORE
from tests.sync.conftest import FAST_RETRY, Hub

NOW = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)
OLENA = "9b2f6c1e-4a57-4d3e-8f8e-0c1d2e3f4a5b"


@pytest.fixture
def enrolled(hub: Hub, tmp_path: Path) -> Iterator[tuple[Database, str, SqlCustomers]]:
    path = tmp_path / "till" / "till.sqlite3"
    db = open_database(path)
    with HubClient(hub.url, retry=FAST_RETRY) as enrolling:
        enrolment = enrol_till(db, enrolling, hub.enrolment_code(), FileStore(path.parent), store_id=STORE.store_id,
                               till_id=STORE.till_id)
    yield db, enrolment.credential, SqlCustomers(db, region="UA", store_id=STORE.store_id, till_id=STORE.till_id)
    db.close()


def sync_to(url: str, db: Database, credential: str) -> TillSync:
    config = SyncConfig(url, push_interval_seconds=0.5, pull_interval_seconds=3600, retry=FAST_RETRY)
    return TillSync(db, HubClient(url, credential, timeout=2, retry=FAST_RETRY), config)


def queued(db: Database) -> list[tuple[str, str, dict[str, object]]]:
    with db.reading() as conn:
        return [(str(d), str(k), json.loads(p)) for d, k, p in conn.exec_driver_sql(
            "SELECT document_id, kind, payload FROM outbox WHERE series = ? AND acked_at IS NULL",
            (IDENTIFIED_SERIES,))]


def test_a_customer_identified_twice_in_a_sale_is_one_document_that_waits_offline_and_reaches_the_hub_once(
        hub: Hub, enrolled: tuple[Database, str, SqlCustomers]) -> None:
    db, credential, customers = enrolled
    sale, next_sale = uuid.uuid4(), uuid.uuid4()
    assert customers.identified(OLENA, sale, "phone", now=NOW) is True
    assert customers.identified(OLENA, sale, "card", now=NOW) is False  # the same sale: the same document
    assert customers.identified(OLENA, next_sale, "card", now=NOW) is True

    offline = sync_to("http://127.0.0.1:9", db, credential)  # the hub out of reach
    try:
        assert offline.sync_now().push.error is not None
    finally:
        offline.client.close()
    waiting = queued(db)
    assert [(d, k) for d, k, _ in waiting] == [(str(identification_id(sale, OLENA)), IDENTIFIED_SCHEMA),
                                               (str(identification_id(next_sale, OLENA)), IDENTIFIED_SCHEMA)]
    assert waiting[0][2] == {"schema": IDENTIFIED_SCHEMA, "document_id": waiting[0][0], "customer_id": OLENA,
                             "store_id": STORE.store_id, "till_id": STORE.till_id, "identified_at": NOW.isoformat(),
                             "sale_id": str(sale), "how": "phone"}  # ids and the way, never a phone number

    online = sync_to(hub.url, db, credential)
    try:
        assert online.sync_now().push.error is None
        assert online.sync_now().push.error is None  # nothing left to send
    finally:
        online.client.close()
    assert queued(db) == [] and SqlOutbox(db).counts().waiting == 0
    with hub.db.reading() as conn:
        held = [(r.document_id, r.till_id) for r in conn.execute(
            select(documents.c.document_id, documents.c.till_id).where(documents.c.series == IDENTIFIED_SERIES)
            .order_by(documents.c.id))]
    assert held == [(d, STORE.till_id) for d, _, _ in waiting]
    events = read_feed(hub.db, 0, 100).events
    assert [(e["kind"], e["document_id"]) for e in events] == [("customer_identified", d) for d, _, _ in waiting]


def test_a_customer_id_the_hub_could_not_know_is_not_queued(enrolled: tuple[Database, str, SqlCustomers]) -> None:
    db, _credential, customers = enrolled
    with pytest.raises(ValueError, match="customer_id"):
        customers.identified("c-olena", uuid.uuid4(), "phone", now=NOW)
    with pytest.raises(ValueError, match="how"):
        customers.identified(OLENA, uuid.uuid4(), "face", now=NOW)
    assert queued(db) == []
