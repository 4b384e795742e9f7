"""Enrolment codes, credentials and who may do what."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from central.enrolment import enrol, make_enrolment_code, revoke
from central.errors import EnrolmentRefused
from central.stores import TillIdentity
from pos.codec import sale_to_dict
from tests.central.shop import STORE_ID, Shop, make_sales


def test_an_enrolment_code_works_once(shop: Shop, client: TestClient) -> None:
    code = make_enrolment_code(shop.db, TillIdentity(STORE_ID, "T01"))
    first = client.post("/v1/enrolments", json={"code": code, "device": "pc-1"})
    again = client.post("/v1/enrolments", json={"code": code, "device": "pc-2"})

    assert first.status_code == 201
    assert first.json()["store_id"] == STORE_ID and first.json()["till_id"] == "T01"
    assert first.json()["credential"].startswith("kt1.")
    assert again.status_code == 403
    assert again.json()["error"] == "enrolment_refused"
    assert "used already" in again.json()["detail"]


def test_a_code_is_accepted_in_lower_case_and_without_dashes(shop: Shop, client: TestClient) -> None:
    code = make_enrolment_code(shop.db, TillIdentity(STORE_ID, "T01"))
    answer = client.post("/v1/enrolments", json={"code": code.replace("-", "").lower(), "device": "pc"})
    assert answer.status_code == 201


def test_an_expired_or_unknown_enrolment_code_is_refused(shop: Shop, client: TestClient) -> None:
    issued = datetime.now(timezone.utc) - timedelta(hours=73)
    old = make_enrolment_code(shop.db, TillIdentity(STORE_ID, "T01"), at=issued)

    expired = client.post("/v1/enrolments", json={"code": old, "device": "pc"})
    unknown = client.post("/v1/enrolments", json={"code": "AAAA-BBBB-CCCC", "device": "pc"})

    assert (expired.status_code, expired.json()["error"]) == (403, "enrolment_refused")
    assert "expired" in expired.json()["detail"]
    assert "unknown" in unknown.json()["detail"]


def test_a_revoked_credential_is_refused(shop: Shop, client: TestClient) -> None:
    till = shop.enrol("T01")
    assert shop.pull(till, "taxes")["items"]

    assert revoke(shop.db, till) == 1
    answer = client.get("/v1/datasets/taxes", headers=shop.auth(till))

    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"
    assert answer.headers["www-authenticate"] == "Bearer"


def test_a_new_enrolment_retires_the_tills_old_credential(shop: Shop, client: TestClient) -> None:
    till = TillIdentity(STORE_ID, "T01")
    old = enrol(shop.db, make_enrolment_code(shop.db, till), "old pc").credential
    new = enrol(shop.db, make_enrolment_code(shop.db, till), "new pc").credential

    def status(credential: str) -> int:
        return client.get("/v1/datasets/taxes", headers={"Authorization": f"Bearer {credential}"}).status_code

    assert (status(old), status(new)) == (401, 200)


@pytest.mark.parametrize("header", [
    None, "Basic dXNlcjpwYXNz", "Bearer ", "Bearer kt1.nonsense", "Bearer kt2.AAAAAAAAAAAAAAAA." + "x" * 43,
    "Bearer kt1.AAAAAAAAAAAAAAAA." + "x" * 43,
], ids=["missing", "basic", "empty", "malformed", "other-version", "unknown"])
def test_requests_without_a_good_credential_are_refused(shop: Shop, client: TestClient, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    for answer in (client.get("/v1/datasets/products", headers=headers),
                   client.post("/v1/heartbeat", headers=headers, json={"till_time": "2026-11-24T10:00:00+02:00",
                                                                       "queue_length": 0, "app_version": "0.1.0"})):
        assert answer.status_code == 401
        assert set(answer.json()) == {"error", "detail"}


def test_a_right_id_with_a_wrong_secret_is_refused(shop: Shop, client: TestClient) -> None:
    till = shop.enrol("T01")
    prefix, credential_id, secret = shop.tills[str(till)].split(".")
    forged = f"{prefix}.{credential_id}.{'A' * len(secret)}"
    assert client.get("/v1/datasets/taxes", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_one_till_cannot_push_a_sale_of_another(shop: Shop) -> None:
    mine, other = shop.enrol("T01"), shop.enrol("T02")
    sale = make_sales(1, other)[0]

    [answer] = shop.push(mine, sale)
    assert (answer["status"], answer["reason"]) == ("rejected", "wrong_till")
    assert shop.push(other, sale) == [{"sale_id": str(sale.sale_id), "status": "accepted"}]


def test_a_till_of_another_store_cannot_push_a_sale_already_stored_for_this_one(shop: Shop) -> None:
    here, elsewhere = shop.enrol("T01"), shop.enrol("T01", store_id="UA-LVIV-002")
    sale = make_sales(1, here)[0]
    shop.push(here, sale)

    stolen = {**sale_to_dict(sale), "store_id": elsewhere.store_id}
    [answer] = shop.push(elsewhere, stolen)
    assert (answer["status"], answer["reason"]) == ("rejected", "wrong_till")


def test_the_heartbeat_answers_the_hub_time(shop: Shop, client: TestClient) -> None:
    till = shop.enrol("T01")
    answer = client.post("/v1/heartbeat", headers=shop.auth(till), json={
        "till_time": "2026-11-24T10:00:00+02:00", "queue_length": 3, "oldest_unsent_seconds": 12, "app_version": "0.1.0"})
    assert answer.status_code == 200
    hub_time = datetime.fromisoformat(answer.json()["hub_time"])
    assert abs(hub_time - datetime.now(timezone.utc)) < timedelta(minutes=1)


def test_enrolment_refusals_are_errors_of_the_hub(shop: Shop) -> None:
    with pytest.raises(EnrolmentRefused):
        enrol(shop.db, "ZZZZ-ZZZZ-ZZZZ", "pc")
