"""Cash tendered and change are amounts the shop can hand over: with 0.10 coins a tendered
3082.55 is refused naming the smallest coin, and whatever is accepted gives change in coins.
One rule (``pos.money.require_handable``) for the live sale and for split tenders."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.i18n import translator
from pos.money import CashNotHandable, Money, is_handable
from pos.store_day.tenders import Settlement
from pos.tender import CashPolicy, pay_cash
from tests.fakes import SHAMPOO, MemoryJournal, make_till

EXAMPLES = 3000 if os.environ.get("KASSA_SOAK") else 200
COINS = ["0.01", "0.05", "0.10", "0.20", "0.50", "1", "2", "5", "10"]


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def test_the_live_till_refuses_cash_the_shop_cannot_hand_over_and_records_nothing():
    journal = MemoryJournal()
    till = make_till(journal, rounding="0.10")
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)  # 89.90
    with pytest.raises(CashNotHandable) as refused:
        till.pay_cash("89.95")
    assert refused.value.fields == {"amount": uah("89.95"), "coin": uah("0.10")}
    assert journal.sales == {} and len(till.view().lines) == 1  # the sale waits for a good amount
    sale = till.pay_cash("100").sale
    assert sale is not None
    assert (sale.payments[0].tendered, sale.payments[0].change) == (uah("100.00"), uah("10.10"))


def test_the_refusal_names_the_amount_and_the_smallest_coin_in_the_cashiers_language():
    error = CashNotHandable(amount=uah("3082.55"), coin=uah("0.10"))
    english = error.user_message(translator("en"), str)
    assert english == "3082.55 UAH cannot be handed over in cash here: the smallest coin is 0.10 UAH."
    for language in ("uk", "az", "ka"):
        shown = error.user_message(translator(language), str)
        assert shown != english and "3082.55 UAH" in shown and "0.10 UAH" in shown


def test_a_split_payment_and_a_sale_refuse_the_same_amounts():
    with pytest.raises(CashNotHandable):
        Settlement(uah("3082.53"), CashPolicy(Decimal("0.10"))).add_cash(uah("3082.55"))
    with pytest.raises(CashNotHandable):
        pay_cash(uah("3082.50"), uah("3082.55"), CashPolicy(Decimal("0.10")))
    assert pay_cash(uah("3082.50"), uah("3082.60"), CashPolicy(Decimal("0.10"))).change == uah("0.10")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=0, max_value=10**7),
       st.sampled_from(COINS))
def test_accepted_cash_always_gives_change_the_drawer_can_hand_back(total_minor, over_minor, coin_text):
    coin = Decimal(coin_text)
    cash = CashPolicy(coin)
    due = cash.due(Money.from_minor(total_minor, "UAH"))
    tendered = Money.from_minor(due.minor_units() + over_minor, "UAH")
    if not is_handable(tendered, coin):
        with pytest.raises(CashNotHandable):
            pay_cash(due, tendered, cash)
        return
    payment = pay_cash(due, tendered, cash)
    assert payment.change.amount % coin == 0 and payment.change.amount >= 0
    assert payment.tendered - payment.change == due == payment.amount
