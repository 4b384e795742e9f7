"""The scale (Toledo 8217) on a pseudo-terminal: weights read, refusals, silence, unplug and replug."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.scale import (
    ScaleNeedsZero, ScaleNotConfigured, ScaleProblem, ScaleUnreadable, SerialScale, WeightNegative,
    WeightOverCapacity, WeightRefused, WeightUnstable, WeightZero, read_8217,
)
from tests.hardware.pty_devices import ScaleSimulator

EXAMPLES = 2000 if os.environ.get("KASSA_SOAK") else 200


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[ScaleSimulator]:
    device = ScaleSimulator(tmp_path / "ttyScale")
    yield device
    device.close()


@pytest.fixture
def scale(simulator: ScaleSimulator) -> Iterator[SerialScale]:
    scale = SerialScale(str(simulator.path), timeout=0.5, framing="8N1")  # a pty refuses 7E1 when reopened
    yield scale
    scale.close()


def test_a_steady_weight_is_read_in_kilograms(simulator, scale):
    simulator.weight(350)
    assert scale.weigh() == Decimal("0.350")
    simulator.answer = b"\x0212.345\r"  # the form with the point
    assert scale.weigh() == Decimal("12.345")
    assert simulator.requests == 2


def test_the_till_asks_with_a_single_w(simulator, scale):
    scale.weigh()
    scale.weigh()
    assert bytes(simulator.heard) == b"WW"


@pytest.mark.parametrize(
    ("bits", "refusal"),
    [
        (0x01, WeightUnstable),
        (0x02, WeightOverCapacity),
        (0x04, WeightNegative),
        (0x08, ScaleNeedsZero),
        (0x10, WeightZero),
        (0x03, WeightOverCapacity),  # over capacity and moving: over capacity is what to act on
        (0x05, WeightNegative),
        (0x00, WeightUnstable),  # a status without a reason: no weight yet
    ],
)
def test_a_weight_the_scale_flags_is_refused_with_what_to_do(simulator, scale, bits, refusal):
    simulator.status(bits)
    with pytest.raises(refusal) as caught:
        scale.weigh()
    assert isinstance(caught.value, WeightRefused)
    assert caught.value.user_message().endswith(".")


def test_a_zero_weight_is_refused(simulator, scale):
    simulator.weight(0)
    with pytest.raises(WeightZero, match="Nothing is on the scale"):
        scale.weigh()


def test_a_silent_scale_is_a_problem_that_names_the_port(simulator, scale):
    simulator.answer = None
    with pytest.raises(ScaleProblem, match="no answer in 0.5 s") as caught:
        scale.weigh()
    assert str(simulator.path) in caught.value.user_message()
    simulator.weight(1000)  # it wakes up: the next weighing works, nothing left over
    assert scale.weigh() == Decimal("1.000")


def test_an_answer_the_till_cannot_read_says_so(simulator, scale):
    simulator.answer = b"\x02hello\r"
    with pytest.raises(ScaleUnreadable, match="Toledo 8217"):
        scale.weigh()


def test_a_scale_unplugged_is_a_problem_and_works_again_when_plugged_back(simulator, scale):
    assert scale.weigh() == Decimal("1.234")
    simulator.unplug()
    with pytest.raises(ScaleProblem):
        scale.weigh()
    with pytest.raises(ScaleProblem):  # still away: the same clear problem
        scale.weigh()
    simulator.plug_in()
    simulator.weight(2500)
    assert scale.weigh() == Decimal("2.500")


def test_a_wrong_scale_setting_is_refused_by_name():
    with pytest.raises(ScaleNotConfigured, match="protocol"):
        SerialScale("/dev/ttyUSB0", protocol="cas")
    with pytest.raises(ScaleNotConfigured, match="framing"):
        SerialScale("/dev/ttyUSB0", framing="9X9")
    with pytest.raises(ScaleNotConfigured, match="serial port"):
        SerialScale(" ")


def test_parity_bits_left_on_the_line_are_ignored():
    answer = b"\x02" + bytes(b | 0x80 for b in b"00350") + b"\r"
    assert read_8217(answer) == Decimal("0.350")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.binary(max_size=40))
def test_any_answer_is_a_weight_a_refusal_or_a_problem_never_a_crash(answer):
    try:
        weight = read_8217(answer)
    except (WeightRefused, ScaleProblem):
        return
    assert Decimal("0.001") <= weight <= Decimal("99999")
    assert weight == weight.quantize(Decimal("0.001"))
