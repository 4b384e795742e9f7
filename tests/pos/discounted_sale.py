"""Sales with promotions' discounts on their lines, built the way the till records them
(``pos.sale.sale_from_basket`` over a priced basket) but with the discounts written by hand,
so receipt and return tests do not depend on the engine's choices."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

from pos.basket import Basket
from pos.catalog import Product
from pos.money import Money
from pos.pricing.priced import LineDiscount, PricedBasket, PricedLine
from pos.sale import Cashier, Sale, sale_from_basket
from pos.tender import CashPolicy, pay_cash
from tests.fakes import APPLES, CREAM, SHAMPOO, STORE, VITAMINS

# (product, quantity, ((promotion id, name, amount), ...)) per line
Wanted = tuple[Product, str, tuple[tuple[str, str, str], ...]]

THREE_FOR_TWO = ("P-3FOR2", "Шампуні 3 за 2", "89.90")
SEVERAL: tuple[Wanted, ...] = (
    (SHAMPOO, "3", (THREE_FOR_TWO,)),  # 269.70 - 89.90 = 179.80
    (CREAM, "2", (("P-CREAM-10", "Креми -10 %", "10.90"), ("P-VIP", "VIP -5 %", "4.91"))),  # 109.00 -> 93.19
    (VITAMINS, "1", ()),  # 120.00
    (APPLES, "0.350", (("P-FRUIT", "Fruit -1.00/kg", "0.35"),)),  # 11.55 - 0.35 = 11.20
)


def discounted_sale(wanted: tuple[Wanted, ...] = SEVERAL, *, tendered: str | None = None,
                    rounding: str = "0.01", receipt_number: int = 42) -> Sale:
    """A paid cash sale of ``wanted``, each line with the discounts given."""
    basket = Basket("UAH", datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    priced = []
    for product, quantity, discounts in wanted:
        line = basket.add(product, Decimal(quantity))
        priced.append(PricedLine(line, tuple(LineDiscount(pid, name, Money.of(amount, "UAH"))
                                             for pid, name, amount in discounts)))
    priced_basket = PricedBasket("UAH", tuple(priced))
    cash = CashPolicy(Decimal(rounding))
    due = cash.due(priced_basket.total)
    payment = pay_cash(due, Money.of(tendered, "UAH") if tendered else due, cash)
    sale = sale_from_basket(basket, store_id=STORE.store_id, till_id=STORE.till_id, cashier=Cashier("1", "Олена"),
                            payment=payment, completed_at=datetime(2026, 12, 2, 9, 5, tzinfo=timezone.utc),
                            priced=priced_basket)
    return replace(sale, receipt_number=receipt_number)
