"""Paying with a gift card online: a hold at the hub under an id written in the log first, at
most the rest and the card's balance, an electronic card with its one-time code; removed or
cancelled, the hold goes back to the card; a lost answer asks the same id again."""

from __future__ import annotations

from decimal import Decimal

import pytest

from local_db.database import Database
from local_db.gift_card_log import SqlGiftCardLog
from pos.gift_cards.holds import HELD, REFUSED, RELEASED, GiftCardHoldsStay
from pos.gift_cards.paying import (
    GiftCardAlreadyInSale,
    GiftCardNeedsCode,
    find_gift_card,
    pay_gift_card,
    remove_gift_card,
    send_code,
)
from pos.gift_cards.records import GIFT_CARD
from pos.gift_cards.service import (
    GiftCardLocked,
    GiftCardsNeedTheHub,
    GiftCardUnknown,
    NotEnoughOnGiftCard,
    WrongGiftCardCode,
)
from pos.store_day import checkout
from pos.store_day.tenders import TenderAboveRest
from pos.till import Till
from tests.fakes import SHAMPOO
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.pos.gift_cards.paying_setup import (  # noqa: F401  (fixtures)
    ELECTRONIC,
    OTHER_PLASTIC,
    PHONE,
    PLASTIC,
    db,
    hub,
    log,
    outbox_message,
    till,
    uah,
)


def paying(till: Till, units: int = 2) -> None:
    till.add_product(SHAMPOO, Decimal(units))  # 89.90 each
    checkout.begin(till)


def test_a_card_holding_less_than_the_rest_pays_its_balance_and_the_sale_records_the_hold(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog, db: Database) -> None:
    paying(till)  # 179.80
    view = pay_gift_card(till, hub, log, "9900 0000 0000 0028", "")
    assert view.paid == uah("30.00") and view.rest == uah("149.80")
    assert hub.cards[OTHER_PLASTIC].balance == uah("0.00")
    [tender] = view.tenders
    assert tender.payment.method == GIFT_CARD and tender.gift_card is not None
    [entry] = log.of_basket(till.basket.basket_id)
    assert entry.outcome == HELD and entry.asked.redemption_id == tender.gift_card.redemption_id

    checkout.add_cash(till, "")
    sale = checkout.finish(till).sale
    assert sale is not None and sale.gift_card_payments == (tender.gift_card,)
    message = outbox_message(db, sale.receipt_number)
    assert message["schema"] == "kassa.sale.v4"
    assert message["gift_card_payments"] == [{
        "payment_id": str(tender.payment.payment_id), "card_number": OTHER_PLASTIC,
        "redemption_id": str(entry.asked.redemption_id), "approved_by": ""}]


def test_a_card_holding_more_than_the_rest_pays_the_rest_and_settles_the_sale(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    view = pay_gift_card(till, hub, log, PLASTIC, "")
    assert view.settled and view.paid == uah("179.80")
    assert hub.cards[PLASTIC].balance == uah("320.20")
    assert checkout.finish(till).sale is not None


def test_more_than_the_balance_or_the_rest_is_refused_before_anything_is_held(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    with pytest.raises(NotEnoughOnGiftCard):
        pay_gift_card(till, hub, log, OTHER_PLASTIC, "50")
    with pytest.raises(TenderAboveRest):
        pay_gift_card(till, hub, log, PLASTIC, "200")
    with pytest.raises(GiftCardUnknown):
        pay_gift_card(till, hub, log, "9900000000000036", "10")
    assert log.of_basket(till.basket.basket_id) == [] and "redeem" not in hub.calls


def test_an_electronic_card_needs_the_code_sent_to_the_customers_phone(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    [found] = find_gift_card(till, hub, "050 123 45 67")
    assert (found.card_number, found.needs_code, found.phone_masked) == (ELECTRONIC, True, "+380 ** *** ** 67")
    with pytest.raises(GiftCardNeedsCode):
        pay_gift_card(till, hub, log, ELECTRONIC, "100")
    sent = send_code(till, hub, ELECTRONIC)
    assert sent.sent_to == "+380 ** *** ** 67" and hub.sms[-1][0] == PHONE
    wrong = "000000" if hub.last_code() != "000000" else "111111"
    with pytest.raises(WrongGiftCardCode) as refused:
        pay_gift_card(till, hub, log, ELECTRONIC, "100", code=wrong)
    assert refused.value.fields == {"attempts_left": 2}
    view = pay_gift_card(till, hub, log, ELECTRONIC, "100", code=hub.last_code())
    assert view.paid == uah("100.00")
    assert [e.outcome for e in log.of_basket(till.basket.basket_id)] == [REFUSED, HELD]


def test_three_wrong_codes_lock_the_card(till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    send_code(till, hub, ELECTRONIC)
    for _ in range(2):
        with pytest.raises(WrongGiftCardCode):
            pay_gift_card(till, hub, log, ELECTRONIC, "10", code="x")
    with pytest.raises(GiftCardLocked):
        pay_gift_card(till, hub, log, ELECTRONIC, "10", code="x")
    with pytest.raises(GiftCardLocked):
        pay_gift_card(till, hub, log, ELECTRONIC, "10", code=hub.last_code())


def test_an_answer_lost_on_the_way_asks_the_same_id_again_and_the_card_is_held_once(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    hub.lose_answers = 1
    with pytest.raises(GiftCardsNeedTheHub):
        pay_gift_card(till, hub, log, PLASTIC, "50")
    [in_doubt] = log.of_basket(till.basket.basket_id)
    assert in_doubt.outcome is None and hub.cards[PLASTIC].balance == uah("450.00")  # the hub did hold it
    view = pay_gift_card(till, hub, log, PLASTIC, "50")
    assert view.paid == uah("50.00") and len(hub.holds) == 1
    assert hub.cards[PLASTIC].balance == uah("450.00")
    assert [(e.asked.redemption_id, e.outcome) for e in log.of_basket(till.basket.basket_id)] == [
        (in_doubt.asked.redemption_id, HELD)]


def test_an_answer_lost_then_another_amount_gives_the_first_hold_back_before_asking_anew(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    hub.lose_answers = 1
    with pytest.raises(GiftCardsNeedTheHub):
        pay_gift_card(till, hub, log, PLASTIC, "50")
    pay_gift_card(till, hub, log, PLASTIC, "60")
    assert hub.cards[PLASTIC].balance == uah("440.00")
    assert [e.outcome for e in log.of_basket(till.basket.basket_id)] == [RELEASED, HELD]


def test_a_gift_card_tender_removed_gives_its_hold_back_to_the_card(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    [tender] = pay_gift_card(till, hub, log, PLASTIC, "70").tenders
    with pytest.raises(GiftCardAlreadyInSale):
        pay_gift_card(till, hub, log, PLASTIC, "10")
    view = remove_gift_card(till, hub, log, tender.payment.payment_id)
    assert view.tenders == () and view.rest == uah("179.80")
    assert hub.cards[PLASTIC].balance == uah("500.00")
    assert log.of_basket(till.basket.basket_id)[0].outcome == RELEASED


def test_cancelling_paying_gives_every_hold_back_and_is_refused_while_the_hub_is_out_of_reach(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    pay_gift_card(till, hub, log, PLASTIC, "70")
    pay_gift_card(till, hub, log, OTHER_PLASTIC, "")
    hub.down = True
    with pytest.raises(GiftCardHoldsStay) as refused:
        checkout.cancel(till)
    assert refused.value.fields == {"amount": uah("100.00")}
    assert checkout.view(till).paid == uah("100.00")  # the tenders stay: the sale can still be finished
    hub.down = False
    checkout.cancel(till)
    assert hub.cards[PLASTIC].balance == uah("500.00") and hub.cards[OTHER_PLASTIC].balance == uah("30.00")
    assert checkout.begin(till).tenders == ()


def test_a_hold_removed_while_the_hub_is_out_of_reach_stays_in_the_sale(
        till: Till, hub: MemoryGiftCards, log: SqlGiftCardLog) -> None:
    paying(till)
    [tender] = pay_gift_card(till, hub, log, PLASTIC, "70").tenders
    hub.down = True
    with pytest.raises(GiftCardsNeedTheHub):
        remove_gift_card(till, hub, log, tender.payment.payment_id)
    assert checkout.view(till).tenders == (tender,)
