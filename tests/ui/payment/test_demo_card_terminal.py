"""`kassa demo` runs the card terminal emulator on a loopback port and points the till's
[card_terminal] at it; a script makes the next payments decline, time out..."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from hardware.card_terminal import NetworkCardTerminal
from pos.money import Money
from pos.payment_terminal import CardApproved, CardDeclined
from shell.demo import CARD_TERMINAL_JOURNAL, demo_settings, start_card_terminal, with_card_terminal


def test_the_demo_terminal_follows_its_script_then_approves_and_keeps_its_outcomes(tmp_path: Path) -> None:
    emulator = start_card_terminal(tmp_path, "decline")
    try:
        host, port = emulator.address
        terminal = NetworkCardTerminal(host, port)
        amount = Money.of("12.50", "UAH")
        assert isinstance(terminal.pay(uuid.uuid4(), amount), CardDeclined)
        assert isinstance(terminal.pay(uuid.uuid4(), amount), CardApproved)
    finally:
        emulator.stop()
    assert len((tmp_path / CARD_TERMINAL_JOURNAL).read_text(encoding="utf-8").splitlines()) == 2


def test_a_wrong_script_step_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown script step 'explode'"):
        start_card_terminal(tmp_path, "approve,explode")


def test_the_demo_settings_point_the_till_at_the_emulator(tmp_path: Path) -> None:
    settings = demo_settings(tmp_path)
    if not hasattr(settings, "card_terminal"):
        pytest.skip("this Kassa has no [card_terminal] settings yet")
    emulator = start_card_terminal(tmp_path)
    try:
        host, port = emulator.address
        pointed = with_card_terminal(settings, emulator)
        assert pointed.card_terminal.connection == f"network:{host}:{port}"  # type: ignore[attr-defined]
        assert settings.card_terminal.connection == "manual"  # type: ignore[attr-defined]
    finally:
        emulator.stop()
