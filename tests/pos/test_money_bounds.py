"""Amounts from files and the hub are bounded: Money.of refuses absurd sizes with a clear
error, and minor_units is exact whatever the exponent (no Overflow, no silent rounding)."""

from __future__ import annotations

import os
from decimal import Decimal, localcontext

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pos.money import AmountTooLarge, BadAmount, Money

EXAMPLES = 5000 if os.environ.get("KASSA_SOAK") else 300


@pytest.mark.parametrize("text", ["1e15", "-1e15", "1e30", "1e999999999", "-1E+999999999", "9" * 40])
def test_an_absurdly_large_amount_from_a_file_is_refused_clearly(text):
    with pytest.raises(AmountTooLarge) as err:
        Money.of(text, "UAH")
    assert "999999999999999" in err.value.user_message() and len(err.value.user_message()) < 120


@pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-inf", "abc", ""])
def test_what_is_not_a_number_is_not_an_amount(text):
    with pytest.raises(BadAmount):
        Money.of(text, "UAH")


@pytest.mark.parametrize("text,minor", [("12.34", 1234), ("-12.34", -1234), ("12.340000", 1234), ("1E+3", 100000),
                                        ("0E+999999999", 0), ("-0E-5", 0), ("999999999999999.99", 99999999999999999)])
def test_minor_units_are_exact(text, minor):
    assert Money(Decimal(text), "UAH").minor_units() == minor


@pytest.mark.parametrize("text", ["1e-999999999", "12.345", "1.000000000000000000000000000000000000001"])
def test_an_amount_finer_than_the_minor_unit_has_no_minor_units(text):
    with pytest.raises(ValueError, match="not a whole number of minor units"):
        Money(Decimal(text), "UAH").minor_units()  # 1e-999999999 used to give 0: it underflowed


@pytest.mark.parametrize("text", ["1e999999999", "1e30", "9" * 40])
def test_an_amount_too_large_for_64_bits_has_no_minor_units(text):
    with pytest.raises(ValueError, match="too large"):
        Money(Decimal(text), "UAH").minor_units()  # 1e999999999 used to raise decimal.Overflow


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False) | st.builds(Decimal, st.integers(-10**40, 10**40)).map(
    lambda d: d.scaleb(-20)))
@example(Decimal("1E-1000000"))
@example(Decimal("1E+1000000"))
def test_minor_units_are_the_exact_amount_or_a_value_error(amount):
    try:
        minor = Money(amount, "UAH").minor_units()
    except ValueError:
        return
    assert abs(minor) < 10**18
    with localcontext() as exact:
        exact.prec = 100
        assert Decimal(minor) / 100 == amount
