"""Money as a value: how it is built, compared, shown and counted in minor units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.errors import PosError
from pos.money import (
    CURRENCY_EXPONENTS,
    BadAmount,
    CurrencyMismatch,
    Money,
    exponent,
    minor_unit,
    money_sum,
)


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def test_every_currency_of_the_chain_has_two_decimals():
    assert CURRENCY_EXPONENTS == {"UAH": 2, "AZN": 2, "GEL": 2, "EUR": 2, "USD": 2, "PLN": 2}
    assert exponent("GEL") == 2 and minor_unit("AZN") == Decimal("0.01")


def test_an_unknown_currency_is_refused_by_name():
    with pytest.raises(PosError) as caught:
        Money.of("1", "XXX")
    assert caught.value.fields == {"currency": "XXX"} and caught.value.user_message() == "Unknown currency XXX."
    with pytest.raises(PosError):
        minor_unit("RUB")


@pytest.mark.parametrize("text", ["", "abc", "1,5", "1.2.3", "NaN", "Infinity", "-inf", "sNaN"])
def test_text_that_is_not_an_amount_is_refused_quoting_it(text):
    with pytest.raises(BadAmount) as caught:
        Money.of(text, "UAH")
    assert caught.value.fields == {"text": text}


def test_an_amount_is_built_from_text_an_integer_or_a_decimal_exactly():
    assert Money.of("12.30", "UAH") == Money(Decimal("12.30"), "UAH")
    assert Money.of(12, "UAH").amount == Decimal(12)
    assert Money.of(Decimal("0.1"), "EUR") == Money(Decimal("0.1"), "EUR")


def test_money_is_never_nan_infinite_or_a_float():
    with pytest.raises(TypeError, match="^Money cannot be NaN or infinite$"):
        Money(Decimal("NaN"), "UAH")
    with pytest.raises(TypeError, match="NaN or infinite"):
        Money(Decimal("-Infinity"), "UAH")
    with pytest.raises(TypeError, match="Decimal amount, got float"):
        Money(1.5, "UAH")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^Money is never built from float$"):
        Money.of(1.5, "UAH")  # type: ignore[arg-type]


def test_zero_and_minor_units():
    assert Money.zero("UAH") == uah("0") and Money.zero("UAH").is_zero()
    assert not uah("0.01").is_zero() and not uah("-0.01").is_zero()
    assert Money.from_minor(12345, "UAH") == uah("123.45")
    assert Money.from_minor(-5, "UAH") == uah("-0.05")
    assert uah("123.45").minor_units() == 12345
    assert uah("-0.05").minor_units() == -5
    assert uah("7").minor_units() == 700


def test_an_amount_finer_than_the_minor_unit_has_no_minor_units():
    with pytest.raises(ValueError, match="not a whole number of minor units"):
        uah("0.125").minor_units()


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_minor_units_round_trip(minor):
    assert Money.from_minor(minor, "UAH").minor_units() == minor


def test_arithmetic_keeps_the_currency_and_is_exact():
    assert uah("0.10") + uah("0.20") == uah("0.30")
    assert uah("0.10") - uah("0.30") == uah("-0.20")
    assert -uah("1.50") == uah("-1.50") and -uah("-1.50") == uah("1.50")
    assert uah("32.99").times(Decimal("1.25")) == uah("41.2375")
    assert uah("2.50").times(3) == uah("7.50")
    assert (uah("1") + uah("1")).currency == "UAH"


@pytest.mark.parametrize("bad", [1.5, True, "2", None])
def test_a_price_is_multiplied_only_by_a_decimal_quantity(bad):
    with pytest.raises(TypeError, match="^quantities are Decimal$"):
        uah("1.00").times(bad)


def test_amounts_are_ordered():
    small, big = uah("1.00"), uah("1.01")
    assert small < big and not big < small and not small < uah("1")
    assert small <= big and small <= uah("1") and not big <= small
    assert big > small and not small > big and not small > uah("1")
    assert big >= small and small >= uah("1") and not small >= big


@pytest.mark.parametrize("compare", [
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a < b, lambda a, b: a <= b,
    lambda a, b: a > b, lambda a, b: a >= b,
])
def test_amounts_of_two_currencies_do_not_mix(compare):
    with pytest.raises(CurrencyMismatch) as caught:
        compare(uah("1"), Money.of("1", "GEL"))
    assert caught.value.fields == {"left": "UAH", "right": "GEL"}
    with pytest.raises(TypeError, match="cannot combine Money with Decimal"):
        compare(uah("1"), Decimal(1))


def test_an_amount_is_shown_to_the_cent_with_its_currency():
    assert str(uah("12.3")) == "12.30 UAH"
    assert str(Money.of("-0.5", "GEL")) == "-0.50 GEL"


def test_a_sum_of_amounts():
    assert money_sum([uah("0.10"), uah("0.20"), uah("0.30")], "UAH") == uah("0.60")
    assert money_sum((), "UAH") == Money.zero("UAH")
    assert money_sum([], "EUR").currency == "EUR"
    with pytest.raises(CurrencyMismatch):
        money_sum([uah("1")], "EUR")


def test_minor_units_fit_a_64_bit_integer_up_to_eighteen_digits():
    biggest = Money.from_minor(10**18 - 1, "UAH")
    assert biggest.minor_units() == 10**18 - 1
    with pytest.raises(ValueError, match="^an amount of 19 digits in minor units is too large$"):
        Money.from_minor(10**18, "UAH").minor_units()


def test_an_amount_written_with_an_exponent_counts_all_its_digits():
    with pytest.raises(ValueError, match="^an amount of 20 digits in minor units is too large$"):
        Money(Decimal("1E+17"), "UAH").minor_units()  # 1 followed by 17 zeros, and 2 decimals
    assert Money(Decimal("1E+3"), "UAH").minor_units() == 100_000
