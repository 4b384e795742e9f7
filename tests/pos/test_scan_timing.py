"""The keyboard-wedge rule: a burst of keys ended by the terminator is a scan; a person's
typing, however fast, is given back as typed, in order, Enter included."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.scan_timing import KeyBurst, Scanned, Typed, WedgeTiming

EXAMPLES = 3000 if os.environ.get("KASSA_SOAK") else 300


def feed(burst: KeyBurst, keys: str, gaps: list[float]) -> list[object]:
    out: list[object] = []
    at = 1000.0
    for key, gap in zip(keys, gaps, strict=True):
        at += gap
        out.extend(burst.key(key, at))
    out.extend(burst.idle(at + 10_000))
    return out


def test_a_scanner_burst_ended_by_enter_is_a_scan():
    code = "4820000000017"
    assert feed(KeyBurst(), code + "\r", [8] * 14) == [Scanned(code)]


def test_a_person_typing_digits_and_enter_is_typing():
    assert "".join(o.keys for o in feed(KeyBurst(), "1001\r", [180, 140, 160, 150, 200])) == "1001\r"  # type: ignore[attr-defined]


def test_a_short_fast_burst_is_typing_not_a_scan():
    assert feed(KeyBurst(), "12\r", [5, 5, 5]) == [Typed("12\r")]


def test_with_no_terminator_a_scan_ends_with_a_pause():
    burst = KeyBurst(WedgeTiming(terminator=""))
    assert feed(burst, "96385074", [3] * 8) == [Scanned("96385074")]


def test_a_scan_right_after_typing_is_told_apart():
    out = feed(KeyBurst(), "7" + "4820000000017\r", [0] + [300] + [5] * 13)
    assert out == [Typed("7"), Scanned("4820000000017")]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text("0123456789abc", min_size=1, max_size=30), st.data())
def test_a_person_is_never_a_scan_and_nothing_typed_is_lost(keys, data):
    """A person: no two keys in a row faster than 60 ms (a fast typist averages ~120 ms)."""
    text = keys + "\r"
    gaps = data.draw(st.lists(st.floats(60.5, 400), min_size=len(text), max_size=len(text)))
    out = feed(KeyBurst(), text, gaps)
    assert all(isinstance(o, Typed) for o in out)
    assert "".join(o.keys for o in out) == text  # type: ignore[union-attr]
