"""Where a refund goes: a card payment back to the card only through a terminal; a gift card or
loyalty points payment back to itself with or without one (the hub credits them); cash for the
rest, and everything in cash when the cashier chose to refund in cash."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from pos.money import Money
from pos.store_day.returns import RefundPolicy, plan_refunds
from pos.tender import CashPolicy, Payment
from tests.pos.discounted_sale import discounted_sale


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def paid(method: str, amount: str) -> Payment:
    return Payment(uuid.uuid4(), method, uah(amount), uah(amount), uah("0"))


SALE = replace(discounted_sale(), payments=(paid("card", "100.00"), paid("gift_card", "150.00"),
                                             paid("points", "20.00"), paid("cash", "134.19")))
CASH = CashPolicy(Decimal("0.10"))


def methods(policy: RefundPolicy, amount: str = "300.00") -> dict[str, Money]:
    refunds, _rounding = plan_refunds(uah(amount), SALE, {}, policy, CASH)
    return {r.payment.method: r.payment.amount for r in refunds}


def test_without_a_terminal_the_gift_card_and_points_still_get_their_share_and_the_card_share_is_cash() -> None:
    assert methods(RefundPolicy(card_to_card=False)) == {"gift_card": uah("150.00"), "points": uah("20.00"),
                                                         "cash": uah("130.00")}


def test_with_a_terminal_each_non_cash_tender_gets_its_share_first() -> None:
    assert methods(RefundPolicy()) == {"card": uah("100.00"), "gift_card": uah("150.00"), "points": uah("20.00"),
                                       "cash": uah("30.00")}


def test_refund_in_cash_sends_everything_to_the_drawer() -> None:
    assert methods(RefundPolicy(card_to_card=False, to_tenders=False)) == {"cash": uah("300.00")}
