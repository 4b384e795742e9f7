"""Builders for the store's day tests: staff, baskets and sales paid through a Settlement."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pos.basket import Basket
from pos.catalog import Product
from pos.money import Money
from pos.sale import Cashier, Sale
from pos.store_day.paid_sale import sale_paid_with
from pos.store_day.roles import Role, StaffMember
from pos.store_day.tenders import CardApproval, Settlement
from pos.tender import CashPolicy
from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS

EXAMPLES = 2000 if os.environ.get("KASSA_SOAK") else 60
STORE, TILL, OTHER_TILL = "S1", "T1", "T2"
CASHIER = StaffMember(Cashier("c1", "Olena"), Role.CASHIER)
SENIOR = StaffMember(Cashier("s1", "Taras"), Role.SENIOR_CASHIER)
MANAGER = StaffMember(Cashier("m1", "Iryna"), Role.MANAGER)
MANAGER_2 = StaffMember(Cashier("m2", "Leyla"), Role.MANAGER)
PRODUCTS: tuple[Product, ...] = (SHAMPOO, CREAM, VITAMINS, APPLES)
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CARD_OK = CardApproval("A1B2C3", "**** **** **** 4242")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def basket_of(items: list[tuple[Product, Decimal]], voided: int = 0) -> Basket:
    basket = Basket(currency="UAH", opened_at=T0)
    for product, quantity in items:
        basket.add(product, quantity)
    for line in basket.lines[:voided]:
        basket.void_line(line.line_id)
    return basket


def paid_sale(basket: Basket, *, card: str | None = None, cash: CashPolicy | None = None, till: str = TILL,
              number: int = 1, store: str = STORE) -> Sale:
    """Pay ``card`` by card (if given) and the rest in exact cash."""
    settlement = Settlement(basket.total(), cash or CashPolicy())
    if card is not None:
        settlement.add_card(money(card), CARD_OK)
    if not settlement.is_settled():
        settlement.add_cash(settlement.cash_due())
    sale = sale_paid_with(basket, settlement.settle(), store_id=store, till_id=till, cashier=CASHIER.cashier,
                          completed_at=T0)
    return replace(sale, receipt_number=number)


def money(text: str) -> Money:
    return Money.of(text, "UAH")
