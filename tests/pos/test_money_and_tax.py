from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.catalog import VatRate
from pos.money import CurrencyMismatch, Money, round_money, round_to_increment
from pos.tax import tax_breakdown

RATES = [VatRate("A", Decimal(20)), VatRate("B", Decimal(7)), VatRate("C", Decimal(14)), VatRate("E", Decimal(0))]
cents = st.integers(min_value=1, max_value=10_000_000)
line_totals = st.lists(st.tuples(st.sampled_from(RATES), cents), min_size=1, max_size=60)


def test_money_refuses_float():
    with pytest.raises(TypeError):
        Money.of(0.1, "UAH")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(0.1, "UAH")  # type: ignore[arg-type]


def test_money_of_different_currencies_cannot_be_added():
    with pytest.raises(CurrencyMismatch):
        Money.of("1", "UAH") + Money.of("1", "GEL")


def test_rounding_is_half_up_to_the_cent():
    assert round_money(Money.of("0.125", "UAH")).amount == Decimal("0.13")
    assert round_money(Money.of("0.124", "UAH")).amount == Decimal("0.12")
    assert round_money(Money.of("-0.125", "UAH")).amount == Decimal("-0.13")


def test_cash_rounds_to_the_smallest_coin_half_up():
    assert round_to_increment(Money.of("12.35", "UAH"), Decimal("0.10")).amount == Decimal("12.40")
    assert round_to_increment(Money.of("12.34", "UAH"), Decimal("0.10")).amount == Decimal("12.30")
    assert round_to_increment(Money.of("12.34", "UAH"), Decimal("0.01")).amount == Decimal("12.34")


@given(line_totals)
def test_tax_lines_add_up_to_the_total_to_the_cent(lines):
    items = [(rate, Money.from_minor(c, "UAH")) for rate, c in lines]
    total = sum((m.amount for _, m in items), Decimal(0))
    taxes = tax_breakdown(items, "UAH")
    assert sum((t.gross.amount for t in taxes), Decimal(0)) == total
    for t in taxes:
        assert t.net + t.tax == t.gross
        assert Money.from_minor(t.tax.minor_units(), "UAH") == t.tax  # whole cents
        assert Money.from_minor(t.net.minor_units(), "UAH") == t.net


@given(line_totals)
def test_vat_is_never_more_than_one_cent_from_the_exact_share(lines):
    items = [(rate, Money.from_minor(c, "UAH")) for rate, c in lines]
    for t in tax_breakdown(items, "UAH"):
        exact = t.gross.amount * t.vat.percent / (100 + t.vat.percent)
        assert abs(t.tax.amount - exact) <= Decimal("0.005")


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["0.01", "0.05", "0.10", "0.50", "1"]))
def test_cash_rounding_never_moves_more_than_half_a_coin(minor, increment):
    amount = Money.from_minor(minor, "UAH")
    rounded = round_to_increment(amount, Decimal(increment))
    assert abs(rounded.amount - amount.amount) <= Decimal(increment) / 2
    assert rounded.amount % Decimal(increment) == 0


@given(st.integers(min_value=1, max_value=10**7), st.decimals(min_value=Decimal("0.001"), max_value=Decimal(999), places=3))
def test_a_line_total_is_whole_cents_and_within_half_a_cent_of_price_times_quantity(price_minor, qty):
    price = Money.from_minor(price_minor, "UAH")
    total = round_money(price.times(qty))
    assert Money.from_minor(total.minor_units(), "UAH") == total  # whole cents
    assert abs(total.amount - price.amount * qty) <= Decimal("0.005")
