"""Hypothesis strategies for what people type at the till: numbers good and bad, scans,
quantities before a star.  Bounded for CI; KASSA_SOAK=1 tries many more."""

from __future__ import annotations

import os

from hypothesis import strategies as st

from pos.barcode import with_check_digit
from tests.fakes import DEMO_PRODUCTS

SOAK = bool(os.environ.get("KASSA_SOAK"))
EXAMPLES = 5000 if SOAK else 150  # per fuzz target
SESSIONS = 1000 if SOAK else 60  # per till-session target (each a list of actions)
FORTY_DIGITS = "9" * 40

NASTY = [
    "1e30", FORTY_DIGITS, "1e-999999", "1E+999999999", "NaN", "-NaN", "sNaN", "Infinity", "-inf", "-1", "+1", "0",
    "-0", "0.000", "1_000", "0x1F", "١٢", "٣", "²", "½", "1,5", "1.5", ",5", "5.", ".", ",", "1 000", "1\u00a0000",
    "1\u202f000", "\x00", "1\x00", "\ud800", "", " ", "9" * 5000, "0." + "0" * 40 + "1", "1" + "0" * 30 + ".5",
    "999999999.99", "1000000000", "99.999", "100.001", "0.001", "999", "1000",
]
digits = st.text("0123456789", min_size=1, max_size=12)
plain_numbers = st.builds(lambda a, sep, b: a + sep + b, digits, st.sampled_from(["", ".", ",", " "]),
                          st.text("0123456789", max_size=6))
typed_numbers = st.one_of(
    st.sampled_from(NASTY),
    plain_numbers,
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("0123456789.,eE+- *"), max_size=30),
    st.builds(lambda mantissa, exp: f"{mantissa}e{exp}", digits, st.integers(-10**7, 10**7)),
)

known_codes = sorted({p.barcode for p in DEMO_PRODUCTS if p.barcode} | {p.code for p in DEMO_PRODUCTS})
small_numbers = st.one_of(  # what a cashier usually types: most of these are sellable
    st.integers(1, 12).map(str), st.integers(1, 5000).map(lambda grams: f"{grams // 1000},{grams % 1000:03d}"),
)
codes = st.one_of(
    st.sampled_from(known_codes),
    st.sampled_from(known_codes),
    st.integers(0, 99999).map(lambda grams: with_check_digit(f"2220001{grams:05d}")),  # scale labels of the apples
    st.text("0123456789", min_size=1, max_size=16),
    st.text(max_size=20),
)
quantities = st.one_of(small_numbers, typed_numbers)
scans = st.one_of(codes, st.builds(lambda q, c: f"{q}*{c}", quantities, codes))
