"""The CRM feed: each accepted document once, in one order, paged by an integer cursor; a
reader resumes from its last cursor with no gap and no repeat, also while transactions on
PostgreSQL commit their events out of id order."""

from __future__ import annotations

import random
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from central.app import create_app
from central.database import HubDatabase
from central.event_feed import Event, append_events, read_feed
from central.tables import sales
from tests.central.shop import Shop, make_sales
from tests.central.store_day_documents import a_day, post, set_up_tills

TOKEN = "feed-" + "x" * 40


@pytest.fixture
def crm(database_url: str, hub_db: HubDatabase) -> Any:
    app = create_app(database_url)
    app.state.feed_token = TOKEN
    with TestClient(app) as client:
        yield client
    app.state.db.close()


def read(crm: TestClient, after: int = 0, limit: int = 100) -> dict[str, Any]:
    answer = crm.get("/v1/feed", params={"after": after, "limit": limit}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def read_all(crm: TestClient, after: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
    events: list[dict[str, Any]] = []
    while True:
        page = read(crm, after, limit)
        events += page["events"]
        after = page["cursor"]
        if not page["more"]:
            return events, after


def test_the_feed_holds_every_accepted_sale_and_document_once_with_its_body(shop: Shop, crm: TestClient) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    sent = day.envelopes()
    post(shop, till, *sent)
    shop.push(till, *day.sales)  # duplicates: no new event
    post(shop, till, *sent)

    events, cursor = read_all(crm)

    assert [e["cursor"] for e in events] == list(range(1, len(events) + 1)) and cursor == len(events)
    assert [(e["kind"], e["document_id"]) for e in events] == (
        [("sale", str(s.sale_id)) for s in day.sales] + [(e["series"], e["document_id"]) for e in sent])
    assert events[0]["schema"].startswith("kassa.sale.v") and events[0]["document"]["sale_id"] == str(day.sales[0].sale_id)
    assert {e["document_id"]: e["body"] for e in sent} == {e["document_id"]: e["document"] for e in events[3:]}
    assert all(e["store_id"] == till.store_id and e["till_id"] == till.till_id for e in events)


def test_a_reader_resumes_from_its_last_cursor_with_no_gap_and_no_repeat(shop: Shop, crm: TestClient) -> None:
    till = shop.enrol()
    made = make_sales(7, till)
    shop.push(till, *made[:3])
    first = read(crm, 0, 2)
    assert len(first["events"]) == 2 and first["more"] is True
    shop.push(till, *made[3:])  # while the reader is away
    rest, cursor = read_all(crm, first["cursor"], 2)

    seen = [e["document_id"] for e in first["events"] + rest]
    assert seen == [str(s.sale_id) for s in made]
    assert read(crm, cursor) == {"events": [], "cursor": cursor, "more": False}


def test_the_feed_opens_only_to_its_token(shop: Shop, crm: TestClient, database_url: str) -> None:
    till = shop.enrol()
    assert crm.get("/v1/feed").status_code == 401
    assert crm.get("/v1/feed", headers=shop.auth(till)).status_code == 401
    assert crm.get("/v1/feed", headers={"Authorization": f"Bearer {TOKEN}x"}).status_code == 401
    crm.app.state.feed_token = None  # type: ignore[attr-defined]
    answer = crm.get("/v1/feed", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 404 and "KASSA_HUB_FEED_TOKEN" in answer.json()["detail"]


def _sale_event(conn: Any, shop: Shop, n: int) -> str:
    """A stored sale row and its event, as sales_intake writes them (the body matters not here)."""
    sale_id = str(uuid.uuid4())
    now = datetime.now(timezone.utc)
    conn.execute(sales.insert().values(sale_id=sale_id, store_id="UA-KYIV-014", till_id="T01", seq=n,
                                       receipt_number=n, total_minor=100, currency="UAH", till_completed_at=now,
                                       hub_received_at=now, payload="{}"))
    append_events(conn, [Event("sale", sale_id, "kassa.sale.v3", "UA-KYIV-014", "T01", now)])
    return sale_id


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has one writer: no such order
def test_an_event_committed_after_a_later_id_is_not_skipped(shop: Shop, hub_db: HubDatabase) -> None:
    """Ids from a sequence are taken at insert: 1 commits after 2; a cursor over ids would pass 1."""
    shop.enrol()
    with hub_db.engine.connect() as slow, hub_db.engine.connect() as quick:
        slow_tx = slow.begin()
        early = _sale_event(slow, shop, 1)  # takes the lower id...
        with quick.begin():
            late = _sale_event(quick, shop, 2)  # ...and this one commits first
        page = read_feed(hub_db, 0, 100)
        assert [e["document_id"] for e in page.events] == [late]
        slow_tx.commit()
    after = read_feed(hub_db, page.cursor, 100)
    assert [e["document_id"] for e in after.events] == [early]
    assert [e["cursor"] for e in page.events + after.events] == [1, 2]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # the race is PostgreSQL's (one writer on SQLite)
def test_two_writers_and_two_readers_at_once_every_event_is_read_exactly_once(shop: Shop, hub_db: HubDatabase) -> None:
    shop.enrol()
    written: list[str] = []
    seqs = iter(range(1, 10_000))
    lock = threading.Lock()
    stop = threading.Event()

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(40):
            with hub_db.engine.connect() as conn, conn.begin():
                with lock:
                    n = next(seqs)
                sale_id = _sale_event(conn, shop, n)
                time.sleep(rng.random() / 100)  # commit late, after others that took later ids
            with lock:
                written.append(sale_id)

    readers_saw: list[list[str]] = [[], []]

    def reader(number: int) -> None:
        cursor = 0
        while True:
            done = stop.is_set()
            page = read_feed(hub_db, cursor, 7)
            readers_saw[number] += [e["document_id"] for e in page.events]
            cursor = page.cursor
            if done and not page.more:
                return

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in (1, 2)]
    readers = [threading.Thread(target=reader, args=(n,)) for n in (0, 1)]
    for thread in threads + readers:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join(timeout=60)

    assert len(written) == 80
    for saw in readers_saw:
        assert sorted(saw) == sorted(written) and len(set(saw)) == len(saw)
    assert readers_saw[0] == readers_saw[1]  # one order for every reader
