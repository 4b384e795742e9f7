"""Whatever the printer connection string holds, parse_printer returns a PrinterSpec or
raises PrinterNotConfigured with one short line; never ValueError, UnicodeError or a
traceback in `kassa check-config`."""

from __future__ import annotations

import os

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from hardware.errors import PrinterNotConfigured
from hardware.printer_config import SERIAL_SPEEDS, PrinterSpec, parse_printer

EXAMPLES = 5000 if os.environ.get("KASSA_SOAK") else 300
KINDS = ("none", "dummy", "file", "network", "usb", "serial", "preview")

kinds = st.sampled_from(["none", "dummy", "file", "network", "usb", "serial", "preview", "NETWORK", "lpt", ""])
parts = st.one_of(
    st.text(max_size=12),
    st.text("0123456789abcdefxX:[]._/ ", max_size=12),
    st.integers(-10, 10**6).map(str),
    st.sampled_from(["²", "٣", "0_4b8", "0x04b8", "9" * 5000, "\x00", "\ud800", "[::1]", "[fe80::1", "::1", " "]),
)
settings_text = st.one_of(
    st.text(max_size=40),
    st.builds(lambda kind, rest: kind + ":" + ":".join(rest), kinds, st.lists(parts, max_size=3)),
)


@pytest.mark.parametrize("setting", ["network:printer:²", "network:printer:" + "9" * 5000,
                                     "serial:/dev/ttyS0:" + "1" * 50, "usb:0_4b8:0202", "usb:٣:1", "usb:" + "f" * 50 + ":1",
                                     "file:/dev/usb/lp\x000", "preview:\ud800", "network:printer\n:9100", "x" * 10_000])
def test_a_bad_connection_string_is_one_short_line(setting):
    with pytest.raises(PrinterNotConfigured) as err:
        parse_printer(setting)
    message = err.value.user_message()
    assert "\n" not in message and "\x00" not in message and len(message) < 400
    message.encode("utf-8")


@pytest.mark.parametrize("setting,address", [("usb:0x04B8:0x0202", "usb:04b8:0202"), ("serial:COM3", "serial:COM3:9600"),
                                             ("serial:/dev/ttyUSB0:115200", "serial:/dev/ttyUSB0:115200"),
                                             ("network:[fe80::1]:9100", "network:[fe80::1]:9100"),
                                             ("network:192.0.2.10", "network:192.0.2.10:9100")])
def test_good_connection_strings_still_work(setting, address):
    assert parse_printer(setting).address == address


@settings(max_examples=EXAMPLES, deadline=None)
@given(settings_text)
@example("network:h:" + "9" * 5000)
def test_any_connection_string_is_a_printer_or_one_clear_line(setting):
    try:
        spec = parse_printer(setting)
    except PrinterNotConfigured as err:
        kind = setting.partition(":")[0].lower()
        event(f"refused {kind if kind in KINDS else 'other'}")
        message = err.user_message()
        assert "\n" not in message and len(message) < 400
        message.encode("utf-8")
        return
    event(f"accepted {spec.kind}")
    assert isinstance(spec, PrinterSpec)
    assert 0 < spec.port < 65536 and spec.baudrate in SERIAL_SPEEDS
    assert 0 <= spec.vendor_id <= 0xFFFF and 0 <= spec.product_id <= 0xFFFF
    spec.address.encode("utf-8")
