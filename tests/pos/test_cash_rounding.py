"""Cash rounding and the cash tender, with hand-worked figures.

Every tie here is one where half up and half even disagree (12.25 to the 0.10 coin is
12.30 half up, 12.20 half even), so a change of rounding mode is noticed."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.money import Money, round_money, round_to_increment
from pos.tender import CASH, MAX_CASH_OVER_DUE, AbsurdCash, CashBelowTotal, CashPolicy, pay_cash


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


@pytest.mark.parametrize(
    ("amount", "coin", "due"),
    [
        ("12.25", "0.10", "12.30"),  # tie: half even would give 12.20
        ("12.15", "0.10", "12.20"),  # tie: half even gives 12.20 too, half down 12.10
        ("12.24", "0.10", "12.20"),
        ("12.26", "0.10", "12.30"),
        ("1.025", "0.05", "1.05"),  # 20.5 coins: half even would give 1.00
        ("1.02", "0.05", "1.00"),
        ("1.03", "0.05", "1.05"),
        ("0.50", "1", "1.00"),  # half a hryvnia: half even would give 0
        ("2.50", "1", "3.00"),
        ("2.49", "1", "2.00"),
        ("-12.25", "0.10", "-12.30"),  # half up is away from zero on both sides
        ("-0.50", "1", "-1.00"),
        ("12.34", "0.01", "12.34"),
        ("0.00", "0.10", "0.00"),
    ],
)
def test_cash_is_rounded_to_the_nearest_coin_and_a_tie_goes_away_from_zero(amount, coin, due):
    rounded = round_to_increment(uah(amount), Decimal(coin))
    assert rounded == uah(due)
    assert rounded.amount.as_tuple().exponent == -2  # whole kopiyky, written to the cent


@pytest.mark.parametrize(("amount", "rounded"), [("0.125", "0.13"), ("0.135", "0.14"), ("-0.125", "-0.13"),
                                                 ("2.005", "2.01"), ("2.0049", "2.00"), ("7", "7.00")])
def test_an_amount_is_rounded_half_up_to_the_cent(amount, rounded):
    result = round_money(uah(amount))
    assert result == uah(rounded) and str(result.amount) == rounded


@pytest.mark.parametrize("coin", ["0", "-0.10"])
def test_a_coin_of_nothing_or_less_is_refused(coin):
    with pytest.raises(ValueError, match="^rounding increment must be positive$"):
        round_to_increment(uah("1.00"), Decimal(coin))


@given(st.integers(min_value=-10**9, max_value=10**9), st.sampled_from(["0.01", "0.05", "0.10", "0.20", "0.50", "1", "5"]))
def test_cash_due_is_the_nearest_whole_number_of_coins_ties_away_from_zero(minor, coin_text):
    amount, coin = Money.from_minor(minor, "UAH"), Decimal(coin_text)
    rounded = round_to_increment(amount, coin)
    assert rounded.amount % coin == 0
    gap = abs(rounded.amount - amount.amount)
    assert gap <= coin / 2
    if gap == coin / 2 and gap:  # a tie: away from zero
        assert abs(rounded.amount) > abs(amount.amount)


def test_the_default_cash_policy_does_not_round():
    assert CashPolicy().rounding_increment == Decimal("0.01")
    assert CashPolicy().due(uah("149.37")) == uah("149.37")


def test_a_cash_policy_rounds_the_total_to_its_coin():
    assert CashPolicy(Decimal("0.10")).due(uah("149.35")) == uah("149.40")
    assert CashPolicy(Decimal("0.50")).due(uah("149.24")) == uah("149.00")
    assert CashPolicy(Decimal("0.50")).due(uah("149.25")) == uah("149.50")


def test_paying_cash_gives_back_the_difference_and_settles_what_was_due():
    payment = pay_cash(uah("149.40"), uah("200.00"))
    assert payment.method == CASH == "cash"
    assert (payment.amount, payment.tendered, payment.change) == (uah("149.40"), uah("200.00"), uah("50.60"))
    assert isinstance(payment.payment_id, uuid.UUID)
    assert pay_cash(uah("1"), uah("1")).payment_id != payment.payment_id


def test_the_exact_amount_gives_no_change():
    payment = pay_cash(uah("149.40"), uah("149.40"))
    assert payment.change == uah("0.00") and payment.change.is_zero()


def test_one_kopiyka_short_is_refused_naming_both_amounts():
    with pytest.raises(CashBelowTotal) as caught:
        pay_cash(uah("149.40"), uah("149.39"))
    assert caught.value.fields == {"tendered": uah("149.39"), "due": uah("149.40")}  # values: the UI writes them


def test_cash_up_to_the_limit_over_the_due_is_taken_and_one_kopiyka_more_is_absurd():
    assert MAX_CASH_OVER_DUE == Decimal(100000)
    due = uah("149.40")
    taken = pay_cash(due, uah("100149.40"))
    assert taken.change == uah("100000.00")
    with pytest.raises(AbsurdCash) as caught:
        pay_cash(due, uah("100149.41"))
    assert caught.value.fields == {"tendered": uah("100149.41"), "due": uah("149.40")}
    with pytest.raises(AbsurdCash):
        pay_cash(uah("0.00"), uah("1000000"))
