"""A printer that saves each receipt as a PNG picture of the paper (``preview:DIRECTORY``):
for the demo store, training tills and checking a layout without paper."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from hardware.errors import PrinterFailed
from hardware.printer_config import PrinterSpec
from hardware.printer_profiles import dot_width
from hardware.receipt_image import render_receipt_image
from pos.receipt import Receipt

log = logging.getLogger(__name__)


class PreviewReceiptPrinter:
    def __init__(self, spec: PrinterSpec) -> None:
        self.spec = spec
        self.directory = Path(spec.target)

    @property
    def address(self) -> str:
        return self.spec.address

    def path_for(self, receipt: Receipt) -> Path:
        suffix = "-copy" if receipt.is_copy else ""
        return self.directory / f"receipt-{receipt.store.till_id}-{receipt.receipt_number:06d}{suffix}.png"

    def print_receipt(self, receipt: Receipt) -> None:
        path = self.path_for(receipt)
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            image = render_receipt_image(receipt, self.spec.width, dot_width=dot_width(self.spec))
            with open(path, "wb", opener=_private) as file:  # 0600: it names the cashier and the sale
                image.save(file, "PNG", optimize=True)
        except OSError as error:
            raise PrinterFailed(address=self.address, reason=str(error)[:160]) from error
        log.info("receipt %d saved as %s", receipt.receipt_number, path)


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)
