"""kassa-hub gift-cards: the list, the conflicts and the overdrawn cards, one card's history,
unlocking a card locked by wrong codes (then a new code works), giving back stale holds."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import update

from central.cli import main
from central.gift_card_tables import gift_card_redemptions
from central.sms import SMS_LOG_VARIABLE, read_sms_log
from tests.central.gift_card_sales import GiftCardDesk, card, paid_with, sell
from tests.central.shop import Shop


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def desk(shop: Shop) -> GiftCardDesk:
    return GiftCardDesk(shop, shop.enrol())


def test_the_list_shows_each_card_and_the_conflicts_and_overdrawn_cards_apart(
        desk: GiftCardDesk, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    desk.shop.push(desk.till, sell(desk.till, (card(1), "100", ""), (card(2), "50", "")))
    desk.shop.push(desk.till, sell(desk.till, (card(1), "70", "")))
    desk.shop.push(desk.till, paid_with(desk.till, card(2), "80.00", approved_by="M7"))
    status, out, _ = run(capsys, "gift-cards", "--database", database_url)
    assert status == 0 and card(1) in out and "100.00 UAH" in out and "2 card(s)" in out
    status, out, _ = run(capsys, "gift-cards", "--conflicts", "--database", database_url)
    assert status == 0 and "sold_twice" in out and card(1) in out and "1 conflict(s)" in out
    status, out, _ = run(capsys, "gift-cards", "--overdrawn", "--database", database_url)
    assert status == 0 and card(2) in out and "-30.00" in out and "approved by M7" in out and card(1) not in out


def test_show_gives_one_cards_holds_and_debits(desk: GiftCardDesk, database_url: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    desk.shop.push(desk.till, sell(desk.till, (card(1), "100", "")))
    rid = uuid.uuid4()
    desk.redeem(card(1), "40", redemption_id=rid)
    status, out, _ = run(capsys, "gift-cards", "show", "9900 0000 0000 0010", "--database", database_url)
    assert status == 0 and "60.00" in out and "held" in out and str(rid) in out
    status, _, err = run(capsys, "gift-cards", "show", card(1)[:-1] + "9", "--database", database_url)
    assert status == 1 and "check digit" in err


def test_unlock_lets_a_locked_card_take_a_new_code(desk: GiftCardDesk, database_url: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(SMS_LOG_VARIABLE, str(tmp_path / "sms.jsonl"))
    sale = sell(desk.till, ("", "100", "+380501234567"))
    desk.shop.push(desk.till, sale)
    number = sale.gift_cards_sold[0].card_number
    desk.code(number)
    right = read_sms_log(tmp_path / "sms.jsonl")[-1]["text"].split("code: ")[1][:6]
    for _ in range(3):
        desk.redeem(number, "10", code="000000" if right != "000000" else "111111")
    assert desk.code(number).status_code == 423
    status, out, _ = run(capsys, "gift-cards", "unlock", number, "--database", database_url)
    assert status == 0 and "unlocked" in out
    assert desk.code(number).status_code == 202
    code = read_sms_log(tmp_path / "sms.jsonl")[-1]["text"].split("code: ")[1][:6]
    assert desk.redeem(number, "10", code=code).status_code == 200


def test_release_stale_gives_back_only_the_holds_older_than_a_day(desk: GiftCardDesk, database_url: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    desk.shop.push(desk.till, sell(desk.till, (card(1), "100", "")))
    old, fresh = uuid.uuid4(), uuid.uuid4()
    desk.redeem(card(1), "30", redemption_id=old)
    desk.redeem(card(1), "20", redemption_id=fresh)
    with desk.shop.db.writing() as conn:
        conn.execute(update(gift_card_redemptions).where(gift_card_redemptions.c.redemption_id == str(old))
                     .values(held_at=datetime.now(timezone.utc) - timedelta(hours=25)))
    status, out, _ = run(capsys, "gift-cards", "release-stale", "--database", database_url)
    assert status == 0 and out.startswith("1 hold(s)")
    assert desk.find(card_number=card(1)).json()["cards"][0]["balance"] == "80.00"
    late = paid_with(desk.till, card(1), "30.00", redemption_id=old)  # its sale arrives after all: debited
    desk.shop.push(desk.till, late)
    assert desk.find(card_number=card(1)).json()["cards"][0]["balance"] == "50.00"


def test_bad_use_of_the_command_says_what_is_missing(database_url: str, hub_db: object,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "gift-cards", "unlock", "--database", database_url)
    assert status == 1 and "NUMBER" in err
    status, _, err = run(capsys, "gift-cards", "unlock", card(5), "--database", database_url)
    assert status == 1 and "no gift card" in err


def test_send_ready_sms_sends_the_messages_the_hub_could_not_send_once(
        desk: GiftCardDesk, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Down:
        def send(self, phone: str, text: str) -> None:
            raise ConnectionError("the SMS gateway is down")

    desk.shop.http.app.state.sms_sender = Down()  # type: ignore[attr-defined]
    sale = sell(desk.till, ("", "300", "050 123 45 67"))
    desk.shop.push(desk.till, sale)
    monkeypatch.setenv(SMS_LOG_VARIABLE, str(tmp_path / "sms.jsonl"))
    assert run(capsys, "gift-cards", "send-ready-sms", "--database", database_url)[:2] == (
        0, '1 "card ready" message(s) sent\n')
    assert run(capsys, "gift-cards", "send-ready-sms", "--database", database_url)[1] == (
        '0 "card ready" message(s) sent\n')
    number = sale.gift_cards_sold[0].card_number
    assert [m["text"] for m in read_sms_log(tmp_path / "sms.jsonl")] == [
        f"Your gift card **** {number[-4:]} of 300.00 UAH is ready"]
