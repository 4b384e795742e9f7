"""How many bytes a receipt is on the wire to the printer, per language, before and after
Georgian words became pictures within their text lines.

    python -m benchmarks.receipt_bytes_bench

For 25 receipts per language (tests/hardware/world_receipts.py: each shop's own products,
1 to 8 lines drawn from them with a fixed seed; en, uk, az, ka) on 80 mm paper (42
characters, 512 dots) and 58 mm paper (32 characters, 384 dots), prints the median bytes:

- "rows": every row holding a character no code page has (Georgian, Azerbaijani ə) sent
  as one raster image (GS v 0), double rows at full size: how Kassa printed until
  2026-12-02 and still does on a profile without column images (POS-5890...);
- "words": only those words sent as 24-dot pictures within the text line (ESC * 33), 12
  dots a cell; double rows drawn at normal size and printed 2 x 2 (GS v 0 mode 3);

and the seconds the median "words" receipt takes at 9,600 baud (a serial printer).

Measured 2026-12-02 (issue 13), median bytes of 25 receipts, rows -> words:
    ka 80 mm: 26,997 -> 10,238 (-62 %)      ka 58 mm: 21,749 -> 9,913 (-54 %)
    az 80 mm: 15,425 ->  4,618 (-70 %)      az 58 mm: 11,456 -> 4,044 (-65 %)
    en, uk: unchanged (all text), 770 to 1,050 bytes
At 9,600 baud the median Georgian receipt now takes about 11 s instead of 28 s; over USB
or Ethernet, well under a second either way.  (The one demo receipt of issue 10, 27,660
bytes on 80 mm, is 9,958 now.)
"""

from __future__ import annotations

import random
import statistics

from hardware.escpos_printer import EscposReceiptPrinter
from tests.hardware.world_receipts import LANGUAGES, SHOPS, world_receipt

RECEIPTS = 25
PAPERS = {"80 mm": (80, 42), "58 mm": (58, 32)}


def receipts(language: str) -> list:
    own = SHOPS[language][-1]
    pick = random.Random(f"kassa-{language}")
    return [world_receipt(language, products=tuple(pick.choice(own) for _ in range(pick.randint(1, 8))))
            for _ in range(RECEIPTS)]


def median_bytes(language: str, paper: int, width: int, *, words: bool) -> float:
    printer = EscposReceiptPrinter("dummy", paper=paper, width=width)
    printer.renderer.inline_pictures = words and printer.renderer.inline_pictures
    printer.renderer.quadruple = words
    return statistics.median(len(printer.receipt_bytes(receipt)) for receipt in receipts(language))


def main() -> None:
    print(f"{'receipt':<9}{'paper':>7}{'rows':>9}{'words':>9}{'change':>9}{'9600 baud':>11}")
    for language in LANGUAGES:
        for name, (paper, width) in PAPERS.items():
            before = median_bytes(language, paper, width, words=False)
            after = median_bytes(language, paper, width, words=True)
            change = f"{(after - before) / before:+.0%}" if before != after else "same"
            print(f"{language:<9}{name:>7}{before:>9,.0f}{after:>9,.0f}{change:>9}{after * 10 / 9600:>10.1f}s")


if __name__ == "__main__":
    main()
