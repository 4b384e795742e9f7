"""POST /v1/sales/batch: exactly once, per-sale answers, request-level refusals."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.tables import sales
from pos.codec import sale_from_dict, sale_to_dict
from tests.central.shop import Shop, make_sales


def stored_count(shop: Shop) -> int:
    with shop.db.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(sales)).scalar_one())


def test_a_sale_pushed_twice_is_stored_once_and_answered_duplicate(shop: Shop) -> None:
    till = shop.enrol()
    sale = make_sales(1, till)[0]

    first = shop.push(till, sale)
    second = shop.push(till, sale)

    assert first == [{"sale_id": str(sale.sale_id), "status": "accepted"}]
    assert second == [{"sale_id": str(sale.sale_id), "status": "duplicate"}]
    assert stored_count(shop) == 1


def test_a_sale_twice_in_one_batch_is_stored_once(shop: Shop) -> None:
    till = shop.enrol()
    sale = make_sales(1, till)[0]
    assert [r["status"] for r in shop.push(till, sale, sale)] == ["accepted", "duplicate"]
    assert stored_count(shop) == 1


def _without(document: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != key}


def _spoiled(document: dict[str, Any], how: str) -> dict[str, Any]:
    d = json.loads(json.dumps(document))
    if how == "schema":
        return _without(d, "payments")
    if how == "totals":
        d["total"] = "1.00"
        return d
    if how == "vat":
        d["taxes"][0]["tax"] = "0.01"
        return d
    if how == "float":
        d["total"] = float(d["total"])
        return d
    raise AssertionError(how)


@pytest.mark.parametrize(("how", "reason"), [
    ("schema", "schema"), ("float", "schema"),  # an unknown product: accepted and flagged (test_flagged_sales.py)
    ("totals", "totals"), ("vat", "totals"),
])
def test_a_batch_with_a_bad_sale_accepts_the_others_and_rejects_it_with_a_reason(shop: Shop, how: str, reason: str) -> None:
    till = shop.enrol()
    first, bad, last = make_sales(3, till)
    answers = shop.push(till, first, _spoiled(sale_to_dict(bad), how), last)

    assert [a["status"] for a in answers] == ["accepted", "rejected", "accepted"]
    assert answers[1]["reason"] == reason
    assert answers[1]["sale_id"] == str(bad.sale_id)
    assert answers[1]["detail"]
    assert stored_count(shop) == 2


def test_a_second_sale_with_a_taken_seq_is_rejected_as_seq_conflict(shop: Shop) -> None:
    till = shop.enrol()
    one, other = make_sales(2, till, first_seq=7)
    shop.push(till, one)
    clash = {**sale_to_dict(other), "receipt_number": 7}
    [answer] = shop.push(till, clash)
    assert (answer["status"], answer["reason"]) == ("rejected", "seq_conflict")
    assert str(one.sale_id) in answer["detail"]


def test_a_seq_that_is_not_the_receipt_number_is_rejected(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    sale = make_sales(1, till, first_seq=5)[0]
    body = {"sales": [{"seq": 6, "sale": sale_to_dict(sale)}]}
    answer = client.post("/v1/sales/batch", json=body, headers=shop.auth(till)).json()["results"][0]
    assert (answer["status"], answer["reason"]) == ("rejected", "schema")


def test_the_hub_keeps_the_document_the_till_sent(shop: Shop) -> None:
    till = shop.enrol()
    sale = make_sales(1, till)[0]
    shop.push(till, sale)
    with shop.db.reading() as conn:
        row = conn.execute(select(sales)).one()
    assert sale_from_dict(json.loads(row.payload)) == sale
    assert (row.seq, row.total_minor, row.currency) == (1, sale.total.minor_units(), "UAH")
    assert row.till_completed_at == sale.completed_at


@pytest.mark.parametrize("body", [b"{not json", b'{"sales": [', b"[1, 2]", b'{"sales": [{"seq": "x", "sale": {}}]}', b"{}"])
def test_a_malformed_request_is_answered_400_with_the_error_body(shop: Shop, client: TestClient, body: bytes) -> None:
    till = shop.enrol()
    answer = client.post("/v1/sales/batch", content=body,
                         headers={**shop.auth(till), "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"
    assert set(answer.json()) == {"error", "detail"}


def test_a_batch_of_more_than_500_sales_is_refused_whole(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    document = sale_to_dict(make_sales(1, till)[0])
    body = {"sales": [{"seq": n, "sale": {**document, "sale_id": str(uuid.uuid4()), "receipt_number": n}}
                      for n in range(1, 502)]}
    answer = client.post("/v1/sales/batch", json=body, headers=shop.auth(till))
    assert (answer.status_code, answer.json()["error"]) == (413, "too_large")
    assert stored_count(shop) == 0


def test_a_body_over_8_mb_is_refused_before_it_is_read(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    padding = "x" * (8 * 1024 * 1024)
    for chunked in (False, True):
        content = json.dumps({"sales": [], "padding": padding}).encode()
        answer = client.post("/v1/sales/batch", content=iter([content]) if chunked else content,
                             headers={**shop.auth(till), "Content-Type": "application/json"})
        assert (answer.status_code, answer.json()["error"]) == (413, "too_large")


def test_an_empty_batch_is_answered_with_no_results(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    answer = client.post("/v1/sales/batch", json={"sales": []}, headers=shop.auth(till))
    assert answer.status_code == 200 and answer.json()["results"] == []


def test_unknown_paths_answer_the_error_body(client: TestClient) -> None:
    answer = client.get("/v1/nothing-here")
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
