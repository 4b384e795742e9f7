"""Gift card numbers: 16 digits, 9900, a Luhn check digit.  Any number the till makes reads
back however a person types it; a mistyped digit or two swapped digits are caught; whatever
else is typed is refused with what is wrong, never another exception; a person only ever
sees the last four digits."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from pos.gift_cards.numbers import (
    BadGiftCardNumber,
    looks_like_card_number,
    masked,
    masked_phone,
    new_card_number,
    read_card_number,
    short_masked,
)

seeds = st.integers(min_value=0, max_value=2**32)


def card(seed: int) -> str:
    return new_card_number(random.Random(seed))


@given(seeds)
def test_a_new_card_number_is_16_digits_from_9900_with_its_check_digit(seed: int) -> None:
    number = card(seed)
    assert len(number) == 16 and number.isdigit() and number.startswith("9900") and luhn.is_valid(number)


@given(seeds, st.lists(st.sampled_from(["", " ", "-", "  ", "- "]), min_size=15, max_size=15))
def test_a_card_number_typed_with_spaces_or_dashes_reads_back_to_its_digits(seed: int, gaps: list[str]) -> None:
    number = card(seed)
    typed = "".join(digit + gap for digit, gap in zip(number, gaps + [""], strict=True))
    assert read_card_number(f" {typed} ") == number
    assert looks_like_card_number(typed)


@given(seeds, st.integers(min_value=4, max_value=15), st.integers(min_value=1, max_value=9))
def test_one_digit_mistyped_after_the_prefix_is_caught_by_the_check_digit(seed: int, at: int, shift: int) -> None:
    number = card(seed)
    wrong = number[:at] + str((int(number[at]) + shift) % 10) + number[at + 1:]
    with pytest.raises(BadGiftCardNumber, match="check digit"):
        read_card_number(wrong)


@given(seeds, st.integers(min_value=4, max_value=14))
def test_two_neighbouring_digits_swapped_are_caught_unless_they_are_the_same_or_0_and_9(seed: int, at: int) -> None:
    number = card(seed)
    a, b = number[at], number[at + 1]
    swapped = number[:at] + b + a + number[at + 2:]
    if a == b or {a, b} == {"0", "9"}:  # the two swaps Luhn cannot see
        assert read_card_number(swapped) == swapped
    else:
        with pytest.raises(BadGiftCardNumber):
            read_card_number(swapped)


@pytest.mark.parametrize(("typed", "says"), [
    ("", "Scan the gift card"),
    ("   ", "Scan the gift card"),
    ("9900 1234 5678", "16 digits, not 12"),
    ("99001234567890150", "16 digits, not 17"),
    ("4111111111111111", "start with 9900"),
    ("9900-1234-5678-901A", "only digits"),
    ("９９００１２３４５６７８９０１５", "only digits"),  # full-width digits are not what a scanner types
    ("9900 " * 13, "not a gift card number"),
])
def test_what_is_not_a_card_number_is_refused_saying_what_is_wrong(typed: str, says: str) -> None:
    with pytest.raises(BadGiftCardNumber) as refused:
        read_card_number(typed)
    assert says in str(refused.value)


@settings(max_examples=500)
@given(st.text(max_size=60))
def test_reading_any_text_gives_a_valid_number_or_says_why_not(text: str) -> None:
    try:
        number = read_card_number(text)
    except BadGiftCardNumber as refused:
        assert refused.message and "{" not in str(refused)
    else:
        assert len(number) == 16 and number.startswith("9900") and luhn.is_valid(number)
        assert number == "".join(ch for ch in text if ch.isdigit())


@settings(max_examples=300)
@given(st.text(alphabet="0123456789 -+*", max_size=30))
def test_reading_digits_and_separators_never_fails_another_way(text: str) -> None:
    try:
        read_card_number(text)
    except BadGiftCardNumber:
        pass


def test_a_person_sees_only_the_last_four_digits() -> None:
    assert masked("9900123456789015") == "**** **** **** 9015"
    assert short_masked("9900123456789015") == "**** 9015"


@pytest.mark.parametrize(("phone", "shown"), [
    ("+380501234567", "+380 ** *** ** 67"),
    ("+994501234567", "+994 ** *** ** 67"),
    ("+995555123456", "+995 ** *** ** 56"),
    ("", ""),
])
def test_a_phone_is_shown_with_its_country_code_and_last_two_digits(phone: str, shown: str) -> None:
    assert masked_phone(phone) == shown


def test_a_product_barcode_or_a_short_code_does_not_look_like_a_gift_card() -> None:
    assert not looks_like_card_number("4820000010016")
    assert not looks_like_card_number("1001")
    assert not looks_like_card_number("0.350*1001")
    assert looks_like_card_number("9900 0000 0000 0001")  # the check digit is the reader's business
