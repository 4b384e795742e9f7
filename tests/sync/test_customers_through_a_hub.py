"""Customers registered at two tills through a real hub process: the first till registers a
customer offline (found at once), syncs, and the hub holds one customer; the second till
registers the same phone number offline too, and the hub merges it into that customer (never a
second one); after a pull, both tills find the hub's customer by the number, typed any way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from central.customer_registrations import registrations
from central.customer_tables import customers
from central.customers import NewCustomer, save_customers
from local_db.customers import SqlCustomers
from local_db.database import Database, open_database
from sync.credentials import FileStore
from sync.enrolment import enrol_till
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from tests.fakes import STORE
from tests.sync.conftest import FAST_RETRY, Hub

NOW = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)


def enrolled(hub: Hub, path: Path, till_id: str) -> tuple[Database, TillSync, SqlCustomers]:
    db = open_database(path)
    with HubClient(hub.url, retry=FAST_RETRY) as enrolling:
        enrolment = enrol_till(db, enrolling, hub.enrolment_code(STORE.store_id, till_id), FileStore(path.parent),
                               store_id=STORE.store_id, till_id=till_id)
    config = SyncConfig(hub.url, push_interval_seconds=0.5, pull_interval_seconds=3600, retry=FAST_RETRY)
    sync = TillSync(db, HubClient(hub.url, enrolment.credential, timeout=5, retry=FAST_RETRY), config)
    return db, sync, SqlCustomers(db, region="UA", store_id=STORE.store_id, till_id=till_id)


@pytest.fixture
def two_tills(hub: Hub, tmp_path: Path) -> Iterator[list[tuple[Database, TillSync, SqlCustomers]]]:
    tills = [enrolled(hub, tmp_path / name / "till.sqlite3", till_id) for name, till_id in (("a", "T01"), ("b", "T02"))]
    yield tills
    for db, sync, _ in tills:
        sync.client.close()
        db.close()


def hub_customers(hub: Hub) -> list[tuple[str, str, str]]:
    with hub.db.reading() as conn:
        return [(r.customer_id, r.phone, r.name) for r in conn.execute(select(customers).order_by(customers.c.name))]


def test_a_customer_registered_offline_at_two_tills_is_one_customer_at_the_hub_and_found_at_both(
        hub: Hub, two_tills: list[tuple[Database, TillSync, SqlCustomers]]) -> None:
    (_db_a, sync_a, till_a), (_db_b, sync_b, till_b) = two_tills
    made, new = till_a.register("067 111 22 33", "Taras Shevchuk", "", now=NOW)
    assert new and till_a.find("0671112233") == made  # found at once, before the hub knows them
    assert sync_a.sync_now().push.error is None
    assert hub_customers(hub) == [(made.facts.customer_id, "+380671112233", "Taras Shevchuk")]

    again, new_b = till_b.register("+38 067 111-22-33", "Taras S", "", now=NOW)  # offline: T02 has not pulled
    assert new_b and again.facts.customer_id != made.facts.customer_id
    assert sync_b.sync_now().push.error is None
    assert hub_customers(hub) == [(made.facts.customer_id, "+380671112233", "Taras Shevchuk")]
    assert [(r.till_id, r.outcome) for r in registrations(hub.db)] == [("T01", "new"), ("T02", "joined")]

    assert not isinstance(sync_b.pull(), Exception)
    found = till_b.find("067 111 22 33")
    assert found is not None and found.facts.customer_id == made.facts.customer_id and not found.registered_here
    assert found.display_name == "Taras S."


def test_a_customer_head_office_added_reaches_the_tills_without_their_phone_number(
        hub: Hub, two_tills: list[tuple[Database, TillSync, SqlCustomers]]) -> None:
    save_customers(hub.db, [NewCustomer("050 123 45 67", "Olena Kovalenko", card="2900000000018", tier="gold",
                                        group="vip")], region="UA")
    db, sync, till = two_tills[0]
    assert not isinstance(sync.pull(), Exception)
    found = till.find("+380501234567")
    assert found is not None
    assert (found.display_name, found.facts.tier, found.facts.group) == ("Olena K.", "gold", "vip")
    assert till.find("2900000000018") == found
    with db.reading() as conn:
        held = " ".join(str(v) for row in conn.exec_driver_sql("SELECT * FROM customers") for v in row)
    assert "501234567" not in held and "Kovalenko" not in held
