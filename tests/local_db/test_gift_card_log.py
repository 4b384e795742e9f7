"""The till's gift card redemption log on a real SQLite file: written before the hub is asked,
its outcome only from asked to held/refused/released (or held to released), never forgotten;
the chain's gift_cards policy as the pull keeps it."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from local_db.database import Database
from local_db.gift_card_log import SqlGiftCardLog, stored_gift_card_policy
from pos.errors import StorageProblem
from pos.gift_cards.holds import HELD, REFUSED, RELEASED, AskedRedemption, redemption_id
from pos.gift_cards.service import Redeemed
from pos.money import Money

CARD = "9900123456789015"
BASKET = uuid.UUID("11111111-2222-3333-4444-555555555555")


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def asked(turn: int, amount: str = "100.00") -> AskedRedemption:
    return AskedRedemption(redemption_id(BASKET, turn), BASKET, turn, CARD, uah(amount))


def test_a_redemption_asked_is_in_doubt_until_the_hub_answers_and_asking_again_changes_nothing(db: Database) -> None:
    log = SqlGiftCardLog(db)
    log.remember(asked(0))
    log.remember(asked(0))
    [entry] = log.of_basket(BASKET)
    assert entry.outcome is None and entry.asked == asked(0)


def test_a_held_redemption_keeps_the_hubs_approval_and_can_then_only_be_released(db: Database) -> None:
    log = SqlGiftCardLog(db)
    log.remember(asked(0))
    log.held(Redeemed(asked(0).redemption_id, CARD, uah("100.00"), "GC7K2M9Q", uah("400.00")))
    log.refused(asked(0).redemption_id, "WrongGiftCardCode")  # too late: held stays
    [entry] = log.of_basket(BASKET)
    assert (entry.outcome, entry.approval_code) == (HELD, "GC7K2M9Q")
    log.released(asked(0).redemption_id)
    assert log.of_basket(BASKET)[0].outcome == RELEASED


def test_a_refused_redemption_is_never_released_nor_held_later(db: Database) -> None:
    log = SqlGiftCardLog(db)
    log.remember(asked(0))
    log.refused(asked(0).redemption_id, "NotEnoughOnGiftCard")
    log.released(asked(0).redemption_id)
    log.held(Redeemed(asked(0).redemption_id, CARD, uah("100.00"), "X1", uah("0")))
    assert log.of_basket(BASKET)[0].outcome == REFUSED


def test_the_baskets_redemptions_come_in_the_order_of_their_turns_and_no_other_baskets(db: Database) -> None:
    log = SqlGiftCardLog(db)
    for turn in (2, 0, 1):
        log.remember(asked(turn, f"{turn + 1}.00"))
    other = uuid.uuid4()
    log.remember(AskedRedemption(redemption_id(other, 0), other, 0, CARD, uah("5.00")))
    assert [e.asked.turn for e in log.of_basket(BASKET)] == [0, 1, 2]


def test_the_database_refuses_to_forget_or_rewrite_a_redemption(db: Database) -> None:
    SqlGiftCardLog(db).remember(asked(0))
    with pytest.raises((StorageProblem, IntegrityError)):
        db.write(lambda c: c.exec_driver_sql("DELETE FROM gift_card_redemptions"), "forgetting")
    with pytest.raises((StorageProblem, IntegrityError)):
        db.write(lambda c: c.exec_driver_sql("UPDATE gift_card_redemptions SET amount_minor = 1"), "rewriting")


def test_the_gift_cards_policy_the_pull_kept_is_read_and_a_bad_one_means_online_only(db: Database) -> None:
    assert stored_gift_card_policy(db) is None
    body = json.dumps({"offline": True, "offline_cap": "200.00", "currency": "UAH"})
    db.write(lambda c: c.exec_driver_sql("INSERT INTO store_policies (name, body) VALUES ('gift_cards', ?)", (body,)),
             "keeping")
    policy = stored_gift_card_policy(db)
    assert policy is not None and policy.offline and policy.cap_in("UAH") == uah("200.00")
    assert policy.cap_in("EUR").is_zero()
    db.write(lambda c: c.exec_driver_sql("UPDATE store_policies SET body = '{\"offline\": 1}'"), "breaking")
    assert stored_gift_card_policy(db) is None
