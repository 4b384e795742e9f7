"""POST /v1/documents on SQLite and PostgreSQL: every schema of a real day is stored once,
a retry is a duplicate, a reused id or number is refused, and each bad document rejects
only itself."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from central.database import HubDatabase
from central.tables import documents, returned_lines, shift_events, z_reports
from tests.central.shop import Shop
from tests.central.store_day_documents import a_day, of_return, post, set_up_tills, statuses


def test_every_document_of_a_day_is_accepted_and_its_parts_are_stored(shop: Shop, hub_db: HubDatabase) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    assert [r["status"] for r in shop.push(till, *day.sales)] == ["accepted"] * 3
    sent = day.envelopes()
    assert {e["schema"] for e in sent} == {"kassa.return.v1", "kassa.cash_movement.v1", "kassa.approval.v1",
                                           "kassa.sale_cancelled.v1", "kassa.shift.v1", "kassa.z_report.v1"}
    results = post(shop, till, *sent)
    assert [r["document_id"] for r in results] == [e["document_id"] for e in sent]
    assert statuses(results) == ["accepted"] * len(sent)
    with hub_db.reading() as conn:
        stored = {r.document_id: r for r in conn.execute(select(documents))}
        back = conn.execute(select(returned_lines)).all()
        events = conn.execute(select(shift_events.c.event, shift_events.c.by)).all()
        z = conn.execute(select(z_reports)).one()
    assert {d: json.loads(stored[d].body) for d in stored} == {e["document_id"]: e["body"] for e in sent}
    assert sorted((r.series, r.number) for r in stored.values() if r.number is not None) == [
        ("cash_movement", 1), ("cash_movement", 2), ("return", 1), ("z_report", 1)]
    assert [(r.sale_id, r.quantity) for r in back] == [(str(day.sales[0].sale_id), "1")]
    assert sorted(events) == [("closed", "s1"), ("opened", "s1")]
    assert (z.z_number, z.sales_count, z.returns_count) == (1, 3, 1)


def test_the_same_documents_again_are_duplicates_and_nothing_is_stored_twice(shop: Shop, hub_db: HubDatabase) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    sent = day.envelopes()
    post(shop, till, *sent[:4])
    assert statuses(post(shop, till, *sent)) == ["duplicate"] * 4 + ["accepted"] * (len(sent) - 4)
    assert statuses(post(shop, till, *sent, sent[0])) == ["duplicate"] * (len(sent) + 1)
    with hub_db.reading() as conn:
        assert len(conn.execute(select(documents.c.id)).all()) == len(sent)
        assert len(conn.execute(select(returned_lines.c.id)).all()) == 1


def test_one_document_twice_in_one_request_is_stored_once(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    first = day.envelopes()[1]
    assert statuses(post(shop, till, first, first)) == ["accepted", "duplicate"]


def test_a_document_id_sent_again_with_another_body_is_a_conflict(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    movement = day.envelopes()[2]
    post(shop, till, movement)
    changed: dict[str, Any] = json.loads(json.dumps(movement))
    changed["body"]["reason"] = "bank"
    result = post(shop, till, changed)[0]
    assert (result["status"], result["reason"]) == ("rejected", "conflict")
    assert "never reused" in result["detail"]


def test_a_number_held_by_another_document_is_refused(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    movements = [e for e in day.envelopes() if e["series"] == "cash_movement"]
    second = json.loads(json.dumps(movements[1]))
    second["number"] = second["body"]["number"] = 1
    results = post(shop, till, movements[0], second)
    assert statuses(results) == ["accepted", "rejected:number_conflict"]
    assert movements[0]["document_id"] in results[1]["detail"]


def test_a_bad_document_rejects_only_itself(shop: Shop, hub_db: HubDatabase) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    sent = day.envelopes()
    broken = json.loads(json.dumps(sent[2]))
    broken["body"]["amount"] = "-5.00"
    unknown = dict(sent[3], schema="kassa.coupon.v1")
    results = post(shop, till, sent[1], broken, unknown, sent[4])
    assert statuses(results) == ["accepted", "rejected:schema", "rejected:schema", "accepted"]
    assert "amount must be more than zero" in results[1]["detail"]
    assert "kassa.coupon.v1" in results[2]["detail"]


def test_a_document_sent_by_another_till_is_refused(shop: Shop) -> None:
    till, other = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    sent = day.envelopes()
    assert statuses(post(shop, other, sent[0], sent[1])) == ["rejected:wrong_till", "rejected:wrong_till"]
    post(shop, till, sent[2])
    assert statuses(post(shop, other, sent[2])) == ["rejected:wrong_till"]


def test_a_document_id_that_is_not_the_bodys_own_is_refused(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    renamed = dict(of_return(day.numbered_returns()[0]), document_id=str(uuid.uuid4()))
    result = post(shop, till, renamed)[0]
    assert (result["status"], result["reason"]) == ("rejected", "schema")
    assert "own id" in result["detail"]


def _set(path: str, value: Any) -> Any:
    def change(e: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = e
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[last] = value
    return change


BROKEN = [  # (which document, what is changed, words the detail holds)
    ("return", _set("body.total", "1.00"), "is not the sum of the lines"),
    ("return", _set("body.rounding", "0.05"), "are not the total plus its rounding"),
    ("return", _set("body.lines.0.quantity", "0"), "lines.0.quantity must be more than 0"),
    ("return", _set("body.lines.0.quantity", "0.0001"), "at most 3 decimals"),
    ("return", _set("body.lines.0.sold_line_id", None), "sold_line_id must be given exactly when"),
    ("return", _set("body.return_number", 2), "is not the body's number 2"),
    ("return", _set("body.returned_at", "yesterday"), "cannot be read"),
    ("return", _set("number", 0), "is not a number of the return series"),
    ("cash_movement", _set("body.direction", "sideways"), "direction must be"),
    ("cash_movement", _set("body.amount", "0.00"), "amount must be more than zero"),
    ("cash_movement", _set("body.amount", "1.001"), "not a whole number of minor units"),
    ("approval", _set("body.approved_by", "c1"), "nobody approves their own request"),
    ("approval", _set("number", 1), "not numbered: send 0"),
    ("approval", _set("body.action", "give_away"), "cannot be read"),
    ("sale_cancelled", _set("body.line_count", -1), "line_count must be a whole number from 0"),
    ("opened", _set("body.float_total", "499.00"), "float_total is not the sum of the float"),
    ("opened", _set("body.float", {"100": -5}), "float.100 must be a whole number from 0"),
    ("opened", _set("body.float", {"abc": 5}), "cannot be read"),
    ("opened", _set("body.event", "paused"), "event must be one of opened, closed"),
    ("closed", _set("body.variance", "0.00"), "variance is not counted_total minus expected"),
    ("closed", _set("body.event", "opened"), "float"),
    ("z_report", _set("body.kind", "X"), "kind must be 'Z'"),
    ("z_report", _set("body.expected_cash", "0.01"), "expected_cash is not the float plus"),
    ("z_report", _set("body.sales_total", "0.00"), "the tenders taken are not the sales total"),
    ("z_report", _set("body.z_number", 0), "z_number must be a whole number from 1"),
    ("z_report", _set("series", "zreport"), "series: 'zreport' is not 'z_report'"),
    ("z_report", _set("body.schema", "kassa.z_report.v2"), "body.schema: 'kassa.z_report.v2'"),
    ("z_report", _set("body.currency", "XYZ"), "cannot be read"),
    ("z_report", lambda e: e.update(document_id=e["document_id"].upper()), "lower-case text form"),
    ("closed", lambda e: e.update(document_id=str(uuid.uuid4())), "is not the document's own id"),
]


def _which(e: dict[str, Any]) -> str:
    return str(e["body"]["event"]) if e["series"] == "shift" else str(e["series"])


@pytest.mark.parametrize(("which", "change", "words"), BROKEN, ids=[f"{w}-{n}" for n, (w, _, _) in enumerate(BROKEN)])
def test_a_document_whose_body_does_not_add_up_is_rejected_naming_what_is_wrong(
        shop: Shop, which: str, change: Any, words: str) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    document = copy.deepcopy(next(e for e in day.envelopes() if _which(e) == which))
    change(document)
    result = post(shop, till, document)[0]
    assert (result["status"], result["reason"]) == ("rejected", "schema"), result
    assert words in result["detail"], result["detail"]


def test_documents_need_a_till_credential_and_at_most_500_in_a_request(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    one = day.envelopes()[4]
    refused = shop.http.post("/v1/documents", json={"documents": [one]})
    assert (refused.status_code, refused.json()["error"]) == (401, "unauthorized")
    too_many = shop.http.post("/v1/documents", json={"documents": [one] * 501}, headers=shop.auth(till))
    assert (too_many.status_code, too_many.json()["error"]) == (413, "too_large")
    assert "at most 500" in too_many.json()["detail"]
    assert post(shop, till) == []
    shaped = shop.http.post("/v1/documents", json={"documents": [{**one, "number": "one"}]}, headers=shop.auth(till))
    assert (shaped.status_code, shaped.json()["error"]) == (400, "bad_request")
    assert "number" in shaped.json()["detail"]
