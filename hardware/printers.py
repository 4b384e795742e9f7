"""The one place that turns a printer setting into a ``pos.ports.ReceiptPrinter``."""

from __future__ import annotations

from typing import Any

from hardware.escpos_printer import EscposReceiptPrinter
from hardware.preview_printer import PreviewReceiptPrinter
from hardware.printer_config import PrinterSpec, parse_printer


def make_receipt_printer(setting: str | PrinterSpec, **options: Any) -> EscposReceiptPrinter | PreviewReceiptPrinter:
    spec = parse_printer(setting, **options) if isinstance(setting, str) else setting
    if spec.kind == "preview":
        return PreviewReceiptPrinter(spec)
    return EscposReceiptPrinter(spec)
