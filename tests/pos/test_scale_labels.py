"""Scale labels and GTIN lengths, worked by hand: ``PP IIIII WWWWW C``, weights over 10 kg,
EAN-8, UPC-A, EAN-13 and GTIN-14."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.barcode import (
    GTIN_LENGTHS,
    MAX_TYPED_CODE_LENGTH,
    MalformedBarcode,
    ScannedBarcode,
    TypedCode,
    WeighedBarcode,
    WrongCheckDigit,
    is_code_like,
    parse_scan,
    with_check_digit,
)
from tests.fakes import APPLES
from tests.pos.test_till import signed_in


def test_a_label_over_ten_kilograms_keeps_its_tens_digit():
    code = with_check_digit("220001212345")  # PLU 00012, 12 345 g
    assert code == "2200012123454"
    assert parse_scan(code) == WeighedBarcode(plu="00012", weight_kg=Decimal("12.345"), gtin=code)


@pytest.mark.parametrize(("digits", "plu", "kilograms"), [
    ("229876500001", "98765", "0.001"),
    ("221234599999", "12345", "99.999"),
    ("220000110000", "00001", "10"),
    ("220000100500", "00001", "0.5"),
])
def test_a_label_gives_its_five_digit_plu_and_its_grams(digits, plu, kilograms):
    scan = parse_scan(with_check_digit(digits))
    assert isinstance(scan, WeighedBarcode)
    assert (scan.plu, scan.weight_kg) == (plu, Decimal(kilograms))


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=99_999))
def test_any_plu_and_weight_on_a_label_read_back(plu, grams):
    code = with_check_digit(f"22{plu:05d}{grams:05d}")
    assert parse_scan(code) == WeighedBarcode(plu=f"{plu:05d}", weight_kg=Decimal(grams) / 1000, gtin=code)


def test_only_the_configured_prefixes_are_scale_labels():
    code = with_check_digit("210001201250")
    assert parse_scan(code) == ScannedBarcode(code)  # 21 is not a scale prefix by default
    assert parse_scan(code, weight_prefixes=("21", "22")) == WeighedBarcode("00012", Decimal("1.25"), code)
    label = with_check_digit("220001201250")
    assert parse_scan(label, weight_prefixes=()) == ScannedBarcode(label)
    assert parse_scan(label, weight_prefixes=("21",)) == ScannedBarcode(label)


def test_a_weighed_item_of_twelve_kilograms_is_sold_at_its_weight():
    till = signed_in()
    result = till.scan(with_check_digit("222000112345"))  # apples, PLU 20001, 12.345 kg
    assert result.line.product == APPLES and result.line.quantity == Decimal("12.345")
    assert result.line.total.amount == Decimal("407.26")  # 32.99 * 12.345 = 407.26155


@pytest.mark.parametrize("digits", ["1234567", "12345678901", "123456789012", "1234567890123"])
def test_every_gtin_length_is_accepted(digits):
    code = with_check_digit(digits)
    assert len(code) in GTIN_LENGTHS
    assert parse_scan(code) == ScannedBarcode(code)


def test_a_gtin_14_is_a_barcode_not_a_scale_label():
    code = with_check_digit("2200012012500")  # 14 digits beginning with the scale prefix
    assert code == "22000120125005"
    assert parse_scan(code) == ScannedBarcode(code)


def test_the_gtin_lengths_are_8_12_13_and_14():
    assert GTIN_LENGTHS == (8, 12, 13, 14) and MAX_TYPED_CODE_LENGTH == 6


@pytest.mark.parametrize("code", ["1234567", "123456789", "1234567890", "12345678901", "123456789012345"])
def test_a_number_too_long_to_type_and_of_no_gtin_length_is_refused(code):
    with pytest.raises(MalformedBarcode) as caught:
        parse_scan(code)
    assert code in caught.value.user_message()


@pytest.mark.parametrize("code", ["1", "123456", " 000123 "])
def test_up_to_six_digits_are_a_typed_code(code):
    assert parse_scan(code) == TypedCode(code.strip())


def test_a_wrong_check_digit_is_told_apart_for_each_length():
    for digits in ("1234567", "12345678901", "123456789012", "1234567890123"):
        good = with_check_digit(digits)
        bad = good[:-1] + str((int(good[-1]) + 5) % 10)
        with pytest.raises(WrongCheckDigit) as caught:
            parse_scan(bad)
        assert caught.value.fields == {"code": bad}


def test_a_long_junk_text_is_quoted_cut_to_forty_characters():
    with pytest.raises(MalformedBarcode) as caught:
        parse_scan("1" * 39 + "ab" + "c" * 50)
    assert caught.value.fields == {"code": "1" * 39 + "a"}
    with pytest.raises(MalformedBarcode) as caught:
        parse_scan("9" * 60)
    assert caught.value.fields == {"code": "9" * 40}


def test_digits_of_other_scripts_are_not_barcode_digits():
    with pytest.raises(MalformedBarcode):
        parse_scan("١٢٣٤")  # Arabic-Indic digits: isdigit() but not ASCII
    with pytest.raises(MalformedBarcode):
        parse_scan("１２３")  # full-width digits


def test_what_looks_like_a_code_is_digits_only():
    assert is_code_like(" 4820000000017 ") and is_code_like("1001")
    assert not is_code_like("шампунь") and not is_code_like("10 01") and not is_code_like("")


def test_with_check_digit_completes_a_gtin():
    assert with_check_digit("482000000001") == "4820000000017"
    assert with_check_digit("1234567") == "12345670"
