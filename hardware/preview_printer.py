"""A printer that saves each receipt as a PNG picture of the paper (``preview:DIRECTORY``):
for the demo store, training tills and checking a layout without paper.  X and Z reports and
return receipts are saved the same way; a drawer kick is only logged (there is no drawer)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from hardware.errors import PrinterFailed
from hardware.printer_config import PrinterSpec
from hardware.printer_profiles import dot_width
from hardware.receipt_image import render_document_image, render_receipt_image
from pos.receipt import Receipt
from pos.receipt_layout import ReceiptDocument
from pos.report_layout import ReportPrintout, layout_report
from pos.return_layout import ReturnPrintout, layout_return

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
        self._save(path, lambda: render_receipt_image(receipt, self.spec.width, dot_width=dot_width(self.spec)))
        log.info("receipt %d saved as %s", receipt.receipt_number, path)

    def print_report(self, printout: ReportPrintout) -> None:
        report = printout.report
        number = f"{report.z_number:06d}" if report.z_number else printout.printed_at.strftime("%Y%m%d-%H%M%S")
        suffix = "-copy" if printout.is_copy else ""
        path = self.directory / f"{report.kind.value.lower()}-report-{printout.store.till_id}-{number}{suffix}.png"
        self._save_document(path, layout_report(printout, self.spec.width))

    def print_return(self, printout: ReturnPrintout) -> None:
        suffix = "-copy" if printout.is_copy else ""
        path = self.directory / f"return-{printout.store.till_id}-{printout.returned.return_number:06d}{suffix}.png"
        self._save_document(path, layout_return(printout, self.spec.width))

    def open_drawer(self, pin: int) -> None:
        log.info("preview printer: the cash drawer on pin %d would open now", pin)

    def _save_document(self, path: Path, document: ReceiptDocument) -> None:
        self._save(path, lambda: render_document_image(document, dot_width(self.spec)))
        log.info("%s saved", path)

    def _save(self, path: Path, draw: Callable[[], Image.Image]) -> None:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            image = draw()
            with open(path, "wb", opener=_private) as file:  # 0600: it names the cashier and the sale
                image.save(file, "PNG", optimize=True)
        except OSError as error:
            raise PrinterFailed(address=self.address, reason=str(error)[:160]) from error


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)
