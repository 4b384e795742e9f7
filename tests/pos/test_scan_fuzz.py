"""Any text a scanner or a keyboard can send gives a reading or a clear PosError, never a crash;
GS1 strings built from random parts read back as built.  Bounded for CI; KASSA_SOAK=1 tries many more."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.barcode import with_check_digit
from pos.errors import PosError
from pos.scan import CodeScan, MeasureLayout, Words, read_scan

EXAMPLES = 5000 if os.environ.get("KASSA_SOAK") else 400
LAYOUT = MeasureLayout(weight_prefixes=("21", "22"), price_prefixes=("23",))
GS1_ALPHABET = st.sampled_from(list("0123456789()]CdQ1\x1d*,.ABZ- "))
scanner_text = st.one_of(
    st.text(max_size=300),
    st.text(GS1_ALPHABET, max_size=120),
    st.builds(lambda head, tail: head + tail, st.sampled_from(["]C1", "]d2", "01", "(01)", "3*", ""]),
              st.text(GS1_ALPHABET, max_size=80)),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scanner_text)
def test_any_text_is_a_reading_or_a_clear_refusal(text):
    try:
        reading = read_scan(text, LAYOUT)
    except PosError as refused:
        message = refused.user_message()
        assert message and len(message) < 400
        return
    assert isinstance(reading, (Words, CodeScan))
    if isinstance(reading, CodeScan):
        assert reading.codes and all(code.isascii() and code.isdigit() for code in reading.codes)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.text("0123456789", min_size=12, max_size=12),
    st.dates(min_value=date(2001, 1, 1), max_value=date(2049, 12, 31)),
    st.text("ABCXYZ0123456789-", min_size=1, max_size=20),
    st.integers(0, 999_999),
    st.sampled_from(["]C1", "]d2", ""]),
)
def test_a_gs1_string_reads_back_as_it_was_built(digits, expiry, batch, grams, symbology):
    gtin = with_check_digit("0" + digits)
    text = f"{symbology}01{gtin}17{expiry:%y%m%d}3103{grams:06d}10{batch}"
    reading = read_scan(text, LAYOUT)
    assert isinstance(reading, CodeScan)
    assert (reading.scanned, reading.expiry, reading.net_weight, reading.batch) == (
        gtin, expiry, Decimal(grams) / 1000, batch)
