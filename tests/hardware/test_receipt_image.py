"""Receipt previews: the same layout drawn on a strip of thermal paper."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from hardware.receipt_image import RowPainter, render_receipt_image, render_receipt_png
from pos.receipt_layout import Row, layout_receipt
from tests.hardware.samples import sample_receipt


def test_the_receipt_png_shows_every_line(tmp_path: Path) -> None:
    receipt = sample_receipt(is_copy=True)
    path = render_receipt_png(receipt, tmp_path / "receipt.png")
    with Image.open(path) as image:
        width, height = image.size
        rows = layout_receipt(receipt).rows
        assert 512 < width < 700
        assert height > 20 * len(rows)  # one printed line is 24 dots high
        ink = image.convert("L").point(lambda v: 255 if v < 100 else 0)
        inked_lines = sum(1 for y in range(height) if ink.crop((0, y, width, y + 1)).getbbox())
        assert inked_lines > 10 * len(rows)


def test_a_longer_receipt_makes_a_longer_strip_and_scale_makes_it_sharper() -> None:
    short = render_receipt_image(sample_receipt(("1001",)))
    long = render_receipt_image(sample_receipt())
    assert long.height > short.height and long.width == short.width
    assert render_receipt_image(sample_receipt(("1001",)), scale=2).width == 2 * short.width


def test_a_printed_row_bitmap_fills_the_printer_width_and_stays_inside_it() -> None:
    painter = RowPainter(42, 512)
    for row in [Row("ხაჭაპური იმერული ყველით " * 3), Row("Şəki halvası", "right", True), Row("₴ 470,85", "center", True, True)]:
        text = row.text[: 42 // (2 if row.double else 1)]
        image = painter.bitmap(Row(text, row.align, row.bold, row.double))
        assert image.mode == "1" and image.width == 512
        box = Image.eval(image.convert("L"), lambda v: 255 - v).getbbox()
        assert box is not None and painter.font(row).getlength(text) <= 512
