"""The receipt printer adapter: ``pos.ports.ReceiptPrinter`` over ESC/POS.

A receipt is laid out (``pos.receipt_layout``), rendered to ESC/POS bytes with
python-escpos on its ``Dummy`` printer (``set``, ``textln``, ``image``, ``cut``), then sent
to the printer in one piece by a transport (``hardware.transports``).  Rendering first
means an encoding problem can never leave half a receipt on paper, and the connection is
open only while the bytes go out.

Text goes out in the printer's own font, python-escpos's magic encoder switching code
page per character (CP866/CP1251 for Ukrainian, CP857 for most Azerbaijani letters).  A
word holding a character no code page of the printer has (Georgian, Azerbaijani ə, ₴) is
drawn by ``hardware.receipt_image`` (Georgian letters in Noto Sans Georgian) into exactly
its character cells (12 dots each, 24 high) and sent in the line as a column bit image
(ESC * 33), the rest of the row staying text: a Georgian row costs 36 bytes a letter
instead of a whole row of dots.  A double-size row goes as one raster image drawn at normal
size and printed with each dot doubled (GS v 0, mode 3: a quarter of the bytes); on a
printer whose profile has no column images (``bitImageColumn``) every such row goes as a
raster image.  Raster images are cut short after their last dot.  No real-time command (DLE EOT, DLE ENQ, DLE DC4) is left in the
dots of a picture: a printer would obey it even there (``_defused``).

The profile (``hardware.printer_profiles``) sets the dots a line (80 or 58 mm paper), the
logo printed first (centred, as a raster image) and the end: a cut on a printer with a
cutter, else a feed to the tear bar.

The receipt code (a ``qr`` row) is a QR code, centred: drawn by the printer itself
(python-escpos ``qr(native=True)``: GS ( k, error correction M) when the profile has QR codes
(``qrCode``), else sent as a raster picture drawn by ``hardware.receipt_image.qr_bitmap``;
the ``receipt_code`` setting can force either or leave the code off.  X and Z reports
(``pos.report_layout``) and return receipts (``pos.return_layout``) are rows like a receipt
and go the same way, straight to the printer.  The cash drawer is kicked with python-escpos
``cashdraw`` (ESC p on pin 2 or 5), alone on its connection.

Every row's text is cleaned of control characters right before it becomes bytes
(``hardware.printer_text``): whatever a row holds, the only commands in the output are
the renderer's own (ESC @, ESC t, ESC a, ESC E, ESC !, GS v 0, ESC d, GS V).
"""

from __future__ import annotations

import logging
import math
import threading
import uuid
from dataclasses import replace
from typing import Any

from PIL import Image, ImageOps

from hardware.errors import DeviceError, PrinterFailed, PrinterInterrupted, PrinterNotConfigured
from hardware.printer_config import PrinterSpec, parse_printer
from hardware.printer_profiles import DOTS_PER_CHARACTER, dot_width, printer_profile
from hardware.printer_status import PrinterStatus
from hardware.printer_text import printer_safe
from hardware.receipt_image import RowPainter, qr_bitmap, qr_module_dots, word_spans
from hardware.transports import MemoryTransport, Transport, open_transport
from pos.receipt import Receipt
from pos.receipt_layout import ReceiptDocument, Row, layout_receipt
from pos.report_layout import ReportPrintout, layout_report
from pos.return_layout import ReturnPrintout, layout_return

log = logging.getLogger(__name__)

LOGO_MAX_HEIGHT = 240  # dots (about 3 cm): a logo is a header, not a poster
TEAR_FEED = 4  # lines fed after the last row on a printer without a cutter, past the tear bar


class EscposRenderer:
    """Turns laid-out rows into ESC/POS bytes for one printer profile."""

    def __init__(self, spec: PrinterSpec) -> None:
        from escpos.printer import Dummy

        self.spec = spec
        self._dummy_class = Dummy
        probe = Dummy(profile=spec.profile)  # its encoder answers "which code page has this?"
        self._encoder = probe.magic.encoder
        self.profile = printer_profile(spec)
        self.dot_width = dot_width(spec)
        self.painter = RowPainter(spec.width, self.dot_width)
        self.half_painter = RowPainter(spec.width // 2, self.dot_width // 2)  # double rows, before doubling
        self._printable: dict[str, bool] = {}
        self.logo = _logo(spec.logo, self.dot_width) if spec.logo else None
        features = probe.profile.profile_data.get("features", {})
        self.inline_pictures = bool(features.get("bitImageColumn", True)) and spec.inline_pictures
        self.quadruple = True  # double rows as normal-size pictures printed 2 x 2 (GS v 0 mode 3)
        self.code_mode = spec.receipt_code
        if self.code_mode == "auto":
            self.code_mode = "native" if features.get("qrCode", False) else "image"

    def render(self, document: ReceiptDocument) -> bytes:
        p = self._dummy_class(profile=self.spec.profile)
        p.hw("INIT")  # ESC @: left aligned, normal size, not bold
        style = ("left", False, False)
        if self.logo is not None:
            style = self._style(p, style, ("center", False, False))
            p._raw(raster(self.logo))
        for row in document.rows:
            if row.kind == "qr":
                style = self._code(p, style, row)
                continue
            text = printer_safe(row.text)  # no byte of the data may be a printer command
            if row.kind == "text" and not self.printable(text):
                if self.inline_pictures and not row.double:
                    style = self._style(p, style, (row.align, row.bold, row.double))
                    self._mixed_line(p, row, text)
                    continue
                style = self._style(p, style, ("left", False, False))
                if row.double and self.quadruple:  # drawn at normal size, printed with every dot doubled
                    p._raw(raster(_trimmed(self.half_painter.bitmap(replace(row, double=False))), QUADRUPLE))
                else:
                    p._raw(raster(_trimmed(self.painter.bitmap(row))))
                continue
            style = self._style(p, style, (row.align, row.bold, row.double))
            p.textln(text)
        self._style(p, style, ("left", False, False))
        if self.profile.cutter:
            p.cut()
        else:
            p._raw(b"\x1bd" + bytes([TEAR_FEED]))  # ESC d n: past the tear bar
        return bytes(p.output)

    def _code(self, p: Any, style: tuple[str, bool, bool], row: Row) -> tuple[str, bool, bool]:
        """The receipt code as a QR code on rows of its own, centred (nothing when it is off)."""
        text = printer_safe(row.text)
        if self.code_mode == "none" or not text.strip() or not text.isascii():
            return style
        style = self._style(p, style, ("center", False, False))
        module = qr_module_dots(self.dot_width)
        if self.code_mode == "native":
            from escpos.constants import QR_ECLEVEL_M

            p.qr(text, ec=QR_ECLEVEL_M, size=module, native=True)
        else:
            p._raw(raster(qr_bitmap(text, module)))
        return style

    def _mixed_line(self, p: Any, row: Row, text: str) -> None:
        """One row as text with its unprintable words as pictures in their own cells."""
        column = 0  # the first character not sent yet
        for start, word in word_spans(text):
            if self.printable(word):
                continue
            if start > column:
                p.text(text[column:start])
            end = start + len(word)
            # the picture may reach into the space after the word (as the preview draws it):
            # room for a wide letter such as ლ, which one 12-dot cell would squeeze
            space_after = end < len(text) and text[end] == " "
            room = space_after or (end == len(text) and row.align == "left" and end < self.spec.width)
            cells = len(word) + (1 if room else 0)
            dots = len(word) * DOTS_PER_CHARACTER + (ROOM_DOTS if room else 0)
            p._raw(column_image(self.painter.word_bitmap(row, word, dots, cells * DOTS_PER_CHARACTER)))
            column = end + (1 if space_after else 0)
        p.textln(text[column:].rstrip() if row.align == "left" else text[column:])

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


REALTIME = (0x04, 0x05, 0x14)  # DLE EOT (status), DLE ENQ (recover), DLE DC4 (drawer pulse, power off)


def _defused(data: bytearray) -> bytes:
    """Picture data with no DLE followed by a real-time command's second byte: the DLE loses
    a dot (0x10 -> 0x00), which no one sees, and the printer can never take it for a command."""
    at = data.find(0x10)
    while at != -1:
        if at + 1 < len(data) and data[at + 1] in REALTIME:
            data[at] = 0x00
        at = data.find(0x10, at + 1)
    return bytes(data)


def _ink(image: Image.Image) -> bytearray:
    """A 1-bit image's packed rows with 1 for a dot of ink (Pillow packs 1 for white)."""
    return bytearray(b ^ 0xFF for b in image.convert("1").tobytes())


ROOM_DOTS = 8  # two thirds of the cell after a word that its picture may use
QUADRUPLE = 3  # GS v 0 mode: each dot printed 2 x 2


def raster(image: Image.Image, mode: int = 0) -> bytes:
    """GS v 0: a raster image, each row padded to whole bytes; ``mode`` 3 doubles every dot."""
    width = math.ceil(image.width / 8) * 8
    if width != image.width:
        padded = Image.new("1", (width, image.height), 1)
        padded.paste(image.convert("1"), (0, 0))
        image = padded
    x, y = width // 8, image.height
    return b"\x1dv0" + bytes([mode, x & 0xFF, x >> 8, y & 0xFF, y >> 8]) + _defused(_ink(image))


def column_image(image: Image.Image) -> bytes:
    """ESC * 33: a 24-dot column bit image printed within the line, ``image.width`` dots wide."""
    columns = image.convert("1").transpose(Image.Transpose.TRANSPOSE)  # each column becomes a row of 24 dots
    width = image.width
    return b"\x1b*\x21" + bytes([width & 0xFF, width >> 8]) + _defused(_ink(columns))


def _logo(path: str, dots: int) -> Image.Image:
    """The logo as 1-bit dots, no wider than the paper nor higher than ``LOGO_MAX_HEIGHT``."""
    try:
        with Image.open(path) as picture:
            image = picture.convert("L")
    except (OSError, ValueError) as error:
        raise PrinterNotConfigured(address=path, reason=f"the logo cannot be read: {error}") from error
    scale = min(1.0, dots / image.width, LOGO_MAX_HEIGHT / image.height)
    if scale < 1.0:
        image = image.resize((max(8, int(image.width * scale)), max(1, int(image.height * scale))))
    return image.convert("1")


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
        self._interrupted: set[uuid.UUID] = set()  # sales whose receipt stopped half way
        self.warning: DeviceError | None = None  # after the last receipt: paper low...

    @property
    def address(self) -> str:
        return self.spec.address

    def receipt_bytes(self, receipt: Receipt) -> bytes:
        """The ESC/POS bytes of a receipt, without printing it."""
        return self.renderer.render(layout_receipt(receipt, self.spec.width))

    def report_bytes(self, printout: ReportPrintout) -> bytes:
        return self.renderer.render(layout_report(printout, self.spec.width))

    def return_bytes(self, printout: ReturnPrintout) -> bytes:
        return self.renderer.render(layout_return(printout, self.spec.width))

    def print_report(self, printout: ReportPrintout) -> None:
        """An X or Z report now; a ``DeviceError`` if it did not all reach the printer."""
        report = printout.report
        what = f"{report.kind.value} report" + (f" {report.z_number}" if report.z_number else "")
        self._print_now(what, lambda: self.report_bytes(printout))

    def print_return(self, printout: ReturnPrintout) -> None:
        self._print_now(f"return {printout.returned.return_number}", lambda: self.return_bytes(printout))

    def _print_now(self, what: str, render: Any) -> None:
        if self.spec.kind == "none":
            log.info("printing is disabled; %s not printed", what)
            return
        try:
            data = render()
        except DeviceError:
            raise
        except Exception as error:  # an escpos or Pillow failure: a setting, not the document
            log.exception("%s could not be rendered for %s", what, self.address)
            raise PrinterNotConfigured(address=self.address, reason=f"cannot render: {error}") from error
        self.send(data)
        log.info("%s sent to %s (%d bytes)", what, self.address, len(data))

    def drawer_bytes(self, pin: int) -> bytes:
        """ESC p m t1 t2 for the drawer on ``pin`` (2 or 5), through python-escpos."""
        p = self.renderer._dummy_class(profile=self.spec.profile)
        p.cashdraw(pin)
        return bytes(p.output)

    def open_drawer(self, pin: int) -> None:
        """Kick the cash drawer.  Its connection asks no status first: paper out or a cover
        open must not keep the drawer shut (the printer may still hold the kick until it is
        ready again, see docs/hardware.md)."""
        if self.spec.kind == "none":
            log.info("printing is disabled: no printer to open the drawer on pin %d", pin)
            return
        data = self.drawer_bytes(pin)
        report = getattr(self.transport, "status", None)
        with self._lock:
            asking = report.enabled if report is not None else False
            if report is not None:
                report.enabled = False
            try:
                self.transport.send(data)
            except DeviceError:
                raise
            except Exception as error:  # a driver error no transport foresaw
                raise PrinterFailed(address=self.address, reason=str(error)[:160]) from error
            finally:
                if report is not None:
                    report.enabled = asking
        log.info("cash drawer kicked on pin %d through %s", pin, self.address)

    def print_receipt(self, receipt: Receipt) -> None:
        if self.spec.kind == "none":
            log.info("printing is disabled; receipt %d not printed", receipt.receipt_number)
            return
        if receipt.sale_id in self._interrupted and not receipt.is_copy:
            receipt = replace(receipt, is_copy=True)  # part of the original may be on paper already
        try:
            data = self.receipt_bytes(receipt)
        except DeviceError:
            raise
        except Exception as error:  # an escpos or Pillow failure: a setting, not the sale
            log.exception("receipt %d could not be rendered for %s", receipt.receipt_number, self.address)
            raise PrinterNotConfigured(address=self.address, reason=f"cannot render: {error}") from error
        try:
            self.send(data)
        except DeviceError as error:
            if error.interrupted:
                self._interrupted.add(receipt.sale_id)
            raise
        self._interrupted.discard(receipt.sale_id)
        log.info("receipt %d sent to %s (%d bytes)", receipt.receipt_number, self.address, len(data))

    def send(self, data: bytes) -> None:
        """Send rendered bytes (a receipt, the test page); a ``DeviceError`` if they did not
        all reach a printer that could print them (``interrupted`` when some did)."""
        with self._lock:
            try:
                self.transport.send(data)
            except DeviceError:
                raise
            except Exception as error:  # a driver error no transport foresaw
                raise PrinterInterrupted(address=self.address, reason=str(error)[:160]) from error
            self.warning = self.status_after().warning(self.address)

    def status_after(self) -> PrinterStatus:
        """What the printer said after the last receipt (unknown if it was not asked)."""
        report = getattr(self.transport, "status", None)
        return report.after if report is not None else PrinterStatus.unknown()

    def query_status(self) -> PrinterStatus:
        """Ask the printer now (``kassa printer status``); unknown where it cannot be asked."""
        query = getattr(self.transport, "query", None)
        return query() if query is not None else PrinterStatus.unknown()

    @property
    def output(self) -> bytes:
        """Everything a ``dummy`` printer received so far."""
        if not isinstance(self.transport, MemoryTransport):
            raise AttributeError("only a dummy printer keeps its output")
        return self.transport.output

