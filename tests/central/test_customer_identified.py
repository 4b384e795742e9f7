"""A customer identified at a till (``kassa.customer_identified.v1``) at the hub, on SQLite and
PostgreSQL: stored once by its id, its feed event (kind ``customer_identified``) written with it,
a customer the hub does not know yet accepted, a malformed one or another till's rejected with
its reason."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.app import create_app
from central.database import HubDatabase
from central.tables import documents
from pos.customer_identified import (
    IDENTIFIED_SCHEMA,
    IDENTIFIED_SERIES,
    identification_to_dict,
    new_identification,
)
from tests.central.shop import Shop
from tests.central.store_day_documents import envelope, post, statuses

TOKEN = "feed-" + "y" * 40
AT = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


@pytest.fixture
def crm(database_url: str, hub_db: HubDatabase) -> Iterator[TestClient]:
    app = create_app(database_url)
    app.state.feed_token = TOKEN
    with TestClient(app) as client:
        yield client
    app.state.db.close()


def identified(till: Any, customer_id: str | None = None, sale_id: uuid.UUID | None = None,
               how: str = "phone") -> dict[str, Any]:
    i = new_identification(customer_id or str(uuid.uuid4()), sale_id or uuid.uuid4(), how, store_id=till.store_id,
                           till_id=till.till_id, at=AT)
    return envelope(IDENTIFIED_SCHEMA, i.document_id, IDENTIFIED_SERIES, 0, identification_to_dict(i))


def feed(crm: TestClient) -> list[dict[str, Any]]:
    answer = crm.get("/v1/feed", params={"after": 0, "limit": 100}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["events"])


def stored(db: HubDatabase) -> int:
    with db.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(documents)
                                .where(documents.c.series == IDENTIFIED_SERIES)).scalar_one())


def test_an_identification_of_a_customer_the_hub_does_not_know_is_stored_once_and_in_the_feed(
        shop: Shop, crm: TestClient) -> None:
    till = shop.enrol()
    document = identified(till, how="card")

    assert statuses(post(shop, till, document)) == ["accepted"]
    assert statuses(post(shop, till, document)) == ["duplicate"]  # the till sent it again: once

    assert stored(shop.db) == 1
    events = feed(crm)
    assert [(e["kind"], e["schema"], e["document_id"]) for e in events] == [
        ("customer_identified", IDENTIFIED_SCHEMA, document["document_id"])]
    assert events[0]["document"] == document["body"] and (events[0]["store_id"], events[0]["till_id"]) == (
        till.store_id, till.till_id)
    assert "phone" not in events[0]["document"]  # how it was found, never the number


def test_two_customers_in_one_sale_are_two_documents_and_one_customer_in_two_sales_too(shop: Shop,
                                                                                        crm: TestClient) -> None:
    till = shop.enrol()
    sale, customer = uuid.uuid4(), str(uuid.uuid4())
    sent = [identified(till, customer, sale), identified(till, str(uuid.uuid4()), sale),
            identified(till, customer, uuid.uuid4())]
    assert statuses(post(shop, till, *sent)) == ["accepted"] * 3
    assert [e["document_id"] for e in feed(crm)] == [d["document_id"] for d in sent]


def malformed(till: Any) -> list[tuple[str, dict[str, Any]]]:
    """(what is wrong, the envelope) for each way an identification can be bad."""
    cases: list[tuple[str, dict[str, Any]]] = []
    for what, change in (("customer_id", {"customer_id": "c-olena"}), ("how", {"how": "face"}),
                         ("identified_at", {"identified_at": "2026-12-02T15:30:00"}),
                         ("unknown fields", {"phone": "+380501234567"}), ("sale_id", {"sale_id": "not-a-sale"})):
        document = identified(till)
        document["body"] = {**document["body"], **change}
        cases.append((what, document))
    other_id = identified(till)
    other_id["body"]["sale_id"] = str(uuid.uuid4())  # the id is no longer uuid5(sale, customer)
    cases.append(("uuid5", other_id))
    return cases


def test_a_malformed_identification_is_rejected_naming_what_is_wrong_and_nothing_is_stored(
        shop: Shop, crm: TestClient) -> None:
    till = shop.enrol()
    cases = malformed(till)
    results = post(shop, till, *[document for _, document in cases])
    assert statuses(results) == ["rejected:schema"] * len(cases)
    for (what, _), result in zip(cases, results, strict=True):
        assert what in result["detail"], (what, result["detail"])
    assert stored(shop.db) == 0 and feed(crm) == []


def test_an_identification_in_another_tills_name_is_rejected_as_wrong_till(shop: Shop) -> None:
    till, other = shop.enrol("T01"), shop.enrol("T02")
    result = post(shop, till, identified(other))[0]
    assert (result["status"], result["reason"]) == ("rejected", "wrong_till")
    assert stored(shop.db) == 0
