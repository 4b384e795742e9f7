"""Where the quantity limits lie, exactly: 999 pieces, 100 kg, grams; and how typed numbers read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.quantity import (
    MAX_KILOGRAMS,
    MAX_UNITS,
    InvalidQuantity,
    QuantityNotWhole,
    QuantityTooLarge,
    check_quantity,
    parse_decimal,
)


def counted(value: str) -> Decimal:
    return check_quantity(Decimal(value), sold_by_weight=False, name="Шампунь")


def weighed(value: str) -> Decimal:
    return check_quantity(Decimal(value), sold_by_weight=True, name="Яблука")


def test_the_limits_are_999_pieces_and_100_kilograms():
    assert (MAX_UNITS, MAX_KILOGRAMS) == (Decimal(999), Decimal(100))


def test_999_pieces_are_sold_and_1000_are_too_many():
    assert counted("999") == 999
    with pytest.raises(QuantityTooLarge) as caught:
        counted("1000")
    assert caught.value.fields["limit"] == 999
    assert "999" in caught.value.user_message() and "1000" in caught.value.user_message()


def test_100_kilograms_are_sold_and_one_gram_more_is_too_much():
    assert weighed("100") == Decimal("100.000")
    with pytest.raises(QuantityTooLarge) as caught:
        weighed("100.001")
    assert caught.value.fields["limit"] == 100
    assert "100.001" in caught.value.user_message()


@pytest.mark.parametrize("value", ["0", "-1", "-0.001", "0.000"])
def test_nothing_or_less_is_not_a_quantity(value):
    with pytest.raises(InvalidQuantity) as caught:
        counted(value)
    assert caught.value.fields == {"text": value}
    with pytest.raises(InvalidQuantity):
        weighed(value)


def test_the_smallest_quantities_are_one_piece_and_one_gram():
    assert counted("1") == 1
    assert weighed("0.001") == Decimal("0.001")


def test_a_piece_cannot_be_split_and_the_message_names_the_product():
    with pytest.raises(QuantityNotWhole) as caught:
        counted("1.5")
    assert caught.value.fields == {"name": "Шампунь"}
    with pytest.raises(QuantityNotWhole):
        counted("998.999")


def test_a_weight_finer_than_a_gram_is_refused():
    with pytest.raises(InvalidQuantity) as caught:
        weighed("0.3505")
    assert "0.3505" in caught.value.user_message()


def test_quantities_come_back_normalised_pieces_whole_and_weights_to_the_gram():
    two = counted("2.000")
    assert two == 2 and two.as_tuple().exponent == 0 and str(two) == "2"
    kilo = weighed("1")
    assert str(kilo) == "1.000"
    assert str(weighed("0.35")) == "0.350"


@given(st.integers(min_value=1, max_value=999))
def test_every_whole_number_of_pieces_up_to_the_limit_is_sold_as_it_is(n):
    assert counted(str(n)) == n


@given(st.integers(min_value=1, max_value=100_000))
def test_every_whole_number_of_grams_up_to_100_kilograms_is_sold_as_it_is(grams):
    kilograms = Decimal(grams) / 1000
    assert weighed(str(kilograms)) == kilograms


@pytest.mark.parametrize(("text", "value"), [("2", Decimal(2)), ("1.5", Decimal("1.5")), ("1,5", Decimal("1.5")),
                                             (" 3 ", Decimal(3)), ("0.350", Decimal("0.350")), ("1 000", Decimal(1000))])
def test_a_typed_quantity_reads_with_a_point_or_a_comma(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["abc", "", " ", "NaN", "Infinity", "-", "1.2.3", "1,2,3", "2x"])
def test_what_is_not_a_number_is_refused_quoting_what_was_typed(text):
    with pytest.raises(InvalidQuantity) as caught:
        parse_decimal(text)
    assert text.strip()[:3] in caught.value.user_message()


def test_a_long_typed_text_is_quoted_cut_short():
    text = "9" * 15 + "x" * 30
    with pytest.raises(InvalidQuantity) as caught:
        parse_decimal(text)
    message = caught.value.user_message()
    assert "9" * 15 in message and "x" * 30 not in message
