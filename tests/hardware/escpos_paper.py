"""What a receipt printer would put on paper for a stream of ESC/POS bytes, as a 1-bit image.

Raster images (GS v 0) are pasted exactly as sent, dot for dot (mode 3: each dot 2 x 2);
text lines are decoded with the code page the stream selected (ESC t, read from the
python-escpos profile) and drawn in the printer font's stand-in (a row of
``hardware.receipt_image.RowPainter``), bold and double size as the stream set them; a bit
image within a line (ESC * 33) is pasted in the character cells it stands in, 12 dots each.  Only the commands the renderer sends are understood
(see ``tests.hardware.escpos_scanner``, which checks there are no others).
"""

from __future__ import annotations

import codecs

from PIL import Image

from hardware.receipt_image import RowPainter, qr_bitmap
from pos.receipt_layout import Row

ESC, GS, LF = 0x1B, 0x1D, 0x0A
ALIGN = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}


def _decoders(profile: str) -> dict[int, str]:
    from escpos.printer import Dummy

    pages = Dummy(profile=profile).profile.profile_data.get("codePages", {})
    found = {}
    for number, name in pages.items():
        try:
            found[int(number)] = codecs.lookup(name.lower().replace("_", "-")).name
        except LookupError:
            continue
    return found


def paper_image(data: bytes, *, width: int = 42, dot_width: int = 512, profile: str = "TM-T88V") -> Image.Image:
    painter = RowPainter(width, dot_width)
    pages = _decoders(profile)
    strips: list[Image.Image] = []
    line: list[str] = []
    pictures: list[tuple[int, Image.Image]] = []  # (first cell, dots) of the bit images in the line
    page, align, bold, double = 0, "left", False, False
    module, stored = 3, ""
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == LF:
            row = Row("".join(line), align, bold, double)  # type: ignore[arg-type]
            strips.append(_line(dot_width, painter, row, pictures))
            line, pictures = [], []
            i += 1
        elif byte == ESC and data[i + 1] == ord("*"):
            columns = data[i + 3] + 256 * data[i + 4]
            raw = data[i + 5 : i + 5 + 3 * columns]
            turned = Image.frombytes("1", (24, columns), bytes(b ^ 0xFF for b in raw))
            pictures.append((len(line), turned.transpose(Image.Transpose.TRANSPOSE)))
            line.extend(" " * max(1, columns // 12))
            i += 5 + 3 * columns
        elif byte == ESC:
            op, arg = data[i + 1], data[i + 2] if i + 2 < len(data) else 0
            if op == ord("@"):
                page, align, bold, double = 0, "left", False, False
                i += 2
                continue
            if op == ord("t"):
                page = arg
            elif op == ord("a"):
                align = ALIGN.get(arg, "left")
            elif op == ord("E"):
                bold = bool(arg)
            elif op == ord("!"):
                double, bold = arg & 0x30 == 0x30, bool(arg & 0x08)
            elif op == ord("d"):
                strips.append(Image.new("1", (dot_width, painter.line_height * arg), 1))
            i += 3
        elif byte == GS and data[i + 1] == ord("v"):
            mode = data[i + 3]
            width_bytes, height = data[i + 4] + 256 * data[i + 5], data[i + 6] + 256 * data[i + 7]
            size = width_bytes * height
            raster = Image.frombytes("1", (8 * width_bytes, height), data[i + 8 : i + 8 + size])
            raster = Image.eval(raster.convert("L"), lambda v: 255 - v).convert("1")  # 1 = ink in ESC/POS
            if mode in (3, 51):
                raster = raster.resize((2 * raster.width, 2 * raster.height), Image.Resampling.NEAREST)
            strip = Image.new("1", (dot_width, raster.height), 1)
            strip.paste(raster, (0, 0))
            strips.append(strip)
            i += 8 + size
        elif byte == GS and data[i + 1] == ord("("):  # GS ( k: a QR code the printer draws
            size, function = data[i + 3] + 256 * data[i + 4], data[i + 6]
            if function == 67:
                module = data[i + 7]
            elif function == 80:
                stored = data[i + 8 : i + 5 + size].decode("ascii")
            elif function == 81:
                code = qr_bitmap(stored, module)
                strip = Image.new("1", (dot_width, code.height), 1)
                strip.paste(code, ((dot_width - code.width) // 2 if align == "center" else 0, 0))
                strips.append(strip)
            i += 5 + size
        elif byte == GS:  # GS V: the cut, the end of the receipt
            break
        else:
            line.append(bytes([byte]).decode(pages.get(page, "cp437"), errors="replace") if byte >= 0x80 else chr(byte))
            i += 1
    paper = Image.new("1", (dot_width, sum(s.height for s in strips) or 1), 1)
    top = 0
    for strip in strips:
        paper.paste(strip, (0, top))
        top += strip.height
    return paper


def _line(dot_width: int, painter: RowPainter, row: Row, pictures: list[tuple[int, Image.Image]]) -> Image.Image:
    """A text line as the printer places it: every character in a cell of 12 dots (font A;
    24 at double size), the bit images in the cells they stand in, the line justified."""
    from PIL import ImageDraw

    strip = Image.new("1", (dot_width, painter.height(row)), 1)
    cell = 24 if row.double else 12
    used = len(row.text) * cell
    left = max(0, {"center": (dot_width - used) // 2, "right": dot_width - used}.get(row.align, 0))
    draw = ImageDraw.Draw(strip)
    draw.fontmode = "1"
    font = painter.font(row)
    baseline = round(painter.height(row) * 0.8)
    for column, ch in enumerate(row.text):
        if ch != " ":
            draw.text((left + column * cell + cell / 2, baseline), ch, font=font, fill=0, anchor="ms")
    for first, picture in pictures:
        strip.paste(picture, (left + first * cell, max(0, (strip.height - picture.height) // 2)))
    return strip
