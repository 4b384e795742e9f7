"""What the screen writes in each locale (Babel), the till reads back exactly; messages write
their amounts and quantities the same way.  No window: ui.formatting and the domain's readers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pos.money import AmountTooLarge, Money, parse_amount
from pos.quantity import QuantityTooLarge, check_quantity, parse_decimal
from pos.tender import CashBelowTotal, pay_cash
from pos.till import EXAMPLE_WEIGHT, NeedsWeight
from ui import formatting

LOCALES = ["en", "en_GB", "uk", "uk_UA", "az", "az_AZ", "ka", "ka_GE"]
NBSP, NNBSP = "\u00a0", "\u202f"

amounts = st.integers(0, 999_999_999_99).map(lambda minor: Decimal(minor).scaleb(-2))
weights = st.integers(1, 100_000).map(lambda grams: Decimal(grams).scaleb(-3))


def uah(amount: str) -> Money:
    return Money(Decimal(amount), "UAH")


@pytest.mark.parametrize("ui_locale", LOCALES)
@settings(max_examples=200, deadline=None)
@given(amount=amounts)
@example(amount=Decimal("22041.20"))
@example(amount=Decimal("999999999.99"))
@example(amount=Decimal("0.00"))
def test_an_amount_the_screen_shows_is_read_back_as_the_same_money_in_every_locale(ui_locale, amount):
    shown = formatting.money(Money(amount, "UAH"), ui_locale)
    assert parse_amount(formatting.as_typed(shown, ui_locale), "UAH").amount == amount


@pytest.mark.parametrize("ui_locale", LOCALES)
@settings(max_examples=200, deadline=None)
@given(weight=weights, pieces=st.integers(1, 999))
@example(weight=Decimal("0.350"), pieces=1)
@example(weight=Decimal("100.000"), pieces=999)
def test_a_weight_or_count_the_screen_shows_is_read_back_as_the_same_quantity_in_every_locale(ui_locale, weight, pieces):
    assert parse_decimal(formatting.quantity(weight, True, ui_locale)) == weight
    assert parse_decimal(formatting.quantity(Decimal(pieces), False, ui_locale)) == pieces
    assert parse_decimal(formatting.number(weight, ui_locale)) == weight


@pytest.mark.parametrize("ui_locale,shown", [
    ("en", "22,041.20"), ("uk", f"22{NBSP}041,20"), ("az", "22.041,20"), ("ka", f"22{NBSP}041,20"),
])
def test_each_locale_groups_and_points_amounts_its_own_way(ui_locale, shown):
    assert formatting.money(uah("22041.20"), ui_locale) == shown


@pytest.mark.parametrize("typed,ui_locale,read", [
    ("1,234.50", "en", "1234.50"), ("12,345,678.00", "en", "12345678.00"), ("1.234,50", "az", "1234,50"),
    (f"1{NBSP}234,50", "uk", f"1{NBSP}234,50"), (f"1{NNBSP}234,50", "uk", f"1{NNBSP}234,50"),
])
def test_a_grouped_amount_loses_its_group_signs_before_the_till_reads_it(typed, ui_locale, read):
    assert formatting.as_typed(typed, ui_locale) == read


@pytest.mark.parametrize("typed,ui_locale", [
    ("1.500", "az"), ("1,000", "en"), ("1,23.00", "en"), ("1.5", "az"), ("1,5", "en"), ("1,000.", "en"),
    ("1,000.5x", "en"), ("12345,678.00", "en"), (",123.00", "en"), ("1.234,50", "en"), ("", "en"), ("abc", "az"),
])
def test_what_is_not_the_locales_whole_grouped_form_is_left_as_typed(typed, ui_locale):
    """So "1.500" typed in Azerbaijani is never read as fifteen hundred, nor "1,000" in English."""
    assert formatting.as_typed(typed, ui_locale) == typed


def test_the_keypad_point_is_the_locales_decimal_sign():
    assert [formatting.decimal_point(loc) for loc in ("en", "uk", "az_AZ", "ka")] == [".", ",", ",", ","]


def test_a_number_keeps_its_digits_and_an_absurd_one_is_quoted_cut_short():
    assert formatting.number(Decimal("0.350"), "uk") == "0,350"
    assert formatting.number(Decimal("100"), "az") == "100"
    assert formatting.number(Decimal("1E+2"), "en") == "100"
    assert formatting.number(Decimal("1000.001"), "az") == "1.000,001"
    assert formatting.number(Decimal("1E+30"), "uk") == "1E+30"
    assert formatting.number(Decimal("9" * 40), "uk") == "9" * 19 + "…"
    assert formatting.number(Decimal("NaN"), "uk") == "NaN"


def test_cash_below_the_total_names_both_amounts_as_the_screen_writes_them():
    with pytest.raises(CashBelowTotal) as caught:
        pay_cash(uah("22041.20"), uah("10.00"))
    error = caught.value
    assert error.user_message(show=lambda v: formatting.message_field(v, "en")) == (
        "10.00 UAH is less than the 22,041.20 UAH to pay.")
    assert error.user_message(show=lambda v: formatting.message_field(v, "az")).startswith("10,00 UAH")
    assert "22.041,20 UAH" in error.user_message(show=lambda v: formatting.message_field(v, "az"))
    assert str(error) == "10.00 UAH is less than the 22041.20 UAH to pay."  # the log keeps the plain facts


def test_a_quantity_too_large_and_the_weight_example_follow_the_locale():
    with pytest.raises(QuantityTooLarge) as caught:
        check_quantity(Decimal("100.001"), sold_by_weight=True, name="Яблука")
    assert caught.value.user_message(show=lambda v: formatting.message_field(v, "uk")) == (
        "100,001 kg is too much for one line: at most 100 kg at once.")
    hint = NeedsWeight(name="Яблука", code="20001", weight=EXAMPLE_WEIGHT)
    assert hint.user_message(show=lambda v: formatting.message_field(v, "ka")).endswith("(0,350*20001).")
    assert hint.user_message().endswith("(0.350*20001).")


def test_the_largest_typed_amount_is_named_in_the_locale():
    with pytest.raises(AmountTooLarge) as caught:
        parse_amount("1" + "0" * 10, "UAH")
    assert caught.value.user_message(show=lambda v: formatting.message_field(v, "uk")).endswith(
        f"at most 999{NBSP}999{NBSP}999,99.")


def test_a_field_that_is_text_or_a_whole_number_is_written_as_it_is():
    assert formatting.message_field("20001", "uk") == "20001"
    assert formatting.message_field(500, "uk") == "500"


def test_a_moment_in_a_message_is_written_as_the_shops_clock_shows_it():
    from datetime import datetime, timezone

    moment = datetime(2026, 12, 2, 10, 5, tzinfo=timezone.utc)
    assert formatting.message_field(moment, "uk") == formatting.store_time(moment, "", "uk")


@pytest.mark.parametrize("ui_locale,shown", [("uk", "02.12 11:05"), ("az", "02.12 11:05"), ("ka", "2.12 11:05"),
                                             ("en", "12/2 11:05"), ("en_GB", "02/12 11:05")])
def test_a_moment_is_written_in_the_locales_day_month_order_on_the_shops_clock(ui_locale, shown):
    from datetime import datetime, timezone

    moment = datetime(2026, 12, 2, 9, 5, tzinfo=timezone.utc)
    assert formatting.store_time(moment, "Europe/Kyiv", ui_locale) == shown
