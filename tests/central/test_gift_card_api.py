"""The hub's gift card API as a till asks it, through the app on SQLite and PostgreSQL: a card
is found once the sale that sold it arrived; a hold is idempotent by its redemption id, never
takes more than the card holds, and is given back by a release or after a day; an electronic
card pays only with the code its phone got, good for 5 minutes on the hub's clock and once;
three wrong codes lock it; bad input gets its own error."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from central.sms import SMS_LOG_VARIABLE, read_sms_log
from tests.central.gift_card_sales import GiftCardDesk, card, sell
from tests.central.shop import Shop


UNKNOWN = card(99999)  # a good number no card has


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(client: TestClient) -> Clock:
    clock = Clock()
    client.app.state.gift_card_clock = clock  # type: ignore[attr-defined]
    return clock


@pytest.fixture
def sms_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sms.jsonl"
    monkeypatch.setenv(SMS_LOG_VARIABLE, str(path))
    return path


@pytest.fixture
def desk(shop: Shop, clock: Clock) -> GiftCardDesk:
    return GiftCardDesk(shop, shop.enrol())


def electronic(desk: GiftCardDesk, amount: str = "500") -> str:
    sale = sell(desk.till, ("", amount, "050 123 45 67"))
    assert [r["status"] for r in desk.shop.push(desk.till, sale)] == ["accepted"]
    return sale.gift_cards_sold[0].card_number


def plastic(desk: GiftCardDesk, n: int = 1, amount: str = "500") -> str:
    assert [r["status"] for r in desk.shop.push(desk.till, sell(desk.till, (card(n), amount, "")))] == ["accepted"]
    return card(n)


def code_sent(sms_log: Path) -> str:
    return read_sms_log(sms_log)[-1]["text"].split("code: ")[1][:6]


def test_a_plastic_card_is_found_by_its_number_once_the_sale_that_sold_it_arrived(desk: GiftCardDesk) -> None:
    assert desk.find(card_number=card(1)).json()["error"] == "gift_card_unknown"
    plastic(desk, 1, "500")
    answer = desk.find(card_number=card(1))
    assert answer.status_code == 200
    assert answer.json() == {"cards": [{"card_number": card(1), "masked": "**** **** **** " + card(1)[-4:],
                                        "balance": "500.00", "currency": "UAH", "needs_code": False,
                                        "locked": False, "phone_masked": ""}]}


def test_an_electronic_card_is_found_by_its_phone_and_its_customer_is_told_it_is_ready(
        desk: GiftCardDesk, sms_log: Path) -> None:
    assert desk.find(phone="+380501234567").json()["error"] == "no_gift_card_for_phone"
    number = electronic(desk, "250")
    cards = desk.find(phone="+380501234567").json()["cards"]
    assert [(c["card_number"], c["needs_code"], c["phone_masked"]) for c in cards] == [
        (number, True, "+380 ** *** ** 67")]
    assert read_sms_log(sms_log)[-1]["text"] == f"Your gift card **** {number[-4:]} of 250.00 UAH is ready"


def test_a_hold_asked_twice_holds_once_and_the_same_id_with_another_amount_is_a_conflict(desk: GiftCardDesk) -> None:
    number = plastic(desk)
    rid, sale_id = uuid.uuid4(), uuid.uuid4()
    first = desk.redeem(number, "100.00", redemption_id=rid, sale_id=sale_id)
    again = desk.redeem(number, "100.00", redemption_id=rid, sale_id=sale_id)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["balance_after"] == "400.00" and first.json()["approval_code"].isalnum()
    assert len(first.json()["approval_code"]) <= 12
    assert desk.find(card_number=number).json()["cards"][0]["balance"] == "400.00"
    conflict = desk.redeem(number, "90.00", redemption_id=rid, sale_id=sale_id)
    assert (conflict.status_code, conflict.json()["error"]) == (409, "redemption_conflict")


def test_a_hold_never_takes_more_than_the_card_holds(desk: GiftCardDesk) -> None:
    number = plastic(desk, amount="150")
    assert desk.redeem(number, "100").status_code == 200
    refused = desk.redeem(number, "50.01")
    assert refused.status_code == 409
    assert refused.json()["error"] == "not_enough" and refused.json()["balance"] == "50.00"
    assert desk.redeem(number, "50").json()["balance_after"] == "0.00"


def test_a_released_hold_goes_back_to_the_card_and_releasing_again_or_an_unknown_id_is_no_error(
        desk: GiftCardDesk) -> None:
    number = plastic(desk)
    rid = uuid.uuid4()
    desk.redeem(number, "120", redemption_id=rid)
    assert desk.release(rid).json() == {"redemption_id": str(rid), "released": True}
    assert desk.find(card_number=number).json()["cards"][0]["balance"] == "500.00"
    assert desk.release(rid).json()["released"] is True
    assert desk.find(card_number=number).json()["cards"][0]["balance"] == "500.00"  # never given back twice
    assert desk.release(uuid.uuid4()).json()["released"] is False


def test_an_electronic_card_pays_with_the_code_sent_to_its_phone_once(desk: GiftCardDesk, sms_log: Path) -> None:
    number = electronic(desk)
    assert desk.redeem(number, "10").json()["error"] == "code_expired"  # none sent yet
    sent = desk.code(number)
    assert sent.status_code == 202
    assert sent.json() == {"card_number": number, "sent_to": "+380 ** *** ** 67", "expires_in_seconds": 300}
    code = code_sent(sms_log)
    rid, sale_id = uuid.uuid4(), uuid.uuid4()
    assert desk.redeem(number, "10", redemption_id=rid, sale_id=sale_id, code=code).status_code == 200
    assert desk.redeem(number, "10", redemption_id=rid, sale_id=sale_id, code=code).status_code == 200  # replay
    used_again = desk.redeem(number, "10", code=code)
    assert (used_again.status_code, used_again.json()["error"]) == (410, "code_expired")


def test_a_new_code_makes_the_older_one_stop_working(desk: GiftCardDesk, sms_log: Path) -> None:
    number = electronic(desk)
    desk.code(number)
    older = code_sent(sms_log)
    desk.code(number)
    newer = code_sent(sms_log)
    if older != newer:  # one time in a million the two codes are the same digits
        assert desk.redeem(number, "10", code=older).json()["error"] == "wrong_code"
    assert desk.redeem(number, "10", code=newer).status_code == 200


def test_a_code_is_good_for_five_minutes_on_the_hubs_clock(desk: GiftCardDesk, sms_log: Path, clock: Clock) -> None:
    number = electronic(desk)
    desk.code(number)
    clock.now += timedelta(minutes=5, seconds=1)
    late = desk.redeem(number, "10", code=code_sent(sms_log))
    assert (late.status_code, late.json()["error"]) == (410, "code_expired")
    desk.code(number)
    clock.now += timedelta(minutes=4, seconds=59)
    assert desk.redeem(number, "10", code=code_sent(sms_log)).status_code == 200


def test_three_wrong_codes_in_a_row_lock_the_card(desk: GiftCardDesk, sms_log: Path) -> None:
    number = electronic(desk)
    desk.code(number)
    right = code_sent(sms_log)
    wrong = "000000" if right != "000000" else "111111"
    first, second = desk.redeem(number, "10", code=wrong), desk.redeem(number, "10", code=wrong)
    assert (first.status_code, first.json()["error"], first.json()["attempts_left"]) == (403, "wrong_code", 2)
    assert second.json()["attempts_left"] == 1
    third = desk.redeem(number, "10", code=wrong)
    assert (third.status_code, third.json()["error"]) == (423, "gift_card_locked")
    assert desk.redeem(number, "10", code=right).status_code == 423  # even the right code, from then on
    assert desk.code(number).status_code == 423
    assert desk.find(card_number=number).json()["cards"][0]["locked"] is True


def test_a_hold_never_captured_goes_back_to_the_card_after_a_day(desk: GiftCardDesk, clock: Clock) -> None:
    number = plastic(desk)
    desk.redeem(number, "300")
    clock.now += timedelta(hours=23, minutes=59)
    assert desk.find(card_number=number).json()["cards"][0]["balance"] == "200.00"
    clock.now += timedelta(minutes=2)
    assert desk.find(card_number=number).json()["cards"][0]["balance"] == "500.00"


@pytest.mark.parametrize(("number", "amount", "currency", "status", "error"), [
    ("99001234", "10", "UAH", 400, "bad_request"),  # not 16 digits
    ("1234567890123452", "10", "UAH", 400, "bad_request"),  # not the chain's (9900...)
    ("9900123456789010", "10", "UAH", 404, "bad_card_number"),  # the Luhn digit is wrong
    (UNKNOWN, "10", "UAH", 404, "gift_card_unknown"),
    (None, "0", "UAH", 400, "bad_amount"),
    (None, "-1", "UAH", 400, "bad_amount"),
    (None, "1e9", "UAH", 400, "bad_amount"),
    (None, "1000000000", "UAH", 400, "bad_amount"),
    (None, "10.001", "UAH", 400, "bad_amount"),
    (None, "ten", "UAH", 400, "bad_amount"),
    (None, "10", "EUR", 400, "bad_currency"),  # a currency the hub knows, not the card's
    (None, "10", "XYZ", 400, "bad_request"),
])
def test_bad_input_to_redeem_gets_its_own_error(desk: GiftCardDesk, number: str | None, amount: str, currency: str,
                                                status: int, error: str) -> None:
    known = plastic(desk)
    answer = desk.redeem(number or known, amount, currency=currency)
    assert (answer.status_code, answer.json()["error"]) == (status, error), answer.text
    assert answer.json()["detail"]
    assert desk.find(card_number=known).json()["cards"][0]["balance"] == "500.00"


def test_a_code_for_a_plastic_card_is_refused_and_find_needs_a_number_or_a_phone(desk: GiftCardDesk) -> None:
    number = plastic(desk)
    assert (desk.code(number).status_code, desk.code(number).json()["error"]) == (409, "not_electronic")
    assert desk.find().status_code == 400
    assert desk.find(card_number=number, phone="+380501234567").status_code == 400
    assert desk.code(UNKNOWN).json()["error"] == "gift_card_unknown"


def test_the_gift_card_api_needs_a_tills_credential(shop: Shop) -> None:
    answer = shop.http.post("/v1/gift-cards/find", json={"schema": "kassa.gift_card_find.v1", "card_number": card(1)})
    assert answer.status_code == 401


def test_a_right_code_is_not_spent_on_an_amount_the_card_cannot_pay(desk: GiftCardDesk, sms_log: Path) -> None:
    number = electronic(desk, "100")
    desk.code(number)
    code = code_sent(sms_log)
    assert desk.redeem(number, "100.01", code=code).json()["error"] == "not_enough"
    assert desk.redeem(number, "100.00", code=code).status_code == 200
