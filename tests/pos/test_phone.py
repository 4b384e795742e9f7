"""pos.phone.normalise_phone: every form people type, one E.164 number or a PosError."""

import pytest
from hypothesis import given, settings, strategies as st

from pos.errors import PosError
from pos.phone import PhoneNumberProblem, masked, normalise_phone

SAME_UKRAINIAN_NUMBER = [
    "050 123 45 67", "0501234567", "(050) 123-45-67", "+380 50 123 45 67", "+380501234567",
    "+38 (050) 123-45-67", "00380501234567", "380501234567", " 050.123.45.67 ", "050/123 45 67",
]


@pytest.mark.parametrize("typed", SAME_UKRAINIAN_NUMBER)
def test_every_way_of_typing_a_ukrainian_mobile_gives_the_same_e164(typed):
    assert normalise_phone(typed, "UA") == "+380501234567"


@pytest.mark.parametrize(("typed", "region", "e164"), [
    ("050 222 33 44", "AZ", "+994502223344"),
    ("+994 50 222 33 44", "UA", "+994502223344"),
    ("994502223344", "AZ", "+994502223344"),
    ("555 12 34 56", "GE", "+995555123456"),
    ("+995 555 12 34 56", "AZ", "+995555123456"),
    ("0 555 12 34 56", "GE", "+995555123456"),
    ("044 123 45 67", "UA", "+380441234567"),  # a Kyiv landline
    ("+48 512 345 678", "UA", "+48512345678"),  # a Polish visitor
])
def test_numbers_of_each_country_of_the_chain_and_visitors(typed, region, e164):
    assert normalise_phone(typed, region) == e164


@pytest.mark.parametrize(("typed", "says"), [
    ("", "Type the customer's phone number."),
    ("   ", "Type the customer's phone number."),
    ("050 123", "That phone number is too short."),
    ("1234", "That phone number is too short."),
    ("050 123 45 67 89 01", "That phone number is too long."),
    ("0501234567x12", "A phone number has only digits, spaces, dashes, brackets and a leading +."),
    ("1-800-FLOWERS", "A phone number has only digits, spaces, dashes, brackets and a leading +."),
    ("050+1234567", "Only the first character of a phone number may be +."),
    ("+", "Only the first character of a phone number may be +."),
    ("+999 123 456 789", "That country code is not known."),
    ("1" * 41, "A phone number has at most 15 digits."),
    ("1" * 20, "A phone number has at most 15 digits."),
])
def test_what_is_not_a_phone_number_is_refused_saying_why(typed, says):
    with pytest.raises(PhoneNumberProblem) as refused:
        normalise_phone(typed, "UA")
    assert refused.value.message == says


def test_a_number_of_the_wrong_plan_names_its_country():
    with pytest.raises(PhoneNumberProblem) as refused:
        normalise_phone("011 123 45 67", "UA")
    assert refused.value.fields == {"country": "UA"}


def test_a_local_number_in_a_store_of_no_known_country_needs_its_country_code():
    with pytest.raises(PhoneNumberProblem, match="country code"):
        normalise_phone("050 123 45 67", "")
    assert normalise_phone("+380501234567", "") == "+380501234567"


def test_a_masked_number_keeps_only_the_country_code_and_the_last_four_digits():
    assert masked("+380501234567") == "+380 ** *** 45 67"


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=50), st.sampled_from(["UA", "AZ", "GE", "", "ZZ", "ua"]))
def test_any_text_gives_an_e164_number_or_a_pos_error_and_nothing_else(text, region):
    try:
        e164 = normalise_phone(text, region)
    except PosError:
        return
    assert e164.startswith("+") and e164[1:].isdigit() and len(e164) <= 16
    assert normalise_phone(e164, "UA") == e164


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789+-() ", max_size=25), st.sampled_from(["UA", "AZ", "GE"]))
def test_phone_like_text_gives_an_e164_number_or_a_pos_error(text, region):
    try:
        normalise_phone(text, region)
    except PosError:
        pass
