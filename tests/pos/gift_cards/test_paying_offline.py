"""Paying with a gift card while the hub cannot be reached: only under the chain's gift_cards
policy, at most its cap per sale, each payment approved by a manager bound to its amount and the
sale, recorded with no redemption id and the manager who approved it."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from local_db.database import Database
from pos.gift_cards.paying import (
    GiftCardOfflineAboveCap,
    GiftCardOfflineRefused,
    offline_offer,
    pay_gift_card_offline,
)
from pos.gift_cards.records import GiftCardPayment
from pos.store_day import checkout
from pos.store_day.approval import ApprovalMismatch
from pos.store_day.day import NeedsApproval
from pos.store_day.roles import Action
from pos.till import Till
from tests.fakes import SHAMPOO
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.pos.gift_cards.paying_setup import (  # noqa: F401  (fixtures)
    OTHER_PLASTIC,
    PLASTIC,
    db,
    hub,
    keep_policy,
    outbox_message,
    till,
    uah,
)

POLICY = {"offline": True, "offline_cap": "200.00", "currency": "UAH"}


def approved(till: Till, needed: NeedsApproval) -> uuid.UUID:
    """The manager (code 9) approves on the spot what ``needed`` asks."""
    assert till.day is not None
    request = till.day.ask(needed)
    till.day.approve(request.request_id, "9", "4321", "customer_changed_mind")
    return request.request_id


def pay_offline(till: Till, card: str, amount: str) -> checkout.CheckoutView:
    try:
        return pay_gift_card_offline(till, card, amount)
    except NeedsApproval as needed:
        assert (needed.action, needed.sale_id) == (Action.GIFT_CARD_OFFLINE, till.basket.basket_id)
        return pay_gift_card_offline(till, card, amount, approval_id=approved(till, needed))


def test_without_the_chains_policy_no_gift_card_pays_offline(till: Till) -> None:
    till.add_product(SHAMPOO)
    checkout.begin(till)
    assert offline_offer(till).allowed is False
    with pytest.raises(GiftCardOfflineRefused):
        pay_gift_card_offline(till, PLASTIC, "10")


def test_a_cashier_needs_a_managers_approval_bound_to_the_amount_and_the_sale(till: Till, db: Database) -> None:
    keep_policy(db, POLICY)
    till.add_product(SHAMPOO, Decimal(2))  # 179.80
    checkout.begin(till)
    assert (offline_offer(till).allowed, offline_offer(till).cap) == (True, uah("200.00"))
    with pytest.raises(NeedsApproval) as needed:
        pay_gift_card_offline(till, PLASTIC, "")
    assert needed.value.amount == uah("179.80")  # the rest, within the cap
    view = pay_gift_card_offline(till, PLASTIC, "", approval_id=approved(till, needed.value))
    assert view.settled
    [tender] = view.tenders
    assert tender.gift_card == GiftCardPayment(tender.payment.payment_id, PLASTIC, None, "9")

    sale = checkout.finish(till).sale
    assert sale is not None and sale.gift_card_payments == (tender.gift_card,)
    message = outbox_message(db, sale.receipt_number)
    assert message["gift_card_payments"] == [{"payment_id": str(tender.payment.payment_id), "card_number": PLASTIC,
                                              "redemption_id": None, "approved_by": "9"}]


def test_an_approval_for_another_amount_is_refused(till: Till, db: Database) -> None:
    keep_policy(db, POLICY)
    till.add_product(SHAMPOO)
    checkout.begin(till)
    with pytest.raises(NeedsApproval) as needed:
        pay_gift_card_offline(till, PLASTIC, "20")
    approval = approved(till, needed.value)
    with pytest.raises(ApprovalMismatch):
        pay_gift_card_offline(till, PLASTIC, "30", approval_id=approval)
    assert checkout.view(till).tenders == ()


def test_the_cap_counts_every_offline_gift_card_payment_of_the_sale(till: Till, db: Database) -> None:
    keep_policy(db, {**POLICY, "offline_cap": "100.00"})
    till.add_product(SHAMPOO, Decimal(3))  # 269.70
    checkout.begin(till)
    with pytest.raises(GiftCardOfflineAboveCap) as refused:
        pay_offline(till, PLASTIC, "150")
    assert refused.value.fields == {"cap": uah("100.00"), "left": uah("100.00")}
    pay_offline(till, PLASTIC, "60")
    assert offline_offer(till).cap == uah("40.00")
    view = pay_offline(till, OTHER_PLASTIC, "")  # the rest of the cap
    assert view.paid == uah("100.00") and offline_offer(till).allowed is False
    with pytest.raises(GiftCardOfflineRefused):
        pay_gift_card_offline(till, "9900000000000036", "1")


def test_a_policy_of_another_currency_allows_nothing_offline(till: Till, db: Database) -> None:
    keep_policy(db, {**POLICY, "currency": "EUR"})
    till.add_product(SHAMPOO)
    checkout.begin(till)
    assert offline_offer(till).allowed is False


def test_cancelling_paying_drops_an_offline_gift_card_payment_with_nothing_to_give_back(
        till: Till, db: Database, hub: MemoryGiftCards) -> None:
    keep_policy(db, POLICY)
    till.add_product(SHAMPOO)
    checkout.begin(till)
    pay_offline(till, PLASTIC, "10")
    hub.down = True  # nothing is held at the hub: the cancel needs no link
    checkout.cancel(till)
    assert checkout.begin(till).tenders == () and "release" not in hub.calls
