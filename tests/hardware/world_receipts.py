"""One receipt per language of the chain (en, uk, az, ka), as a shop there would print it:
the store's own name, address and products in its language and currency.

Built straight from ``pos`` data (no till), so the byte benchmark and the docs screenshots
use the same receipts as the tests:

    python -m tests.hardware.world_receipts docs/screenshots/receipts

writes ``receipt-<lang>.png`` (the paper preview, 80 mm) and ``receipt-<lang>-58mm.png`` for
each language, and ``receipt-<lang>[-58mm]-printer-1bit.png``: the receipt as the printer
prints it, decoded from the ESC/POS bytes the printer receives (text rows drawn in the
printer's font stand-in, raster rows exactly as sent).
"""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from pos.catalog import VatRate
from pos.money import Money
from pos.receipt import Receipt, ReceiptLine, ReceiptPayment, StoreInfo
from pos.receipt_code import receipt_code_text
from pos.tax import tax_breakdown

A, B, E = VatRate("A", Decimal("18")), VatRate("B", Decimal("7")), VatRate("E", Decimal("0"))
A20 = VatRate("A", Decimal("20"))  # Ukraine's standard rate; Azerbaijan and Georgia have 18 %

# (locale, currency, timezone, store name, address, tax id, cashier, footer, products)
# products: (name, quantity, unit price, VAT rate, sold by weight)
SHOPS: dict[str, tuple[str, str, str, str, str, str, str, str, tuple[tuple[str, str, str, VatRate, bool], ...]]] = {
    "en": ("en_US", "USD", "Europe/Kyiv", "Corner Shop", "1 Market Street", "12345678", "Olena",
           "Thank you for shopping with us!",
           (("Herbal shampoo 250 ml", "1", "8.99", A20, False), ("Hand cream 75 ml", "2", "5.45", A20, False),
            ("Golden apples", "0.350", "3.29", E, True), ("Vitamin C 500", "1", "12.00", B, False))),
    "uk": ("uk_UA", "UAH", "Europe/Kyiv", "Крамниця біля дому", "вул. Хрещатик 1, Київ", "12345678", "Олена",
           "Дякуємо за покупку! Зберігайте чек.",
           (("Шампунь Herbal 250 мл", "1", "89.90", A20, False), ("Крем для рук 75 мл", "2", "54.50", A20, False),
            ("Яблука Голден", "0.350", "32.99", E, True), ("Вітаміни C 500", "1", "1120.00", B, False))),
    "az": ("az_AZ", "AZN", "Asia/Baku", "Məhəllə Marketi", "Nizami küç. 12, Bakı", "1234567891", "Günel",
           "Alış-verişə görə təşəkkür edirik!",
           (("Şəki halvası qozlu 500 q", "1", "4.54", B, False), ("Çay Azərçay 100 q", "2", "2.35", A, False),
            ("Quba alması", "0.350", "2.20", E, True), ("Ağ pendir", "1", "11.90", A, False))),
    "ka": ("ka_GE", "GEL", "Asia/Tbilisi", "სუპერმარკეტი თბილისი", "რუსთაველის გამზ. 12, თბილისი", "404123456",
           "ლელა", "გმადლობთ! შეინახეთ ჩეკი.",
           (("ხაჭაპური იმერული ყველით", "1", "9.50", A, False), ("ლობიანი", "2", "4.20", A, False),
            ("მოლარის ლიმონათი ლაღიძის 0,5 ლ", "1", "2.80", B, False), ("ვაშლი", "0.350", "3.29", E, True),
            ("ყურძნის წვენი", "1", "1234.50", A, False))),
}
LANGUAGES = tuple(SHOPS)


Product = tuple[str, str, str, VatRate, bool]


def world_receipt(language: str, *, is_copy: bool = False, products: tuple[Product, ...] = ()) -> Receipt:
    """The shop's receipt; ``products`` instead of its own, if given."""
    locale, currency, zone, name, address, tax_id, cashier, footer, own = SHOPS[language]
    products = products or own
    store = StoreInfo("S001", name, address, tax_id, "T01", currency, locale, zone, footer)
    lines, vats = [], []
    for item, quantity, price, vat, weighed in products:
        unit = Money.of(price, currency)
        total = Money.of((Decimal(quantity) * unit.amount).quantize(Decimal("0.01")), currency)
        lines.append(ReceiptLine(item, Decimal(quantity), unit, total, vat.code, weighed))
        vats.append((vat, total))
    total = Money.of(sum((line.total.amount for line in lines), Decimal(0)), currency)
    tendered = Money.of((total.amount // 10 + 1) * 10, currency)
    return Receipt(
        store=store,
        sale_id=uuid.UUID(int=0x6C682D02 << 96),
        receipt_number=1042,
        completed_at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        cashier_name=cashier,
        lines=tuple(lines),
        taxes=tax_breakdown(vats, currency),
        total=total,
        rounding=Money.zero(currency),
        due=total,
        payments=(ReceiptPayment("cash", tendered, tendered - total),),
        is_copy=is_copy,
        code=receipt_code_text(store.store_id, store.till_id, uuid.UUID(int=0x6C682D02 << 96)),
    )


PAPERS = {"": (42, 512), "-58mm": (32, 384)}  # file suffix: (characters, dots); 80 mm has no suffix


def write_screenshots(directory: Path) -> list[Path]:
    """For each language and both papers: the paper preview (``receipt-uk.png``,
    ``receipt-uk-58mm.png``) and the receipt as the printer prints it, decoded from the
    ESC/POS bytes it receives (``receipt-uk-printer-1bit.png``, ``receipt-uk-58mm-printer-1bit.png``)."""
    from hardware.escpos_printer import EscposReceiptPrinter
    from hardware.receipt_image import render_receipt_png
    from tests.hardware.escpos_paper import paper_image

    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for lang in LANGUAGES:
        for suffix, (width, dots) in PAPERS.items():
            receipt = world_receipt(lang)
            paths.append(render_receipt_png(receipt, directory / f"receipt-{lang}{suffix}.png", width, dot_width=dots))
            printer = EscposReceiptPrinter("dummy", width=width, paper=80 if dots == 512 else 58)
            path = directory / f"receipt-{lang}{suffix}-printer-1bit.png"
            paper_image(printer.receipt_bytes(receipt), width=width, dot_width=dots).save(path, "PNG", optimize=True)
            paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/receipts")):
        print(written)
