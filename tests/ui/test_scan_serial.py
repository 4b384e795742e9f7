"""A serial scanner on a pseudo-terminal, in the real window: its state in the status bar in
plain words (not connected, then ready), and its codes sold as if scanned at the counter."""

from __future__ import annotations

from hardware.serial_scanner import SerialScanner
from tests.fakes import SHAMPOO
from tests.hardware.test_serial_scanner import PtyScanner
from tests.ui.conftest import build_services


def test_a_serial_scanner_is_shown_in_the_status_bar_and_its_codes_are_sold(open_till, journal, printer, tmp_path):
    device = PtyScanner(tmp_path / "scanner")
    services = build_services(journal, printer)
    services.serial_scanner = SerialScanner(str(device.path), 9600, b"\r", on_code=print, on_state=print,
                                            retry_seconds=0.05)
    till = open_till(services)
    till.sign_in("1", "1234")
    label = till.window.status.scanner_label
    till.wait_until(lambda: label.text() == "Scanner not connected: check its cable")
    assert "not plugged in" in label.toolTip()
    device.plug_in()
    till.wait_until(lambda: label.text() == "Scanner ready")
    device.scan(SHAMPOO.barcode.encode() + b"\r")
    till.wait_until(lambda: [line.product for line in till.lines] == [SHAMPOO])
    device.unplug()
    till.wait_until(lambda: label.text() == "Scanner not connected: check its cable")
