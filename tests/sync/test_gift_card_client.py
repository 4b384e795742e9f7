"""Gift cards through a real hub process on loopback: the till's HTTP adapter
(sync/gift_card_client.py) against the hub's API, and end to end: a card sold at a till is
activated when its sale reaches the hub; an electronic card then pays part of the next sale with
the code read from the hub's SMS log; that sale reaches the hub and captures the hold; a redeem
asked again holds once; the hub out of reach is ``GiftCardsNeedTheHub``."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.gift_card_tables import gift_card_redemptions
from central.policies import set_policy
from central.sms import SMS_LOG_VARIABLE, read_sms_log
from local_db.gift_card_log import SqlGiftCardLog, stored_gift_card_policy
from pos.gift_cards import holds
from pos.gift_cards.paying import (
    OfflineOffer,
    find_gift_card,
    offline_offer,
    pay_gift_card,
    remove_gift_card,
    send_code,
)
from pos.gift_cards.selling import sell_gift_card
from pos.gift_cards.service import (
    GiftCardLocked,
    GiftCardsNeedTheHub,
    GiftCardUnknown,
    NoGiftCardForPhone,
    NotEnoughOnGiftCard,
    WrongGiftCardCode,
)
from pos.money import Money
from pos.sale import Sale
from pos.store_day import checkout
from sync.credentials import FileStore
from sync.enrolment import enrol_till
from sync.gift_card_client import GiftCardNotElectronic, HubGiftCards
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from tests.central.gift_card_sales import card
from tests.fakes import STORE
from tests.sync.conftest import FAST_RETRY, Hub
from tests.ui.returns.till_world import GOODS, SENIOR, RealTill, make_store_file, real_till

PLASTIC = card(501)
PHONE = "+380501234567"


@dataclass
class GiftTill:
    real: RealTill
    sync: TillSync
    cards: HubGiftCards
    log: SqlGiftCardLog

    @property
    def till(self):  # noqa: ANN201
        return self.real.till

    def sell_cards(self, *cards: tuple[str, str, str]) -> Sale:
        """A sale of gift cards (number or "", amount, phone), paid in cash and pushed to the hub."""
        for number, amount, phone in cards:
            sell_gift_card(self.till, number, amount, phone_text=phone)
        checkout.begin(self.till)
        checkout.add_cash(self.till, "")
        sale = checkout.finish(self.till).sale
        assert sale is not None
        self.push()
        return sale

    def push(self) -> None:
        pushed = self.sync.push()
        assert pushed.error is None and pushed.quarantined == 0 and pushed.acknowledged >= 1, pushed.describe()


@pytest.fixture
def sms_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sms.jsonl"
    monkeypatch.setenv(SMS_LOG_VARIABLE, str(path))  # before the hub process starts: it reads it
    return path


@pytest.fixture
def gift_till(sms_log: Path, hub: Hub, tmp_path: Path) -> Iterator[GiftTill]:
    import_catalog(hub.db, rows_from_products(GOODS[:2]))
    path = tmp_path / "till" / "till.sqlite3"
    make_store_file(path, "T01", STORE.store_id)
    real = real_till(path, "T01", store_id=STORE.store_id, who=SENIOR)
    with HubClient(hub.url, retry=FAST_RETRY) as enrolling:
        enrolment = enrol_till(real.db, enrolling, hub.enrolment_code(STORE.store_id, "T01"), FileStore(path.parent),
                               store_id=STORE.store_id, till_id="T01")
    client = HubClient(hub.url, enrolment.credential, timeout=5, retry=FAST_RETRY)
    sync = TillSync(real.db, client, SyncConfig(hub.url, pull_interval_seconds=3600, retry=FAST_RETRY))
    cards, log = HubGiftCards(client, "UAH"), SqlGiftCardLog(real.db)
    holds.attach(real.till, cards, log)  # as shell/wiring.py does for a till with a hub
    yield GiftTill(real, sync, cards, log)
    client.close()
    real.db.close()


def last_code(sms_log: Path) -> str:
    found = re.search(r"\b(\d{6})\b", read_sms_log(sms_log)[-1]["text"])
    assert found is not None
    return found.group(1)


def hold_status(hub: Hub, redemption_id: uuid.UUID) -> str:
    with hub.db.reading() as conn:
        return str(conn.execute(select(gift_card_redemptions.c.status).where(
            gift_card_redemptions.c.redemption_id == str(redemption_id))).scalar_one())


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def test_a_card_sold_at_the_till_is_found_at_the_hub_once_its_sale_arrived(gift_till: GiftTill) -> None:
    with pytest.raises(GiftCardUnknown):
        gift_till.cards.find(card_number=PLASTIC)
    gift_till.sell_cards((PLASTIC, "250", ""))
    [found] = gift_till.cards.find(card_number=PLASTIC)
    assert (found.card_number, found.balance, found.needs_code, found.locked) == (PLASTIC, uah("250.00"), False, False)
    assert found.masked == "**** **** **** " + PLASTIC[-4:]
    with pytest.raises(NoGiftCardForPhone):
        gift_till.cards.find(phone=PHONE)
    with pytest.raises(GiftCardNotElectronic):
        gift_till.cards.send_code(PLASTIC)


def test_an_electronic_card_pays_with_the_code_from_the_sms_and_its_sale_captures_the_hold(
        gift_till: GiftTill, hub: Hub, sms_log: Path) -> None:
    gift_till.sell_cards(("", "300", "050 123 45 67"))
    till = gift_till.till
    till.add_product(GOODS[0], Decimal(2))
    checkout.begin(till)
    [found] = find_gift_card(till, gift_till.cards, "050 123 45 67")
    assert found.needs_code and found.phone_masked.endswith("67")
    sent = send_code(till, gift_till.cards, found.card_number)
    assert sent.expires_in_seconds == 300 and read_sms_log(sms_log)[-1]["phone"] == PHONE
    view = pay_gift_card(till, gift_till.cards, gift_till.log, found.card_number, "100", code=last_code(sms_log))
    [tender] = view.tenders
    assert tender.gift_card is not None and tender.gift_card.redemption_id is not None
    assert hold_status(hub, tender.gift_card.redemption_id) == "held"

    checkout.add_cash(till, "")
    sale = checkout.finish(till).sale
    assert sale is not None and sale.gift_card_payments == (tender.gift_card,)
    gift_till.push()
    assert hold_status(hub, tender.gift_card.redemption_id) == "captured"
    assert gift_till.cards.find(card_number=found.card_number)[0].balance == uah("200.00")


def test_a_redeem_asked_again_under_its_id_holds_once_and_a_release_gives_it_back(gift_till: GiftTill) -> None:
    gift_till.sell_cards((PLASTIC, "100", ""))
    rid, sale_id = uuid.uuid4(), uuid.uuid4()
    first = gift_till.cards.redeem(rid, sale_id, PLASTIC, uah("40.00"))
    again = gift_till.cards.redeem(rid, sale_id, PLASTIC, uah("40.00"))
    assert first == again and first.balance_after == uah("60.00")
    assert gift_till.cards.find(card_number=PLASTIC)[0].balance == uah("60.00")
    with pytest.raises(NotEnoughOnGiftCard) as refused:
        gift_till.cards.redeem(uuid.uuid4(), sale_id, PLASTIC, uah("70.00"))
    assert refused.value.fields["balance"] == uah("60.00")
    gift_till.cards.release(rid)
    gift_till.cards.release(rid)  # given back already: not an error
    assert gift_till.cards.find(card_number=PLASTIC)[0].balance == uah("100.00")


def test_wrong_codes_say_the_tries_left_and_the_third_locks_the_card(gift_till: GiftTill, sms_log: Path) -> None:
    gift_till.sell_cards(("", "50", "050 123 45 67"))
    [found] = gift_till.cards.find(phone=PHONE)
    gift_till.cards.send_code(found.card_number)
    wrong = "000000" if last_code(sms_log) != "000000" else "111111"
    left = []
    for _ in range(2):
        with pytest.raises(WrongGiftCardCode) as refused:
            gift_till.cards.redeem(uuid.uuid4(), uuid.uuid4(), found.card_number, uah("10.00"), wrong)
        left.append(refused.value.fields["attempts_left"])
    assert left == [2, 1]
    with pytest.raises(GiftCardLocked):
        gift_till.cards.redeem(uuid.uuid4(), uuid.uuid4(), found.card_number, uah("10.00"), wrong)
    assert gift_till.cards.find(card_number=found.card_number)[0].locked


def test_a_tender_removed_at_the_till_gives_the_hold_back_at_the_hub(gift_till: GiftTill, hub: Hub) -> None:
    gift_till.sell_cards((PLASTIC, "100", ""))
    till = gift_till.till
    till.add_product(GOODS[0])
    checkout.begin(till)
    [tender] = pay_gift_card(till, gift_till.cards, gift_till.log, PLASTIC, "10").tenders
    assert tender.gift_card is not None and tender.gift_card.redemption_id is not None
    remove_gift_card(till, gift_till.cards, gift_till.log, tender.payment.payment_id)
    assert hold_status(hub, tender.gift_card.redemption_id) == "released"
    assert gift_till.cards.find(card_number=PLASTIC)[0].balance == uah("100.00")


def test_a_hub_out_of_reach_is_gift_cards_need_the_hub_and_the_policy_pulled_before_allows_offline(
        gift_till: GiftTill, hub: Hub) -> None:
    set_policy(hub.db, STORE.store_id, "gift_cards", json.dumps({"offline": True, "offline_cap": "150.00",
                                                                  "currency": "UAH"}))
    pulled = gift_till.sync.pull()
    assert not isinstance(pulled, Exception), pulled
    unreachable = HubClient("http://127.0.0.1:9", gift_till.sync.client.credential, timeout=1, retry=FAST_RETRY)
    cards = HubGiftCards(unreachable, "UAH", timeout=1)
    with pytest.raises(GiftCardsNeedTheHub):
        cards.find(card_number=PLASTIC)
    with pytest.raises(GiftCardsNeedTheHub):
        cards.redeem(uuid.uuid4(), uuid.uuid4(), PLASTIC, uah("1.00"))
    unreachable.close()

    db = gift_till.real.db
    holds.attach(gift_till.till, cards, gift_till.log, lambda: stored_gift_card_policy(db))
    gift_till.till.add_product(GOODS[0])
    checkout.begin(gift_till.till)
    assert offline_offer(gift_till.till) == OfflineOffer(True, uah("150.00"))
