"""[scanner]: each key checked with a message naming it; the old [till] weight_barcode_prefixes
still reads scale labels; the store's label layout and the wedge timing reach the till."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pos.barcode import with_check_digit
from pos.scan import CodeScan, MeasureLayout, read_scan
from pos.scan_timing import WedgeTiming
from shell.settings import SettingsProblem, parse_settings
from shell.settings_scanner import scan_layout_for, serial_scanner_for

MINIMAL = '[store]\nstore_id = "S1"\nname = "Shop"\n'


def settings(text: str = ""):  # noqa: ANN201
    return parse_settings(MINIMAL + text, Path("kassa.toml"))


def test_without_a_scanner_section_the_defaults_read_22_labels_and_wedge_scans():
    s = settings()
    assert scan_layout_for(s) == MeasureLayout(("22",), (), 5, 2)
    assert s.scanner.wedge_timing() == WedgeTiming(50, 6, "\r")
    assert serial_scanner_for(s.scanner) is None


def test_the_old_till_key_still_sets_the_weight_prefixes():
    s = settings('[till]\nweight_barcode_prefixes = ["21"]\n')
    label = with_check_digit("21" + "20001" + "01250")
    assert read_scan(label, scan_layout_for(s)) == CodeScan(("20001",), label, True, Decimal("1.25"))


def test_the_scanner_section_sets_weight_and_price_labels_in_its_layout():
    s = settings('currency = "GEL"\n[scanner]\nweight_prefixes = ["20"]\n'
                 'price_prefixes = ["23", "24"]\nitem_digits = 4\nterminator = "tab"\nmax_key_gap_ms = 80\n')
    assert scan_layout_for(s) == MeasureLayout(("20",), ("23", "24"), 4, 2)
    assert s.scanner.wedge_timing() == WedgeTiming(80, 6, "\t")


def test_when_both_places_are_set_the_scanner_section_wins_and_the_log_says_so(caplog):
    s = settings('[till]\nweight_barcode_prefixes = ["21"]\n[scanner]\nweight_prefixes = ["28"]\n')
    assert scan_layout_for(s).weight_prefixes == ("28",)
    assert "[scanner] weight_prefixes" in caplog.text


def test_a_serial_port_makes_a_serial_scanner_with_its_speed_and_terminator():
    s = settings('[scanner]\nserial_port = "/dev/ttyACM0"\nserial_speed = 115200\nserial_terminator = "crlf"\n')
    scanner = serial_scanner_for(s.scanner)
    assert (scanner.port, scanner.speed, scanner.terminator) == ("/dev/ttyACM0", 115200, b"\r\n")


@pytest.mark.parametrize("line,named", [
    ('weight_prefixes = ["12"]', "weight_prefixes"),
    ('price_prefixes = ["2"]', "price_prefixes"),
    ('weight_prefixes = ["23"]\nprice_prefixes = ["23"]', "both a weight and a price"),
    ("item_digits = 7", "item_digits"),
    ("max_key_gap_ms = 0", "max_key_gap_ms"),
    ("min_length = 1", "min_length"),
    ('terminator = "space"', "terminator"),
    ("serial_speed = 1234", "serial_speed"),
    ('serial_port = " /dev/ttyS0"', "serial_port"),
    ('serial_terminator = "nul"', "serial_terminator"),
    ("beep = true", "beep"),
])
def test_each_wrong_scanner_key_is_refused_naming_it(line, named):
    with pytest.raises(SettingsProblem) as refused:
        settings(f"[scanner]\n{line}\n")
    assert named in refused.value.user_message()
