"""The "card ready" SMS of an electronic gift card goes once, after the sale that sold it is
stored: not from a transaction that rolled back (a batch the database refused part of is
stored again one sale at a time), not again when the batch is pushed twice, once when two
hub processes send at the same moment, through the hub's own SMS sender."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from central.database import HubDatabase
from central.gift_card_ready_sms import send_due
from central.sms import SMS_LOG_VARIABLE, read_sms_log
from tests.central.gift_card_sales import GiftCardDesk, card, sell
from tests.central.shop import Shop

NOW = datetime(2026, 12, 2, 12, tzinfo=timezone.utc)


class Recorder:
    """An SMS gateway that keeps what it was asked to send (or fails while ``down``)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.down = False
        self.lock = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        if self.down:
            raise ConnectionError("the SMS gateway is down")
        with self.lock:
            self.sent.append((phone, text))


@pytest.fixture
def desk(shop: Shop) -> GiftCardDesk:
    return GiftCardDesk(shop, shop.enrol())


@pytest.fixture
def gateway(client: TestClient) -> Recorder:
    recorder = Recorder()
    client.app.state.sms_sender = recorder  # type: ignore[attr-defined]
    return recorder


def refuse_card(db: HubDatabase, number: str) -> None:
    """A trigger: the database refuses to activate the card ``number`` (after the sale's
    other cards were activated in the same transaction)."""
    with db.writing() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql(f"CREATE TRIGGER refuse_card BEFORE INSERT ON gift_cards WHEN NEW.card_number = "
                                 f"'{number}' BEGIN SELECT RAISE(ABORT, 'the refused card'); END")
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_card() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.card_number = '{number}' THEN RAISE EXCEPTION 'the refused card' USING ERRCODE = '22023'; "
                "END IF; RETURN NEW; END $$")
            conn.exec_driver_sql("CREATE TRIGGER refuse_card BEFORE INSERT ON gift_cards FOR EACH ROW "
                                 "EXECUTE FUNCTION refuse_card()")


def test_a_batch_stored_again_one_sale_at_a_time_sends_the_ready_sms_once(
        desk: GiftCardDesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SMS_LOG_VARIABLE, str(tmp_path / "sms.jsonl"))
    electronic = sell(desk.till, ("", "300", "050 123 45 67"))
    refused = sell(desk.till, (card(2), "100", ""))
    refuse_card(desk.shop.db, card(2))

    first = [r["status"] for r in desk.shop.push(desk.till, electronic, refused)]
    again = [r["status"] for r in desk.shop.push(desk.till, electronic, refused)]

    assert first == ["accepted", "rejected"] and again == ["duplicate", "rejected"]
    number = electronic.gift_cards_sold[0].card_number
    assert read_sms_log(tmp_path / "sms.jsonl") == [
        {"phone": "+380501234567", "text": f"Your gift card **** {number[-4:]} of 300.00 UAH is ready",
         "at": read_sms_log(tmp_path / "sms.jsonl")[0]["at"]}]


def test_the_ready_sms_goes_through_the_hubs_sms_sender_once_per_card(desk: GiftCardDesk, gateway: Recorder) -> None:
    sale = sell(desk.till, ("", "300", "050 123 45 67"), (card(1), "500", ""), ("", "200", "067 765 43 21"))
    desk.shop.push(desk.till, sale)
    desk.shop.push(desk.till, sale)
    sold = sale.gift_cards_sold
    assert sorted(gateway.sent) == sorted([
        ("+380501234567", f"Your gift card **** {sold[0].card_number[-4:]} of 300.00 UAH is ready"),
        ("+380677654321", f"Your gift card **** {sold[2].card_number[-4:]} of 200.00 UAH is ready")])
    assert send_due(desk.shop.db, gateway, NOW) == 0  # nothing left due


def test_a_ready_sms_the_gateway_could_not_take_is_sent_by_the_next_try(desk: GiftCardDesk, gateway: Recorder) -> None:
    gateway.down = True
    sale = sell(desk.till, ("", "300", "050 123 45 67"))
    assert desk.shop.push(desk.till, sale)[0]["status"] == "accepted"
    assert gateway.sent == []
    gateway.down = False
    assert send_due(desk.shop.db, gateway, NOW) == 1
    assert send_due(desk.shop.db, gateway, NOW) == 0
    assert [phone for phone, _text in gateway.sent] == ["+380501234567"]


def test_two_hub_processes_sending_at_once_send_each_card_once(desk: GiftCardDesk, gateway: Recorder) -> None:
    gateway.down = True
    desk.shop.push(desk.till, sell(desk.till, *[("", "10", f"050 123 45 {n:02d}") for n in range(10, 20)]))
    gateway.down = False
    start = threading.Barrier(2)

    def hub() -> None:
        start.wait()
        send_due(desk.shop.db, gateway, NOW)

    threads = [threading.Thread(target=hub) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phones = [phone for phone, _text in gateway.sent]
    assert sorted(phones) == [f"+3805012345{n:02d}" for n in range(10, 20)]
