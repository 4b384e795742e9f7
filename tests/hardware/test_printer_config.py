"""The printer setting: one string, parsed or refused with the accepted forms named."""

from __future__ import annotations

import pytest

from hardware.errors import DeviceError, PrinterNotConfigured
from hardware.printer_config import ACCEPTED_FORMS, parse_printer


@pytest.mark.parametrize(
    ("setting", "kind", "address"),
    [
        ("none", "none", "none"),
        ("dummy", "dummy", "dummy"),
        ("file:/dev/usb/lp0", "file", "file:/dev/usb/lp0"),
        ("network:192.168.1.50", "network", "network:192.168.1.50:9100"),
        ("network:printer.shop.lan:9101", "network", "network:printer.shop.lan:9101"),
        ("network:[fe80::1]:9100", "network", "network:[fe80::1]:9100"),
        ("usb:04b8:0202", "usb", "usb:04b8:0202"),
        ("USB:0x04B8:0x0E15", "usb", "usb:04b8:0e15"),
        ("serial:/dev/ttyUSB0", "serial", "serial:/dev/ttyUSB0:9600"),
        ("serial:COM3:19200", "serial", "serial:COM3:19200"),
    ],
)
def test_each_accepted_form_is_understood(setting: str, kind: str, address: str) -> None:
    spec = parse_printer(setting)
    assert (spec.kind, spec.address) == (kind, address)
    assert (spec.profile, spec.width, spec.timeout) == ("TM-T88V", 42, 5.0)


def test_options_travel_with_the_setting() -> None:
    spec = parse_printer("network:10.0.0.7", profile="TM-T20II", width=48, dot_width=576, timeout=2.5)
    assert (spec.profile, spec.width, spec.dot_width, spec.timeout) == ("TM-T20II", 48, 576, 2.5)


@pytest.mark.parametrize(
    "setting",
    ["", "lpt1", "printer", "network:", "network:host:99999", "network:host:abc", "usb:04b8", "usb:xyz:0202",
     "serial:", "serial:/dev/ttyS0:1234", "file:", "none:please"],
)
def test_a_wrong_printer_setting_names_the_accepted_forms(setting: str) -> None:
    with pytest.raises(PrinterNotConfigured) as error:
        parse_printer(setting)
    message = str(error.value)
    assert all(form in message for form in ACCEPTED_FORMS)
    assert isinstance(error.value, DeviceError) and isinstance(error.value, ValueError)


@pytest.mark.parametrize("options", [{"width": 10}, {"timeout": 0}, {"dot_width": 50}, {"profile": "TM-NOPE"}])
def test_impossible_options_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(PrinterNotConfigured):
        parse_printer("dummy", **options)  # type: ignore[arg-type]


def test_a_preview_printer_saves_each_receipt_as_a_png(tmp_path):
    from hardware.printers import make_receipt_printer
    from tests.hardware.samples import sample_receipt

    printer = make_receipt_printer(f"preview:{tmp_path / 'receipts'}")
    receipt = sample_receipt()
    printer.print_receipt(receipt)
    saved = list((tmp_path / "receipts").glob("*.png"))
    assert [p.name for p in saved] == [f"receipt-T01-{receipt.receipt_number:06d}.png"]
