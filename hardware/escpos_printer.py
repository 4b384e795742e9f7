"""The receipt printer adapter: ``pos.ports.ReceiptPrinter`` over ESC/POS.

A receipt is laid out (``pos.receipt_layout``), rendered to ESC/POS bytes with
python-escpos on its ``Dummy`` printer (``set``, ``textln``, ``image``, ``cut``), then sent
to the printer in one piece by a transport (``hardware.transports``).  Rendering first
means an encoding problem can never leave half a receipt on paper, and the connection is
open only while the bytes go out.

Text goes out in the printer's own font, python-escpos's magic encoder switching code
page per character (CP866/CP1251 for Ukrainian, CP857 for most Azerbaijani letters).  A
row holding a character no code page of the printer has (Georgian, Azerbaijani ə, ₴) is
drawn by ``hardware.receipt_image`` (DejaVu Sans Mono, Georgian letters in Noto Sans
Georgian) and sent as a raster image (GS v 0) instead, cut short after its last dot.

Every row's text is cleaned of control characters right before it becomes bytes
(``hardware.printer_text``): whatever a row holds, the only commands in the output are
the renderer's own (ESC @, ESC t, ESC a, ESC E, ESC !, GS v 0, ESC d, GS V).
"""

from __future__ import annotations

import logging
import math
import threading
from typing import Any

from PIL import Image, ImageOps

from hardware.errors import DeviceError, PrinterFailed, PrinterNotConfigured
from hardware.printer_config import PrinterSpec, parse_printer
from hardware.printer_text import printer_safe
from hardware.receipt_image import RowPainter
from hardware.transports import MemoryTransport, Transport, open_transport
from pos.receipt import Receipt
from pos.receipt_layout import ReceiptDocument, layout_receipt

log = logging.getLogger(__name__)

DOTS_PER_CHARACTER = 12  # font A on nearly every 80 mm and 58 mm receipt printer


class EscposRenderer:
    """Turns laid-out rows into ESC/POS bytes for one printer profile."""

    def __init__(self, spec: PrinterSpec) -> None:
        from escpos.printer import Dummy

        self.spec = spec
        self._dummy_class = Dummy
        probe = Dummy(profile=spec.profile)  # its encoder answers "which code page has this?"
        self._encoder = probe.magic.encoder
        self.dot_width = self._dot_width(spec, probe.profile.profile_data)
        self.painter = RowPainter(spec.width, self.dot_width)
        self._printable: dict[str, bool] = {}

    @staticmethod
    def _dot_width(spec: PrinterSpec, profile_data: dict[str, Any]) -> int:
        try:
            paper = int(profile_data["media"]["width"]["pixels"])
        except (KeyError, TypeError, ValueError):
            paper = 0
        wanted = spec.dot_width or paper or spec.width * DOTS_PER_CHARACTER
        return min(wanted, paper) if paper else wanted

    def render(self, document: ReceiptDocument) -> bytes:
        p = self._dummy_class(profile=self.spec.profile)
        p.hw("INIT")  # ESC @: left aligned, normal size, not bold
        style = ("left", False, False)
        for row in document.rows:
            text = printer_safe(row.text)  # no byte of the data may be a printer command
            if row.kind == "text" and not self.printable(text):
                style = self._style(p, style, ("left", False, False))
                p.image(_trimmed(self.painter.bitmap(row)), impl="bitImageRaster")
                continue
            style = self._style(p, style, (row.align, row.bold, row.double))
            p.textln(text)
        self._style(p, style, ("left", False, False))
        p.cut()
        return bytes(p.output)

    @staticmethod
    def _style(p: Any, current: tuple[str, bool, bool], wanted: tuple[str, bool, bool]) -> tuple[str, bool, bool]:
        """Send only the style changes: (align, bold, double size).  The size command
        (ESC !) also clears bold, so bold is sent again after a size change."""
        align, bold, double = wanted
        changes: dict[str, Any] = {}
        if align != current[0]:
            changes["align"] = align
        if double != current[2]:
            changes.update(normal_textsize=not double, double_width=double, double_height=double, bold=bold)
        elif bold != current[1]:
            changes["bold"] = bold
        if changes:
            p.set(**changes)
        return wanted

    def printable(self, text: str) -> bool:
        """Can the printer's code pages hold every character of ``text``?"""
        for ch in text:
            if ord(ch) < 128:
                continue
            known = self._printable.get(ch)
            if known is None:
                known = self._printable[ch] = self._encoder.find_suitable_encoding(ch) is not None
            if not known:
                return False
        return True


def _trimmed(image: Image.Image) -> Image.Image:
    """The row image without the blank dots right of its ink (to a whole byte): a raster
    row costs a byte per 8 dots per line of dots, and most rows end well before the edge.
    Printed left-aligned, the dots left keep their places."""
    box = ImageOps.invert(image.convert("L")).getbbox()
    right = min(image.width, max(8, math.ceil((box[2] if box else 0) / 8) * 8))
    return image.crop((0, 0, right, image.height))


class EscposReceiptPrinter:
    """``ReceiptPrinter`` for ESC/POS printers: ``EscposReceiptPrinter("network:10.0.0.7")``.

    ``print_receipt`` raises a ``DeviceError`` (a ``pos.errors.DeviceProblem``) naming the
    printer when it is off, unplugged, unreachable or out of paper; the spooler then keeps
    the receipt queued.  Calls are serialised: one receipt at a time per printer."""

    def __init__(self, spec: PrinterSpec | str, **options: Any) -> None:
        self.spec = parse_printer(spec, **options) if isinstance(spec, str) else spec
        self.renderer = EscposRenderer(self.spec)
        self.transport: Transport = open_transport(self.spec)
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        return self.spec.address

    def receipt_bytes(self, receipt: Receipt) -> bytes:
        """The ESC/POS bytes of a receipt, without printing it."""
        return self.renderer.render(layout_receipt(receipt, self.spec.width))

    def print_receipt(self, receipt: Receipt) -> None:
        if self.spec.kind == "none":
            log.info("printing is disabled; receipt %d not printed", receipt.receipt_number)
            return
        try:
            data = self.receipt_bytes(receipt)
        except DeviceError:
            raise
        except Exception as error:  # an escpos or Pillow failure: a setting, not the sale
            log.exception("receipt %d could not be rendered for %s", receipt.receipt_number, self.address)
            raise PrinterNotConfigured(address=self.address, reason=f"cannot render: {error}") from error
        with self._lock:
            try:
                self.transport.send(data)
            except DeviceError:
                raise
            except Exception as error:  # a driver error no transport foresaw
                raise PrinterFailed(address=self.address, reason=str(error)[:160]) from error
        log.info("receipt %d sent to %s (%d bytes)", receipt.receipt_number, self.address, len(data))

    @property
    def output(self) -> bytes:
        """Everything a ``dummy`` printer received so far."""
        if not isinstance(self.transport, MemoryTransport):
            raise AttributeError("only a dummy printer keeps its output")
        return self.transport.output

