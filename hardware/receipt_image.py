"""Receipt rows drawn with Pillow: whole receipts as a picture of thermal paper (previews,
the README screenshot), and single rows as 1-bit bitmaps for the printer when a row holds
characters no printer code page has (Georgian, Azerbaijani ə, ₴).

The font is DejaVu Sans Mono, sized so that ``width`` characters fill ``dot_width`` dots,
like the printer's own font A (12 x 24 dots, 42 characters on 80 mm paper at 512 dots).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from hardware.printer_text import printer_safe
from pos.receipt import Receipt
from pos.receipt_layout import ReceiptDocument, Row, layout_receipt

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR_FONT = FONT_DIR / "DejaVuSansMono.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSansMono-Bold.ttf"
DEFAULT_DOT_WIDTH = 512
MONO_ADVANCE = 1233 / 2048  # DejaVu Sans Mono: every glyph is 0.602 em wide

PAPER = (255, 255, 255)
INK = (24, 24, 28)
TABLE = (206, 210, 216)


@lru_cache(maxsize=32)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD_FONT if bold else REGULAR_FONT), size)


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

    def height(self, row: Row) -> int:
        if row.kind == "blank":
            return self.line_height // 2
        return self.line_height * (2 if row.double else 1)

    def draw(self, draw: ImageDraw.ImageDraw, row: Row, left: int, top: int, ink: int | tuple[int, ...]) -> None:
        height = self.height(row)
        if row.kind == "blank":
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
        draw.text((max(left, x), baseline), text, font=font, fill=ink, anchor="ls")

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
