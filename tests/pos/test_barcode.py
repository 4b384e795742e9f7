from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.barcode import (
    MalformedBarcode,
    ScannedBarcode,
    TypedCode,
    WeighedBarcode,
    WrongCheckDigit,
    parse_scan,
    with_check_digit,
)


def test_a_valid_ean13_is_accepted():
    assert parse_scan("4820000000017") == ScannedBarcode("4820000000017")


def test_an_ean13_with_a_wrong_check_digit_is_refused():
    with pytest.raises(WrongCheckDigit) as err:
        parse_scan("4820000000018")
    assert "4820000000018" in err.value.user_message()


@pytest.mark.parametrize("text", ["48200A0000017", "123456789", "", "   ", "4820000000017999", "٤٨٢٠٠٠٠٠٠٠٠٠١٧"])
def test_malformed_codes_are_refused_with_a_message(text):
    with pytest.raises(MalformedBarcode):
        parse_scan(text)


def test_a_scale_label_carries_the_plu_and_the_weight():
    code = with_check_digit("220001201250")
    assert parse_scan(code) == WeighedBarcode(plu="00012", weight_kg=Decimal("1.25"), gtin=code)


def test_a_short_number_is_a_typed_product_code():
    assert parse_scan(" 1001 ") == TypedCode("1001")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_generated_ean13_parses_and_any_other_check_digit_fails(digits):
    good = with_check_digit(digits)
    assert isinstance(parse_scan(good, weight_prefixes=()), ScannedBarcode)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(WrongCheckDigit):
        parse_scan(bad)
