"""Receipt rows drawn with Pillow: whole receipts as a picture of thermal paper (previews,
the README screenshot), and single rows as 1-bit bitmaps for the printer when a row holds
characters no printer code page has (Georgian, Azerbaijani ə, ₴).  A ``qr`` row (the
receipt code) is drawn as the QR code the printer prints (``qr_bitmap``), centred.

The font is DejaVu Sans Mono, sized so that ``width`` characters fill ``dot_width`` dots,
like the printer's own font A (12 x 24 dots, 42 characters on 80 mm paper at 512 dots).

Georgian letters come from Noto Sans Georgian instead: DejaVu Sans Mono squeezes the wide
ones into its narrow cell, and at 24 dots its ლ (l) is drawn like ღ (gh), so "სულ" (total)
read as "სუღ".  A word holding Georgian is drawn in its own cells (the row stays aligned
on the character grid, reaching a third of a cell into the spaces around it): at its
natural width when that fits, else narrowed as a whole word to fit, so no single letter
loses its shape.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from hardware.printer_text import printer_safe
from pos.receipt import Receipt
from pos.receipt_layout import ReceiptDocument, Row, layout_receipt

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR_FONT = FONT_DIR / "DejaVuSansMono.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSansMono-Bold.ttf"
GEORGIAN_FONT = FONT_DIR / "NotoSansGeorgian-Regular.ttf"
GEORGIAN_BOLD_FONT = FONT_DIR / "NotoSansGeorgian-Bold.ttf"
GEORGIAN = ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F))  # Mkhedruli, Mtavruli, Nuskhuri
OVERSAMPLE = 4  # a narrowed word is drawn this many times larger, then scaled down
DEFAULT_DOT_WIDTH = 512
MONO_ADVANCE = 1233 / 2048  # DejaVu Sans Mono: every glyph is 0.602 em wide

QR_QUIET_MODULES = 2  # white modules around the code (the paper's margins add more)

PAPER = (255, 255, 255)
INK = (24, 24, 28)
TABLE = (206, 210, 216)


@lru_cache(maxsize=32)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD_FONT if bold else REGULAR_FONT), size)


@lru_cache(maxsize=32)
def _georgian_font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(GEORGIAN_BOLD_FONT if bold else GEORGIAN_FONT), size)


def is_georgian(ch: str) -> bool:
    return any(low <= ord(ch) <= high for low, high in GEORGIAN)


def word_spans(text: str) -> list[tuple[int, str]]:
    """(first column, word) for each run of characters between spaces."""
    found, start = [], None
    for column, ch in enumerate(text + " "):
        if ch != " " and start is None:
            start = column
        elif ch == " " and start is not None:
            found.append((start, text[start:column]))
            start = None
    return found


def qr_module_dots(dot_width: int) -> int:
    """Dots a side of one QR module: 5 on 80 mm paper (a code about 2 cm wide), 4 on 58 mm."""
    return 5 if dot_width >= 500 else 4


@lru_cache(maxsize=8)
def qr_bitmap(text: str, module: int) -> Image.Image:
    """``text`` as a QR code (error correction M: a smudge or a fold still reads), 1-bit,
    ``module`` dots a module, with a quiet zone of ``QR_QUIET_MODULES``."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_M, box_size=1, border=QR_QUIET_MODULES)
    code.add_data(text.encode("ascii", "replace"))
    code.make(fit=True)
    size = code.modules_count + 2 * QR_QUIET_MODULES
    image = Image.new("1", (size, size), 1)
    for y, row in enumerate(code.get_matrix()):
        for x, dark in enumerate(row):
            if dark:
                image.putpixel((x, y), 0)
    return image.resize((size * module, size * module), Image.Resampling.NEAREST)


class RowPainter:
    """Draws rows of a ``width``-character layout across ``dot_width`` dots."""

    def __init__(self, width: int, dot_width: int = DEFAULT_DOT_WIDTH) -> None:
        self.width = width
        self.dot_width = dot_width
        self.font_size = max(6, int(dot_width / width / MONO_ADVANCE))
        self.line_height = round(self.font_size * 1.2)
        # the printer's own font puts ``width`` characters in this many dots from the left
        # edge; right and centred rows drawn as images line up with its text rows
        self.text_width = min(dot_width, math.ceil(width * _font(self.font_size, False).getlength("M")))

    def font(self, row: Row) -> ImageFont.FreeTypeFont:
        return _font(self.font_size * (2 if row.double else 1), row.bold)

    def qr(self, row: Row) -> Image.Image:
        return qr_bitmap(row.text, qr_module_dots(self.dot_width))

    def height(self, row: Row) -> int:
        if row.kind == "blank":
            return self.line_height // 2
        if row.kind == "qr":
            return self.qr(row).height
        return self.line_height * (2 if row.double else 1)

    def draw(self, draw: ImageDraw.ImageDraw, row: Row, left: int, top: int, ink: int | tuple[int, ...]) -> None:
        height = self.height(row)
        if row.kind == "blank":
            return
        if row.kind == "qr":
            code = self.qr(row)
            draw.bitmap((left + (self.text_width - code.width) // 2, top), ImageOps.invert(code.convert("L")), fill=ink)
            return
        if row.kind == "rule":
            y = top + height // 2
            dash, gap = max(2, self.font_size // 3), max(2, self.font_size // 4)
            for start in range(left, left + self.text_width, dash + gap):
                draw.line([(start, y), (min(start + dash, left + self.text_width) - 1, y)], fill=ink, width=1)
            return
        font = self.font(row)
        text = printer_safe(row.text)  # a line feed or a control character is drawn as a space
        text_width = font.getlength(text)
        x: float = left
        if row.align == "center":
            x = left + (self.text_width - text_width) / 2
        elif row.align == "right":
            x = left + self.text_width - text_width
        baseline = top + round(height * 0.8)
        if not any(is_georgian(ch) for ch in text):
            draw.text((max(left, x), baseline), text, font=font, fill=ink, anchor="ls")
            return
        cell = font.getlength("M")
        x = max(left, x)
        for column, word in word_spans(text):
            if any(is_georgian(ch) for ch in word):
                # a Georgian word may reach a third of a cell into the space on either side
                # of it (a gap of at least a third of a cell stays between two words)
                before = cell / 3 if column > 0 else 0.0
                word_left = x + column * cell - before
                self._draw_georgian(draw, row, word, word_left, top, len(word) * cell + before + cell / 3, ink)
            else:
                draw.text((x + column * cell, baseline), word, font=font, fill=ink, anchor="ls")

    def _draw_georgian(
        self, draw: ImageDraw.ImageDraw, row: Row, word: str, x: float, top: int, cells: float, ink: int | tuple[int, ...]
    ) -> None:
        """``word`` inside ``cells`` dots from ``x``: Georgian letters in Noto Sans Georgian, the
        rest (digits, punctuation) in the mono font; centred at its natural width when it fits,
        else drawn larger and scaled down as a whole to the cells' width."""
        size = self.font_size * (2 if row.double else 1)
        height, baseline = self.height(row), round(self.height(row) * 0.8)
        natural = sum(self._glyph_font(ch, size, row.bold).getlength(ch) for ch in word)
        if natural <= cells:
            pen = x + (cells - natural) / 2
            for ch in word:
                glyph_font = self._glyph_font(ch, size, row.bold)
                draw.text((pen, top + baseline), ch, font=glyph_font, fill=ink, anchor="ls")
                pen += glyph_font.getlength(ch)
            return
        fonts = [self._glyph_font(ch, size * OVERSAMPLE, row.bold) for ch in word]
        advances = [font.getlength(ch) for font, ch in zip(fonts, word, strict=True)]
        mask = Image.new("L", (max(1, math.ceil(sum(advances))), height * OVERSAMPLE), 0)
        pen_draw, pen = ImageDraw.Draw(mask), 0.0
        for glyph_font, ch, advance in zip(fonts, word, advances, strict=True):
            pen_draw.text((pen, baseline * OVERSAMPLE), ch, font=glyph_font, fill=255, anchor="ls")
            pen += advance
        mask = mask.resize((max(1, math.floor(cells)), height), Image.Resampling.BOX)
        if draw.im.mode == "1":  # the printer's dots: a dot wherever the scaled-down word is 40 % dark
            mask = mask.point(lambda v: 255 if v >= 100 else 0).convert("1")
        draw.bitmap((round(x), top), mask, fill=ink)

    @staticmethod
    def _glyph_font(ch: str, size: int, bold: bool) -> ImageFont.FreeTypeFont:
        return _georgian_font(size, bold) if is_georgian(ch) else _font(size, bold)

    def word_bitmap(self, row: Row, word: str, dots: int, width: int = 0) -> Image.Image:
        """``word`` alone in ``dots`` (narrowed as a whole if it does not fit), on a picture
        24 dots high and ``width`` wide (its character cells on the printer; default ``dots``),
        for a column bit image within a line."""
        image = Image.new("1", (max(width, dots), 24), 1)
        draw = ImageDraw.Draw(image)
        draw.fontmode = "1"
        top = max(0, (24 - self.height(row)) // 2)
        self._draw_georgian(draw, replace(row, double=False), word, 0, top, dots, 0)
        return image

    def bitmap(self, row: Row) -> Image.Image:
        """One row as a black-on-white 1-bit image, ``dot_width`` wide, for the printer."""
        image = Image.new("1", (self.dot_width, self.height(row)), 1)
        draw = ImageDraw.Draw(image)
        draw.fontmode = "1"  # no anti-aliasing: crisp dots on thermal paper
        self.draw(draw, row, 0, 0, 0)
        return image


def render_document_image(document: ReceiptDocument, dot_width: int = DEFAULT_DOT_WIDTH, *, scale: int = 1) -> Image.Image:
    """The laid-out receipt on a strip of paper lying on a grey table."""
    painter = RowPainter(document.width, dot_width * scale)
    margin, border = 18 * scale, 14 * scale
    paper_height = sum(painter.height(row) for row in document.rows) + 2 * margin
    size = (painter.dot_width + 2 * (margin + border), paper_height + 2 * border)
    image = Image.new("RGB", size, TABLE)
    draw = ImageDraw.Draw(image)
    paper = (border, border, border + painter.dot_width + 2 * margin - 1, border + paper_height - 1)
    draw.rectangle(paper, fill=PAPER)
    _torn_edge(draw, paper, 6 * scale)
    top = border + margin
    for row in document.rows:
        painter.draw(draw, row, border + margin, top, INK)
        top += painter.height(row)
    return image


def _torn_edge(draw: ImageDraw.ImageDraw, paper: tuple[int, int, int, int], tooth: int) -> None:
    """Saw teeth along the bottom edge, where the printer's cutter went."""
    left, _, right, bottom = paper
    for x in range(left, right + 1, 2 * tooth):
        draw.polygon([(x, bottom + 1), (x + tooth, bottom - tooth + 1), (x + 2 * tooth, bottom + 1)], fill=TABLE)


def render_receipt_image(
    receipt: Receipt, width: int = 42, *, dot_width: int = DEFAULT_DOT_WIDTH, scale: int = 1
) -> Image.Image:
    return render_document_image(layout_receipt(receipt, width), dot_width, scale=scale)


def render_receipt_png(
    receipt: Receipt, path: str | Path, width: int = 42, *, dot_width: int = DEFAULT_DOT_WIDTH, scale: int = 1
) -> Path:
    path = Path(path)
    render_receipt_image(receipt, width, dot_width=dot_width, scale=scale).save(path, "PNG", optimize=True)
    return path
