"""The card terminal setting: read, or refused naming the accepted forms."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.card_terminal_config import CardTerminalNotConfigured, open_card_terminal, parse_card_terminal
from hardware.card_terminal_emulator import TerminalEmulator
from pos.money import Money
from pos.payment_terminal import CardApproved


@pytest.mark.parametrize(("setting", "address"), [
    ("manual", "manual"), (" MANUAL ", "manual"), ("network:127.0.0.1:9200", "network:127.0.0.1:9200"),
    ("network:terminal.shop.lan:20000", "network:terminal.shop.lan:20000"),
    ("network:[fe80::1]:9200", "network:[fe80::1]:9200"), ("network:fe80::1:9200", "network:[fe80::1]:9200"),
])
def test_each_accepted_form_is_understood(setting: str, address: str) -> None:
    assert parse_card_terminal(setting).address == address


@pytest.mark.parametrize(("setting", "problem"), [
    ("", "unknown kind of terminal"), ("ingenico", "unknown kind of terminal"), ("network:", "incomplete setting"),
    ("manual:yes", "incomplete setting"), ("network:10.0.0.5", "the port is missing"),
    ("network:10.0.0.5:0", "'0' is not a TCP port"), ("network:10.0.0.5:99999", "is not a TCP port"),
    ("network:10.0.0.5:٩٢٠٠", "is not a TCP port"), ("network:my host:9200", "is not a host name"),
    ("network::9200", "is not a host name"),
])
def test_a_wrong_setting_is_refused_naming_the_forms(setting: str, problem: str) -> None:
    with pytest.raises(CardTerminalNotConfigured) as refused:
        parse_card_terminal(setting)
    message = refused.value.user_message()
    assert problem in message and "use one of: manual, network:HOST:PORT" in message


def test_the_customers_time_at_the_terminal_is_bounded() -> None:
    assert parse_card_terminal("manual", pay_timeout=90).pay_timeout == 90
    with pytest.raises(CardTerminalNotConfigured, match="pay_timeout must be 10 to 600 seconds, not 5"):
        parse_card_terminal("manual", pay_timeout=5)


def test_manual_mode_has_no_adapter_and_network_mode_talks_to_the_terminal() -> None:
    assert open_card_terminal(parse_card_terminal("manual")) is None
    with TerminalEmulator() as emulator:
        terminal = open_card_terminal(parse_card_terminal(f"network:127.0.0.1:{emulator.port}", pay_timeout=30))
        assert terminal is not None and terminal.pay_timeout == 30
        assert isinstance(terminal.pay(uuid.uuid4(), Money.of("1.00", "UAH")), CardApproved)


@given(st.text(max_size=80))
@settings(max_examples=200)
def test_any_setting_is_read_or_refused_clearly(setting: str) -> None:
    try:
        spec = parse_card_terminal(setting)
    except CardTerminalNotConfigured as refused:
        assert "use one of" in refused.user_message()
    else:
        assert spec.kind in ("manual", "network")
