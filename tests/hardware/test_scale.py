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
    scale = SerialScale(str(simulator.path), timeout=5, framing="8N1")  # a pty refuses 7E1 when reopened
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


def test_a_silent_scale_is_a_problem_that_names_the_port(simulator):
    scale = SerialScale(str(simulator.path), timeout=0.3, framing="8N1")
    simulator.answer = None
    with pytest.raises(ScaleProblem, match="no answer in 0.3 s") as caught:
        scale.weigh()
    assert str(simulator.path) in caught.value.user_message()
    simulator.weight(1000)  # it wakes up: the next weighing works, nothing left over
    scale.timeout = 5  # (the port is opened anew with it)
    assert scale.weigh() == Decimal("1.000")
    scale.close()


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


SETTINGS_HEAD = '[store]\nstore_id = "S1"\nname = "Shop"\n'


def test_the_scale_and_customer_display_settings_name_every_mistake(tmp_path):
    from shell.settings import SettingsProblem, parse_settings

    text = SETTINGS_HEAD + (
        '[scale]\nport = "/dev/ttyUSB0\\n"\nsped = 9600\nspeed = 9601\nprotocol = "cas"\nframing = "8X1"\ntimeout = 0\n'
        '[customer_display]\nenabled = "yes"\nscreen = 12\ngeometry = "0,0,100x100"\n'
    )
    with pytest.raises(SettingsProblem) as caught:
        parse_settings(text, tmp_path / "kassa.toml")
    lines = caught.value.problems
    assert "[scale] sped: unknown setting (did you mean 'speed'?)" in lines
    assert any(line.startswith("[scale] port: holds spaces at an end or control characters") for line in lines)
    assert any(line.startswith("[scale] speed: must be a serial speed: 1200, 2400") for line in lines)
    assert any(line.startswith("[scale] protocol: must be one of 'toledo-8217'") for line in lines)
    assert any(line.startswith('[scale] framing: must be data bits, parity and stop bits, e.g. "7E1"') for line in lines)
    assert any(line.startswith("[scale] timeout: must be more than 0") for line in lines)
    assert any(line.startswith("[customer_display] enabled: must be true or false") for line in lines)
    assert any(line.startswith("[customer_display] screen: must be at most 9") for line in lines)


def test_a_customer_window_smaller_than_200x150_is_refused(tmp_path):
    from shell.settings import SettingsProblem, parse_settings

    with pytest.raises(SettingsProblem, match="at least 200x150 pixels"):
        parse_settings(SETTINGS_HEAD + '[customer_display]\nenabled = true\ngeometry = "0,0,100x100"\n', tmp_path / "k.toml")


def test_the_scale_setting_makes_the_scale_and_no_port_makes_none(tmp_path):
    from shell.settings import parse_settings
    from shell.settings_devices import scale_for

    settings = parse_settings(SETTINGS_HEAD, tmp_path / "k.toml")
    assert scale_for(settings.scale) is None
    settings = parse_settings(SETTINGS_HEAD + '[scale]\nport = "/dev/ttyUSB0"\nspeed = 4800\nframing = "8N1"\ntimeout = 2.5\n',
                              tmp_path / "k.toml")
    scale = scale_for(settings.scale)
    assert isinstance(scale, SerialScale)
    assert (scale.port, scale.baudrate, scale.framing, scale.timeout) == ("/dev/ttyUSB0", 4800, "8N1", 2.5)
