"""How many bytes a receipt is on the wire to the printer, per language.

    python -m benchmarks.receipt_bytes_bench

For the receipts of tests/hardware/world_receipts.py (en, uk, az, ka; 42 characters on
80 mm paper, 512 dots, and 32 characters on 58 mm paper, 384 dots) prints the ESC/POS
bytes, how many rows went as raster images (rows holding a character no code page of the
printer has: Georgian, Azerbaijani ə) and the bytes those images take.  Text rows cost a
byte a character; a raster row costs up to dot_width / 8 x 24 bytes (double rows 48), and
is sent cut short after its last dot: the last column shows what the same images would
take at full width.

Measured 2026-12-02 (issue 10), ka receipt, bytes on the wire:
    80 mm: 34,308 (20 raster rows, DejaVu Sans Mono, full width, VAT row wrapped)
        -> 27,660 (20 raster rows, Noto Sans Georgian letters, VAT table, rows cut short)
    58 mm: 30,276 (24 raster rows) -> 21,673 (21 raster rows)
At 9,600 baud (a serial printer) 27,660 bytes take about 29 s; over USB or Ethernet, well
under a second.
"""

from __future__ import annotations

from hardware.escpos_printer import EscposReceiptPrinter
from tests.hardware.escpos_scanner import scan
from tests.hardware.world_receipts import LANGUAGES, world_receipt


def measure(language: str, width: int, dot_width: int) -> tuple[int, int, int, int]:
    """Bytes of the receipt, raster rows, bytes of those rows, and their bytes at full width."""
    printer = EscposReceiptPrinter("dummy", width=width, dot_width=dot_width)
    data = printer.receipt_bytes(world_receipt(language))
    commands, _ = scan(data)
    images = [c for c in commands if c.name == "raster image"]
    heights = [c.args[2] + 256 * c.args[3] for c in images]
    sent = sum(8 + (c.args[0] + 256 * c.args[1]) * h for c, h in zip(images, heights, strict=True))
    full = sum(8 + dot_width // 8 * h for h in heights)
    return len(data), len(images), sent, full


def main() -> None:
    print(f"{'receipt':<9}{'paper':>8}{'bytes':>9}{'raster rows':>13}{'raster bytes':>14}{'full width':>12}")
    for language in LANGUAGES:
        for width, dots in ((42, 512), (32, 384)):
            total, rows, sent, full = measure(language, width, dots)
            print(f"{language:<9}{f'{width}/{dots}':>8}{total:>9,}{rows:>13}{sent:>14,}{full:>12,}")


if __name__ == "__main__":
    main()
