"""The edges of reading typed numbers, worked by hand: how a message quotes what was typed,
which zeros count toward the digit limits, the longest text read, what a coin may be."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos.money import AmountTooLarge, Money, coin_problem
from pos.quantity import InvalidQuantity, parse_decimal


def refusal(text: str) -> str:
    with pytest.raises(InvalidQuantity) as caught:
        parse_decimal(text)
    return caught.value.fields["text"]


def test_a_message_quotes_up_to_twenty_characters_whole_and_cuts_longer_text_to_nineteen_and_an_ellipsis():
    assert refusal("x" * 20) == "x" * 20
    assert refusal("x" * 21) == "x" * 19 + "…"
    assert refusal("  " + "y" * 40 + "  ") == "y" * 19 + "…"


def test_a_message_shows_unprintable_characters_as_replacement_marks():
    assert refusal("1\x1b[2J") == "1\ufffd[2J"
    assert refusal("a\nb") == "a\ufffdb"


def test_leading_zeros_do_not_count_toward_the_twelve_digits():
    assert parse_decimal("0" * 12 + "2") == 2
    assert parse_decimal("0" * 30 + "999999999999") == Decimal("999999999999")
    refusal("1" + "0" * 12)  # thirteen digits that count


def test_trailing_zeros_do_not_count_toward_the_six_decimals():
    assert parse_decimal("0.3500000") == Decimal("0.35")
    assert parse_decimal("1,000000000") == 1
    refusal("0.1234567")


def test_a_number_typed_in_up_to_200_characters_is_read_and_a_longer_one_is_not():
    assert parse_decimal("0" * 197 + "1.5") == Decimal("1.5")  # 200 characters
    refusal("0" * 198 + "1.5")  # 201


@pytest.mark.parametrize(("coin", "problem"), [
    ("0", "must be a positive amount"),
    ("-0.10", "must be a positive amount"),
    ("0.0010", "must be a whole number of 0.01 UAH"),
    ("0.005", "must be a whole number of 0.01 UAH"),
    ("0.25", "must be a coin: 1, 2 or 5 times a power of ten (0.01, 0.05, 0.10, 0.50, 1...)"),
    ("20", "must be at most 10"),
])
def test_what_no_coin_can_be_is_said_plainly(coin, problem):
    assert coin_problem(Decimal(coin), "UAH") == problem


@pytest.mark.parametrize("coin", ["0.01", "0.050", "0.10", "0.20", "0.5000", "1", "2", "5", "10", "1.00"])
def test_every_coin_of_one_two_or_five_in_whole_kopiyky_is_a_coin(coin):
    assert coin_problem(Decimal(coin), "UAH") is None


def test_an_amount_too_large_from_a_file_quotes_it_and_says_the_limit():
    with pytest.raises(AmountTooLarge) as caught:
        Money.of("1" + "0" * 15, "UAH")
    assert caught.value.fields == {"text": "1000000000000000", "limit": Decimal("999999999999999")}
    assert Money.of("9" * 15, "UAH").amount == Decimal("9" * 15)
