"""The CD5220 pole display: its bytes on a pseudo-terminal, text the display can show, unplug and replug."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.pole_display import PoleDisplayProblem, SerialPoleDisplay, display_line, screen_bytes, transliterate
from tests.hardware.pty_devices import ByteRecorder

EXAMPLES = 2000 if os.environ.get("KASSA_SOAK") else 200
WAIT = 10.0


@pytest.fixture
def recorder(tmp_path: Path) -> Iterator[ByteRecorder]:
    device = ByteRecorder(tmp_path / "ttyPole")
    yield device
    device.close()


def _wait_for(recorder: ByteRecorder, data: bytes) -> bytes:
    import time

    end = time.monotonic() + WAIT  # a safety net only: the test waits for the bytes, not for a time
    while data not in recorder.taken() and time.monotonic() < end:
        time.sleep(0.01)
    return recorder.taken()


def test_two_lines_go_to_the_display_as_cd5220_commands(recorder):
    display = SerialPoleDisplay(str(recorder.path))
    display.show("Яблука Голден", "СУМА 11,55 UAH")
    expected = b"\x1b@" + b"\x1bQAYabluka Holden      \r" + b"\x1bQBSUMA 11,55 UAH      \r"
    assert _wait_for(recorder, expected) == expected
    display.show("Kassa", "")
    second = b"\x1bQAKassa               \r\x1bQB                    \r"
    assert _wait_for(recorder, second) == expected + second  # initialised once, each line rewritten whole
    display.close()


def test_ukrainian_georgian_and_azerbaijani_are_spelt_in_latin_letters():
    assert transliterate("Шампунь Їжак Юля щука") == "Shampun Yizhak Yulia shchuka"
    assert transliterate("ვაშლი") == "vashli"
    assert transliterate("Çəkilmiş şəkər Ağ İlıq") == "Cekilmis seker Ag Iliq"
    assert transliterate("Crème brûlée 日本") == "Creme brulee ??"


def test_control_bytes_in_a_product_name_never_reach_the_display():
    data = screen_bytes("Evil\x1b@\x0cname\r\n", "\x1bQB1")
    assert data.count(b"\x1b") == 2  # the two line commands, nothing from the text
    assert data == b"\x1bQA" + b"Evil @ name".ljust(20) + b"\r\x1bQB" + b"QB1".ljust(20) + b"\r"


def test_a_long_text_is_cut_to_twenty_characters():
    assert display_line("Шампунь Herbal Essences 250 мл") == b"Shampun Herbal Essen"


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=60))
def test_any_text_becomes_twenty_printable_ascii_characters(text):
    line = display_line(text)
    assert len(line) == 20
    assert all(0x20 <= byte < 0x7F for byte in line)


def test_a_display_unplugged_is_a_problem_and_shows_again_when_plugged_back(recorder):
    display = SerialPoleDisplay(str(recorder.path), timeout=0.5)
    display.show("one", "")
    _wait_for(recorder, b"one")
    recorder.unplug()
    with pytest.raises(PoleDisplayProblem):
        display.show("two", "")
        display.show("two", "")  # a write may land in the tty's buffer once; the next one fails
    recorder.data.clear()
    recorder.plug_in()
    display.show("three", "")
    expected = b"\x1b@\x1bQAthree               \r\x1bQB                    \r"
    assert _wait_for(recorder, expected) == expected  # initialised again on the new port
    display.close()
