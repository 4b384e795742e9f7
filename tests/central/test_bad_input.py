"""Values at the edges of their types, on SQLite and PostgreSQL: a request the hub cannot
use is answered 4xx naming the field, and inside a batch only the bad sale is rejected
(reason ``schema``, the field named) while the sales around it are stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from central.enrolment import make_enrolment_code
from central.stores import TillIdentity
from tests.central.bad_values import BIG, CALENDAR_END, CALENDAR_START, document, post_raw, push_raw, set_at
from tests.central.shop import STORE_ID, Shop, make_sales
from tests.central.test_sales_batch import stored_count

NAN = float("nan")

# (what is changed in the middle sale, the new value, words the rejection's detail holds)
POISON_SALES: list[tuple[str, Any, str]] = [
    ("receipt_number", BIG, "receipt_number"),
    ("receipt_number", True, "receipt_number"),
    ("receipt_number", "2", "receipt_number"),
    ("opened_at", CALENDAR_END, "opened_at"),
    ("completed_at", CALENDAR_START, "completed_at"),
    ("completed_at", 0, "completed_at"),
    ("completed_at", 1.5e9, "completed_at"),
    ("completed_at", "2026-12-02T09:30:00", "completed_at"),  # no UTC offset
    ("completed_at", "2026-02-30T09:30:00+02:00", "completed_at"),
    ("completed_at", "2026-12-02T23:59:60Z", "completed_at"),  # a leap second Python cannot hold
    ("completed_at", "2026-12-02T09:30:00+00:00\n", "completed_at"),
    ("cashier.name", "\ud800", "cashier.name"),
    ("lines.0.name", "Shampoo\x00", "lines.0.name"),
    ("lines.0.barcode", "\udfff", "lines.0.barcode"),
    ("payments.0.method", "cash\udc80", "payments.0.method"),
    ("comment", "an extra field \ud83d", "comment"),  # unknown fields are ignored, but stored
    ("comment", {"\ud800": 1}, "comment"),  # ... and so are their keys
    ("comment", NAN, "not plain JSON"),
    ("total", NAN, "total"),
    ("total", 1e308, "total"),
    ("total", "\u0661\u0660.\u0660\u0660", "total"),  # Arabic-Indic digits
    ("lines.0.quantity", "999999999999999.999999", "line 1"),
    ("lines.0.unit_price", "999999999999999.99", "line 1"),
    ("lines", [[[[[]]]]], "lines.0"),
    ("lines.0.vat", "20", "lines.0.vat"),
    ("cashier", None, "cashier"),
    ("sale_id", "not-a-uuid", "sale_id"),
]


@pytest.mark.parametrize(("path", "value", "named"), POISON_SALES,
                         ids=[f"{p}={v!r}"[:60] for p, v, _ in POISON_SALES])
def test_a_poison_sale_is_rejected_naming_the_field_and_the_rest_are_stored(
        shop: Shop, client: TestClient, path: str, value: Any, named: str) -> None:
    till = shop.enrol()
    first, bad, last = make_sales(3, till)
    poison = set_at(document(bad), path, value)

    answer = push_raw(client, shop.auth(till), [(1, document(first)), (2, poison), (3, document(last))])

    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    assert results[1]["reason"] in ("schema", "totals")
    assert named in results[1]["detail"]
    assert stored_count(shop) == 2


@pytest.mark.parametrize("seq", [BIG, -BIG, 0, 2**53])
def test_a_seq_outside_the_receipt_numbers_rejects_only_its_sale(shop: Shop, client: TestClient, seq: int) -> None:
    till = shop.enrol()
    good, bad = make_sales(2, till)
    answer = push_raw(client, shop.auth(till), [(seq, document(bad)), (1, document(good))])
    results = answer.json()["results"]
    assert [(r["status"], r.get("reason")) for r in results] == [("rejected", "schema"), ("accepted", None)]
    assert results[0]["detail"].startswith("seq:")


def test_a_sale_id_the_answer_cannot_carry_is_answered_as_empty(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    sale = make_sales(1, till)[0]
    answer = push_raw(client, shop.auth(till), [(1, set_at(document(sale), "sale_id", "\ud800"))])
    assert answer.status_code == 200
    assert answer.json()["results"] == [{"sale_id": "", "status": "rejected", "reason": "schema",
                                         "detail": "sale_id: the hub cannot store a lone UTF-16 surrogate U+D800 at "
                                                   "position 0"}]


def test_whole_numbers_written_with_a_zero_fraction_are_whole_numbers(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    sale = make_sales(1, till, first_seq=26682439)[0]
    answer = push_raw(client, shop.auth(till), [(26682439.0, set_at(document(sale), "receipt_number", 26682439.0))])
    assert answer.json()["results"][0]["status"] == "accepted"


def test_a_sale_at_the_edges_of_the_calendar_that_survives_utc_is_accepted(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    early, late = make_sales(2, till)
    items = [(1, set_at(document(early), "opened_at", "0002-01-01T00:00:00+23:59")),
             (2, set_at(document(late), "completed_at", "9998-12-31T23:59:59.999999-23:59"))]
    assert [r["status"] for r in push_raw(client, shop.auth(till), items).json()["results"]] == ["accepted"] * 2


HEARTBEAT = {"till_time": "2026-12-02T09:30:00+02:00", "queue_length": 3, "oldest_unsent_seconds": 12,
             "app_version": "0.1.0"}
BAD_HEARTBEATS: list[tuple[str, Any]] = [
    ("till_time", CALENDAR_END), ("till_time", CALENDAR_START), ("till_time", 0), ("till_time", "0"),
    ("till_time", "2026-12-02T09:30:00"), ("till_time", "yesterday"), ("till_time", None),
    ("till_time", "2026-12-02T09:30:00Z\n"), ("till_time", "0001-12-31T23:59:59+00:00"),
    ("queue_length", BIG), ("queue_length", 2**31), ("queue_length", -1), ("queue_length", True),
    ("queue_length", "3"), ("queue_length", 2.5), ("queue_length", NAN),
    ("oldest_unsent_seconds", BIG), ("oldest_unsent_seconds", 1e300),
    ("app_version", "\ud800"), ("app_version", "0.1\x00"), ("app_version", "x" * 41), ("app_version", 1),
]


@pytest.mark.parametrize(("field", "value"), BAD_HEARTBEATS, ids=[f"{f}={v!r}"[:50] for f, v in BAD_HEARTBEATS])
def test_a_bad_heartbeat_is_answered_400_naming_the_field(shop: Shop, client: TestClient, field: str, value: Any) -> None:
    till = shop.enrol()
    answer = post_raw(client, "/v1/heartbeat", {**HEARTBEAT, field: value}, shop.auth(till))
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request"), answer.text
    assert answer.json()["detail"].startswith(f"body.{field}")


@pytest.mark.parametrize(("field", "value"), [
    ("queue_length", 3.0), ("till_time", "2026-12-02t07:30:00z"), ("oldest_unsent_seconds", None),
    ("queue_length", 2**31 - 1), ("till_time", "9998-12-31T23:59:59.123456789-23:59"),
    ("till_time", "0002-01-01T00:00:00+23:59"),
])
def test_a_heartbeat_at_the_edges_of_what_is_allowed_is_answered_200(
        shop: Shop, client: TestClient, field: str, value: Any) -> None:
    till = shop.enrol()
    assert post_raw(client, "/v1/heartbeat", {**HEARTBEAT, field: value}, shop.auth(till)).status_code == 200


@pytest.mark.parametrize(("field", "value"), [
    ("code", "\ud800"), ("code", "KQ7M-4XPD\x00"), ("device", "\udfff"), ("device", "pc\x00"), ("device", 7),
])
def test_an_enrolment_with_text_the_hub_cannot_store_is_answered_400(
        shop: Shop, client: TestClient, field: str, value: Any) -> None:
    code = make_enrolment_code(shop.db, TillIdentity(STORE_ID, "T01"))
    answer = post_raw(client, "/v1/enrolments", {"code": code, "device": "pc", field: value})
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request"), answer.text
    assert answer.json()["detail"].startswith(f"body.{field}")


@pytest.mark.parametrize(("query", "named"), [
    ({"after": str(BIG)}, "after"), ({"after": "-1"}, "after"), ({"after": "1.5"}, "after"),
    ({"after": "\u0661\u0662"}, "after"), ({"after": " 1"}, "after"), ({"after": "1e3"}, "after"),
    ({"limit": str(BIG)}, "limit"), ({"limit": "0"}, "limit"), ({"limit": "5001"}, "limit"),
    ({"limit": "many"}, "limit"),
])
def test_a_bad_cursor_or_limit_is_answered_400_naming_it(shop: Shop, client: TestClient, query: dict[str, str],
                                                         named: str) -> None:
    till = shop.enrol()
    answer = client.get("/v1/datasets/products", params=query, headers=shop.auth(till))
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request"), answer.text
    assert answer.json()["detail"].startswith(f"query.{named}")


def test_the_largest_cursor_and_an_empty_one_are_answered(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    for after in ("9" * 18, ""):
        answer = client.get("/v1/datasets/products", params={"after": after}, headers=shop.auth(till))
        assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("name", ["%ED%A0%80", "%00", "products%00", "x" * 5000])
def test_an_odd_dataset_name_is_answered_404(shop: Shop, client: TestClient, name: str) -> None:
    till = shop.enrol()
    answer = client.get(f"/v1/datasets/{name}", headers=shop.auth(till))
    assert (answer.status_code, answer.json()["error"]) == (404, "unknown_dataset")
    answer.content.decode("utf-8")


@pytest.mark.parametrize("body", [
    b"[" * 100_000, b'{"sales": [{"seq": 1' + b"0" * 5000 + b', "sale": {}}]}', b'{"sales": "\\ud800"}',
    b'{"\\ud800": [{"seq": 1, "sale": {"\\udfff": 1}}]}', b"\xff\xfe", b'{"sales": NaN}', b'{"sales": [{"seq": 1}]}',
])
def test_junk_bodies_are_answered_400(shop: Shop, client: TestClient, body: bytes) -> None:
    till = shop.enrol()
    for url in ("/v1/sales/batch", "/v1/heartbeat", "/v1/enrolments"):
        answer = client.post(url, content=body, headers={**shop.auth(till), "Content-Type": "application/json"})
        assert (answer.status_code, answer.json()["error"]) == (400, "bad_request"), (url, answer.text)
