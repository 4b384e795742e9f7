"""Cash, card and split payments: only cash gives change, cash is what the shop can hand over,
and the tenders settle the due amount exactly."""

import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.money import Money, money_sum
from pos.store_day.paid_sale import card_approvals, cash_changes_hands, sale_paid_with
from pos.store_day.tenders import (
    CARD,
    BadCardApproval,
    CardAlreadyCounted,
    CardApproval,
    CardDataRefused,
    CashNotHandable,
    NothingLeftToPay,
    NotSettled,
    Settlement,
    TenderAboveRest,
    TenderNotPositive,
)
from pos.payment_terminal import CardApproved
from pos.pricing.priced import LineDiscount, PricedBasket, PricedLine
from pos.tender import CASH, AbsurdCash, CashPolicy
from tests.pos.store_day.day import CARD_OK, CASHIER, EXAMPLES, SHAMPOO, STORE, T0, TILL, basket_of, money

TEN = CashPolicy(Decimal("0.10"))


def test_cash_gives_change_and_the_rounding_is_its_own_line():
    settlement = Settlement(money("3082.53"), TEN)
    assert settlement.cash_due() == money("3082.50")
    tender = settlement.add_cash(money("3100"))
    settled = settlement.settle()
    assert (tender.payment.amount, tender.payment.change) == (money("3082.50"), money("17.50"))
    assert settled.rounding == money("-0.03")
    assert settled.payments[0].amount == settled.total + settled.rounding


def test_cash_the_shop_cannot_hand_over_is_refused():
    settlement = Settlement(money("3082.53"), TEN)
    with pytest.raises(CashNotHandable) as refused:
        settlement.add_cash(money("3082.55"))
    assert refused.value.fields == {"amount": money("3082.55"), "coin": Money(Decimal("0.10"), "UAH")}
    assert settlement.tenders == []


def test_only_cash_gives_change_a_card_may_not_pay_more_than_is_left():
    settlement = Settlement(money("100"), TEN)
    with pytest.raises(TenderAboveRest):
        settlement.add_card(money("100.01"), CARD_OK)
    settlement.add_card(money("100"), CARD_OK)
    assert settlement.is_settled() and settlement.settle().change == money("0")


def test_a_split_payment_pays_part_by_card_and_the_rest_in_cash():
    settlement = Settlement(money("250.07"), TEN)
    settlement.add_cash(money("50"))  # part: no change, no rounding yet
    settlement.add_card(money("150.02"), CARD_OK)
    assert settlement.rest() == money("50.05") and settlement.cash_due() == money("50.10")
    with pytest.raises(NotSettled):
        settlement.settle()
    settlement.add_cash(money("100"))
    settled = settlement.settle()
    assert [p.method for p in settled.payments] == [CASH, CARD, CASH]
    assert settled.rounding == money("0.05") and settled.change == money("49.90")
    with pytest.raises(NothingLeftToPay):
        settlement.add_card(money("1"), CARD_OK)


def test_a_rest_smaller_than_half_a_coin_is_settled_by_rounding_with_no_cash():
    settlement = Settlement(money("100.04"), TEN)
    settlement.add_card(money("100"), CARD_OK)
    assert settlement.cash_due() == money("0")
    with pytest.raises(TenderNotPositive):
        settlement.add_cash(money("-1"))
    settlement.add_cash(money("0"))
    assert settlement.settle().rounding == money("-0.04")


def test_absurd_cash_and_zero_tenders_are_refused():
    with pytest.raises(AbsurdCash):
        Settlement(money("10"), TEN).add_cash(money("200000"))
    with pytest.raises(TenderNotPositive):
        Settlement(money("10"), TEN).add_card(money("0"), CARD_OK)
    with pytest.raises(TenderNotPositive):
        Settlement(money("10"), TEN).add_cash(money("0"))


@pytest.mark.parametrize("code", ["", "12 34", "ABC-1", "x" * 13, "коди"])
def test_an_approval_code_is_letters_and_digits(code):
    with pytest.raises(BadCardApproval):
        CardApproval(code, "**** 4242")


@pytest.mark.parametrize("reference", ["4242424242424242", "4242 4242 4242 4242", "x" * 33])
def test_a_card_number_is_never_kept_as_a_reference(reference):
    with pytest.raises(CardDataRefused):
        CardApproval("123456", reference)
    with pytest.raises(CardDataRefused):
        CardApproval("123456", "**** 4242", terminal_reference=reference)


def test_a_masked_reference_shows_no_more_than_six_digits_in_a_row_a_terminal_id_may_have_more():
    with pytest.raises(CardDataRefused):
        CardApproval("123456", "1234567")
    assert CardApproval("123456", "424242******4242", terminal_reference="T-12345678")


def test_the_terminals_approval_becomes_a_tender_under_the_payment_id_the_till_sent():
    result = CardApproved(uuid.uuid4(), money("60.00"), "AB12CD", "**** 4242", "term-1")
    settlement = Settlement(money("100"), TEN)
    tender = settlement.add_approved_card(result)
    assert tender.payment.payment_id == result.payment_id and tender.payment.amount == money("60.00")
    assert tender.card == CardApproval("AB12CD", "**** 4242", "term-1")
    with pytest.raises(CardAlreadyCounted):
        settlement.add_approved_card(result)
    manual = CardApproved(uuid.uuid4(), money("40.00"), "7777", "", "manual")
    settlement.add_approved_card(manual)
    assert settlement.is_settled()


def test_a_sale_paid_by_split_tenders_keeps_them_and_its_card_approvals_beside_it():
    basket = basket_of([(SHAMPOO, Decimal(3))])  # 269.70
    settlement = Settlement(basket.total(), TEN)
    card = settlement.add_card(money("200"), CARD_OK)
    settlement.add_cash(money("100"))
    settled = settlement.settle()
    sale = sale_paid_with(basket, settled, store_id=STORE, till_id=TILL, cashier=CASHIER.cashier, completed_at=T0)
    assert sale.payments == settled.payments and sale.due == money("269.70") and sale.change == money("30.30")
    assert card_approvals(settled) == {card.payment.payment_id: CARD_OK}


COINS = st.sampled_from([Decimal("0.01"), Decimal("0.05"), Decimal("0.10"), Decimal("0.50"), Decimal("1")])
CENTS = st.integers(min_value=1, max_value=10_000_000)


@settings(max_examples=EXAMPLES * 3)
@given(total=CENTS, coin=COINS, steps=st.lists(st.tuples(st.booleans(), st.integers(1, 5_000_000)), max_size=6),
       extra=st.integers(0, 50))
def test_split_tenders_always_settle_the_due_amount_exactly(total, coin, steps, extra):
    settlement = Settlement(Money.from_minor(total, "UAH"), CashPolicy(coin))
    for by_card, cents in steps:
        if settlement.is_settled():
            break
        rest = settlement.rest().minor_units()
        if by_card:
            settlement.add_card(Money.from_minor(min(cents, rest), "UAH"), CARD_OK)
        else:
            part = Money(Decimal(cents) * coin, "UAH")
            if part < settlement.cash_due():
                settlement.add_cash(part)
    if not settlement.is_settled():
        settlement.add_cash(settlement.cash_due() + Money(coin * extra, "UAH"))
    settled = settlement.settle()
    paid = money_sum([p.amount for p in settled.payments], "UAH")
    assert paid == settled.total + settled.rounding
    assert abs(settled.rounding.amount) <= coin / 2
    for p in settled.payments:
        assert p.amount.amount > 0 or (p.method == CASH and p.amount.is_zero())
        assert p.tendered - p.change == p.amount
        if p.method != CASH:
            assert p.change.is_zero()
        else:
            assert p.tendered.amount % coin == 0 and p.change.amount % coin == 0
    if not any(p.method == CASH for p in settled.payments):
        assert settled.rounding.is_zero()


def test_a_sale_the_promotions_made_free_is_paid_with_one_cash_payment_of_zero():
    """Nothing to pay is settled at once, with no tender: the sale still records a payment
    (the hub takes no sale without one), cash 0.00 tendered, no change."""
    basket = basket_of([(SHAMPOO, Decimal(2))])
    line = basket.lines[0]
    priced = PricedBasket("UAH", (PricedLine(line, (LineDiscount("P-FREE", "Free", line.total),)),))
    settlement = Settlement(priced.total, TEN)
    assert settlement.is_settled() and settlement.tenders == []
    sale = sale_paid_with(basket, settlement.settle(), store_id=STORE, till_id=TILL, cashier=CASHIER.cashier,
                          completed_at=T0, priced=priced)
    assert sale.total == sale.due == money("0")
    assert [(p.method, p.amount, p.tendered, p.change) for p in sale.payments] == [(CASH, money("0"), money("0"),
                                                                                     money("0"))]
    assert not cash_changes_hands(sale)  # the drawer stays shut


def test_the_drawer_opens_when_cash_is_tendered_or_given_back_and_not_for_a_card_sale():
    def paid(settlement: Settlement):  # type: ignore[no-untyped-def]
        return sale_paid_with(basket_of([(SHAMPOO, Decimal(1))]), settlement.settle(), store_id=STORE, till_id=TILL,
                              cashier=CASHIER.cashier, completed_at=T0)
    cash = Settlement(SHAMPOO.price, TEN)
    cash.add_cash(money("100"))
    card = Settlement(SHAMPOO.price, TEN)
    card.add_card(SHAMPOO.price, CARD_OK)
    assert cash_changes_hands(paid(cash)) and not cash_changes_hands(paid(card))
