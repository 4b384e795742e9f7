"""Every number a cashier types (cash, quantities, weights, the quantity before ``*`` in a
scan) is read in one place and bounded: it works, or it is a PosError quoting what was
typed; never decimal.InvalidOperation, Overflow, or a float."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pos.money import AmountTooLarge, BadAmount, Money, coin_problem, parse_amount
from pos.quantity import InvalidQuantity, QuantityNotWhole, QuantityTooLarge, parse_decimal, read_typed_number
from pos.till import BadCashAmount, is_scan
from tests.fakes import APPLES, SHAMPOO, VITAMINS, make_till
from tests.pos.typed_inputs import EXAMPLES, FORTY_DIGITS, typed_numbers


def signed_in(**kw):
    till = make_till(**kw)
    till.start()
    till.sign_in("1", "1234")
    return till


# -- the concrete cases found by fuzzing -------------------------------------------------
@pytest.mark.parametrize("typed", ["1e30", FORTY_DIGITS, "1e-999999", "1E+999999999", "Infinity", "NaN", "sNaN",
                                   "-5", "+5", "0x10", "1_000", "5 5.5.5", "٣", "²", "\x00", "1" * 5000, ""])
def test_absurd_cash_is_refused_clearly_and_the_sale_stays_open(typed):
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    if not typed:
        typed = "  \t "  # empty means "exact": blanks alone are that too
        assert till.pay_cash(typed).sale is not None
        return
    with pytest.raises((BadCashAmount, AmountTooLarge)) as err:
        till.pay_cash(typed)
    message = err.value.user_message()
    assert typed[:10].strip() in message or "\x00" in typed or typed.isspace()
    assert len(message) < 200
    assert till.view().lines and till.journal.sales == {}


def test_forty_digits_of_cash_are_too_large_an_amount_and_the_message_says_the_limit():
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    with pytest.raises(AmountTooLarge) as err:
        till.pay_cash(FORTY_DIGITS)
    assert "999999999.99" in err.value.user_message() and "99999999999999999999…" not in err.value.user_message()


@pytest.mark.parametrize("typed,amount", [("100", "100.00"), ("99.5", "99.50"), ("99,50", "99.50"), (",5", "0.50"),
                                          ("1 000", "1000.00"), ("1\u00a0000,00", "1000.00"), ("100.000", "100.00"),
                                          ("007", "7.00"), ("999999999.99", "999999999.99")])
def test_cash_is_read_the_way_cashiers_type_it(typed, amount):
    assert parse_amount(typed, "UAH") == Money(Decimal(amount), "UAH")
    assert str(parse_amount(typed, "UAH").amount) == amount


@pytest.mark.parametrize("typed", ["0.001", "1.2.3", ".", ",", "1,000.00", "12a", "1e2", "--1"])
def test_what_is_not_an_amount_of_money_says_so(typed):
    with pytest.raises(BadAmount) as err:
        parse_amount(typed, "UAH")
    assert typed in err.value.user_message()


@pytest.mark.parametrize("typed,error", [("1e30", InvalidQuantity), (FORTY_DIGITS, InvalidQuantity),
                                         ("1e-999999", InvalidQuantity), ("9" * 5000, InvalidQuantity),
                                         ("1000", QuantityTooLarge), ("999999999999", QuantityTooLarge), ("1" * 13, InvalidQuantity), ("0.5", QuantityNotWhole),
                                         ("0.0001", QuantityNotWhole), ("-0", InvalidQuantity), ("0,000", InvalidQuantity)])
def test_absurd_quantities_before_a_star_are_refused_and_the_basket_is_unchanged(typed, error):
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    with pytest.raises(error) as err:
        till.scan(f"{typed}*{VITAMINS.barcode}")
    assert len(err.value.user_message()) < 200
    assert [line.product for line in till.view().lines] == [SHAMPOO]


@pytest.mark.parametrize("typed,kilograms", [("0.350", "0.35"), ("0,35", "0.35"), (",5", "0.5"), ("2", "2"),
                                             ("1.2500", "1.25"), ("100", "100")])
def test_a_typed_weight_is_read_to_the_gram(typed, kilograms):
    line = signed_in().scan(f"{typed}*{APPLES.code}").line
    assert line.quantity == Decimal(kilograms) and line.quantity.as_tuple().exponent == -3


def test_quantities_are_bounded_in_digits_and_decimals():
    assert parse_decimal("000000000001") == 1  # leading zeros do not count
    assert read_typed_number("1234567", digits=6, decimals=3) is None
    assert read_typed_number("1.0001", digits=6, decimals=3) is None
    assert read_typed_number("1.0001000", digits=6, decimals=4) == Decimal("1.0001")


def test_a_scan_is_digits_with_an_optional_quantity_and_star():
    assert is_scan(" 3*4820000000001 ") and is_scan("0,350*20001") and is_scan("1001")
    assert not any(map(is_scan, ["1e3*1001", "٣*1001", "3**1001", "*1001", "shampoo", "3*", ""]))


@pytest.mark.parametrize("increment,currency", [("0.01", "UAH"), ("0.05", "UAH"), ("0.1", "UAH"), ("0.10", "AZN"),
                                                ("0.2", "GEL"), ("0.50", "EUR"), ("1", "USD"), ("5", "PLN"), ("10", "UAH")])
def test_a_coin_is_one_two_or_five_times_a_power_of_ten_in_whole_cents(increment, currency):
    assert coin_problem(Decimal(increment), currency) is None


@pytest.mark.parametrize("increment", ["1e-999999", "0.001", "0.3", "0.25", "20", "100", "0", "-0.1", "NaN", "Infinity",
                                       "1E+999999999", "0.0500000000000000000000000000000000001"])
def test_what_no_coin_can_be_is_refused_as_cash_rounding(increment):
    assert coin_problem(Decimal(increment), "UAH")


# -- fuzzing -----------------------------------------------------------------------------
@settings(max_examples=EXAMPLES, deadline=None)
@given(typed_numbers)
@example("1e30")
@example(FORTY_DIGITS)
def test_any_typed_amount_is_money_or_a_clear_refusal(typed):
    try:
        money = parse_amount(typed, "UAH")
    except (BadAmount, AmountTooLarge) as err:
        assert err.user_message()
        return
    assert isinstance(money.amount, Decimal) and money.amount >= 0
    assert money.amount < Decimal(10) ** 9 and money.minor_units() >= 0


@settings(max_examples=EXAMPLES, deadline=None)
@given(typed_numbers)
def test_any_typed_quantity_is_a_bounded_decimal_or_a_clear_refusal(typed):
    try:
        value = parse_decimal(typed)
    except InvalidQuantity as err:
        assert err.user_message()
        return
    assert isinstance(value, Decimal) and value.is_finite() and 0 <= value < 10**12
    assert value == value.quantize(Decimal("0.000001"))
