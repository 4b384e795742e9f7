"""Sample receipts built the real way: a Till over the in-memory fakes, then build_receipt."""

from __future__ import annotations

from dataclasses import replace

from pos.receipt import Receipt, StoreInfo, build_receipt
from tests.fakes import DEMO_PRODUCTS, STORE, VAT_B, MemoryCatalog, make_till, product

KHACHAPURI = product("1004", "ხაჭაპური იმერული ყველით", "95.00")
HALVA = product("1005", "Şəki halvası qozlu 500 q", "45.40", VAT_B)
WORLD_PRODUCTS = DEMO_PRODUCTS + (KHACHAPURI, HALVA)

UKRAINIAN_STORE = replace(STORE, footer="Дякуємо за покупку! Зберігайте чек.")


def sample_receipt(
    scans: tuple[str, ...] = ("1001", "2*1002", "1003", "0.350*20001", "1004", "1005"),
    *,
    store: StoreInfo = UKRAINIAN_STORE,
    tendered: str = "1000",
    rounding: str = "0.10",
    is_copy: bool = False,
) -> Receipt:
    till = make_till(rounding=rounding, catalog=MemoryCatalog(WORLD_PRODUCTS))
    till.sign_in("1", "1234")
    for code in scans:
        till.scan(code)
    sale = till.pay_cash(tendered).sale
    assert sale is not None
    return build_receipt(sale, store, is_copy=is_copy)


def said(label: str, store: StoreInfo = UKRAINIAN_STORE, **fields: object) -> str:
    """A receipt label as the store's language prints it."""
    from pos.i18n import translator

    text = translator(store.locale).gettext(label)
    return text.format(**fields) if fields else text
