"""A till restarted mid-payment finds its gift card holds again in the log: a held one is a
tender again (never held twice), one whose answer never came is given back to the card."""

from __future__ import annotations

from decimal import Decimal

from local_db.database import Database
from local_db.gift_card_log import SqlGiftCardLog
from pos.gift_cards.holds import HELD, REFUSED
from pos.gift_cards.paying import gift_cards_held, pay_gift_card, release_gift_cards, send_code
from pos.gift_cards.service import GiftCardsNeedTheHub
from pos.store_day import checkout
from pos.till import Till
from tests.fakes import SHAMPOO
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.pos.gift_cards.paying_setup import ELECTRONIC, PLASTIC, db, hub, log, till, uah, wired_till  # noqa: F401

import pytest


def test_a_hold_made_before_a_restart_is_a_tender_again_and_the_sale_records_it(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog, db: Database) -> None:
    till.add_product(SHAMPOO, Decimal(2))
    checkout.begin(till)
    [tender] = pay_gift_card(till, hub, log, PLASTIC, "100").tenders

    again = wired_till(db, hub)  # the till process started again on the same database
    assert again.basket.basket_id == till.basket.basket_id
    view = checkout.begin(again)
    assert view.tenders == (tender,) and view.rest == uah("79.80")
    assert gift_cards_held(again) == uah("100.00")
    checkout.add_cash(again, "")
    sale = checkout.finish(again).sale
    assert sale is not None and sale.gift_card_payments == (tender.gift_card,)
    assert len(hub.holds) == 1 and hub.cards[PLASTIC].balance == uah("400.00")


def test_a_hold_whose_answer_was_lost_before_a_restart_is_asked_again_under_its_id_and_held_once(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog, db: Database) -> None:
    till.add_product(SHAMPOO)
    checkout.begin(till)
    send_code(till, hub, ELECTRONIC)
    hub.lose_answers = 1
    with pytest.raises(GiftCardsNeedTheHub):
        pay_gift_card(till, hub, log, ELECTRONIC, "50", code=hub.last_code())
    assert hub.cards[ELECTRONIC].balance == uah("250.00")

    again = wired_till(db, hub)
    view = checkout.begin(again)  # the code was used: the hub answers the hold it made, by its id
    assert view.paid == uah("50.00") and len(hub.holds) == 1
    assert hub.cards[ELECTRONIC].balance == uah("250.00")
    assert [e.outcome for e in log.of_basket(again.basket.basket_id)] == [HELD]


def test_a_hold_still_in_doubt_while_the_hub_is_out_of_reach_is_asked_again_by_the_next_payment(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog, db: Database) -> None:
    till.add_product(SHAMPOO)
    checkout.begin(till)
    hub.lose_answers = 1
    with pytest.raises(GiftCardsNeedTheHub):
        pay_gift_card(till, hub, log, PLASTIC, "50")
    hub.down = True
    again = wired_till(db, hub)
    assert checkout.begin(again).tenders == ()
    hub.down = False
    view = pay_gift_card(again, hub, log, PLASTIC, "50")
    assert view.paid == uah("50.00") and len(hub.holds) == 1 and hub.cards[PLASTIC].balance == uah("450.00")
    assert [e.outcome for e in log.of_basket(again.basket.basket_id)] == [HELD]


def test_an_electronic_card_asked_but_never_held_is_not_held_after_a_restart_without_its_code(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog, db: Database) -> None:
    till.add_product(SHAMPOO)
    checkout.begin(till)
    send_code(till, hub, ELECTRONIC)
    hub.lose_requests = 1
    with pytest.raises(GiftCardsNeedTheHub):
        pay_gift_card(till, hub, log, ELECTRONIC, "50", code=hub.last_code())
    again = wired_till(db, hub)
    assert checkout.begin(again).tenders == () and hub.cards[ELECTRONIC].balance == uah("300.00")
    assert [e.outcome for e in log.of_basket(again.basket.basket_id)] == [REFUSED]


def test_the_sale_screen_can_give_the_holds_back_before_cancelling_or_parking_the_sale(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    till.add_product(SHAMPOO)
    checkout.begin(till)
    pay_gift_card(till, hub, log, PLASTIC, "20")
    release_gift_cards(till)
    assert gift_cards_held(till).is_zero() and hub.cards[PLASTIC].balance == uah("500.00")
