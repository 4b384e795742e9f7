"""A sale as table rows and back: ``sales``, ``sale_lines``, ``sale_line_discounts``,
``sale_payments``, ``sale_taxes``, ``sale_gift_cards_sold``, ``sale_gift_card_payments``.

Amounts are INTEGER minor units of the sale's currency; quantities and VAT percentages are
the exact ``str`` of their Decimal; UUIDs are their canonical text; times are ISO 8601
(with their UTC offset when they have one).  ``read_sale(write_sale(s)) == s`` exactly.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from pos.catalog import VatRate
from pos.errors import StorageProblem
from pos.gift_cards.records import GiftCardPayment, GiftCardSold
from pos.money import Money
from pos.pricing.priced import LineDiscount
from pos.sale import Cashier, Sale, SaleLine
from pos.tax import TaxLine
from pos.tender import Payment

INSERT_SALE = (
    "INSERT INTO sales (sale_id, store_id, till_id, receipt_number, cashier_id, cashier_name, "
    "opened_at, completed_at, currency, total_minor, rounding_minor, recorded_at, "
    "customer_id, promo_codes, points_earned, points_redeemed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_DISCOUNT = (
    "INSERT INTO sale_line_discounts (sale_id, line_position, position, promotion_id, name, amount_minor) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_LINE = (
    "INSERT INTO sale_lines (sale_id, position, line_id, product_code, barcode, name, quantity, "
    "unit_price_minor, total_minor, vat_code, vat_percent, sold_by_weight, voided) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_PAYMENT = (
    "INSERT INTO sale_payments (sale_id, position, payment_id, method, amount_minor, tendered_minor, change_minor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
INSERT_GIFT_CARD_SOLD = (
    "INSERT INTO sale_gift_cards_sold (sale_id, position, line_id, card_number, phone) VALUES (?, ?, ?, ?, ?)"
)
INSERT_GIFT_CARD_PAYMENT = (
    "INSERT INTO sale_gift_card_payments (sale_id, position, payment_id, card_number, redemption_id, approved_by) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_TAX = (
    "INSERT INTO sale_taxes (sale_id, position, vat_code, vat_percent, gross_minor, net_minor, tax_minor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True, slots=True)
class SaleRows:
    """The rows of one sale, checked and converted before the write transaction starts."""

    sale: tuple[Any, ...]
    lines: list[tuple[Any, ...]]
    payments: list[tuple[Any, ...]]
    taxes: list[tuple[Any, ...]]
    discounts: list[tuple[Any, ...]] = field(default_factory=list)
    gift_cards_sold: list[tuple[Any, ...]] = field(default_factory=list)
    gift_card_payments: list[tuple[Any, ...]] = field(default_factory=list)


def _minor(money: Money, currency: str, what: str) -> int:
    if money.currency != currency:
        raise StorageProblem(reason=f"{what} is in {money.currency} but the sale is in {currency}")
    try:
        return money.minor_units()
    except ValueError:
        raise StorageProblem(reason=f"{what} ({money}) is not a whole number of minor units") from None


def sale_rows(sale: Sale, *, recorded_at: str) -> SaleRows:
    """Rows for ``sale``; the receipt number goes in when the journal assigns it."""
    cur = sale.currency
    sid = str(sale.sale_id)
    head = (
        sid, sale.store_id, sale.till_id, sale.receipt_number, sale.cashier.cashier_id, sale.cashier.name,
        sale.opened_at.isoformat(), sale.completed_at.isoformat(), cur,
        _minor(sale.total, cur, "the total"), _minor(sale.rounding, cur, "the rounding"), recorded_at,
        sale.customer_id, json.dumps(list(sale.promo_codes), ensure_ascii=False), sale.points_earned,
        sale.points_redeemed,
    )
    lines = [
        (
            sid, n, str(l.line_id), l.product_code, l.barcode, l.name, str(l.quantity),
            _minor(l.unit_price, cur, f"the price of {l.name}"), _minor(l.total, cur, f"the total of {l.name}"),
            l.vat.code, str(l.vat.percent), int(l.sold_by_weight), int(l.voided),
        )
        for n, l in enumerate(sale.lines)
    ]
    payments = [
        (
            sid, n, str(p.payment_id), p.method, _minor(p.amount, cur, "a payment"),
            _minor(p.tendered, cur, "the cash tendered"), _minor(p.change, cur, "the change"),
        )
        for n, p in enumerate(sale.payments)
    ]
    taxes = [
        (
            sid, n, t.vat.code, str(t.vat.percent), _minor(t.gross, cur, "a VAT gross"),
            _minor(t.net, cur, "a VAT net"), _minor(t.tax, cur, "a VAT amount"),
        )
        for n, t in enumerate(sale.taxes)
    ]
    discounts = [
        (sid, n, k, d.promotion_id, d.name, _minor(d.amount, cur, f"a discount on {l.name}"))
        for n, l in enumerate(sale.lines)
        for k, d in enumerate(l.discounts)
    ]
    gift_cards_sold = [(sid, n, str(g.line_id), g.card_number, g.phone) for n, g in enumerate(sale.gift_cards_sold)]
    gift_card_payments = [
        (sid, n, str(g.payment_id), g.card_number, None if g.redemption_id is None else str(g.redemption_id),
         g.approved_by)
        for n, g in enumerate(sale.gift_card_payments)
    ]
    return SaleRows(head, lines, payments, taxes, discounts, gift_cards_sold, gift_card_payments)


def write_sale(conn: Connection, rows: SaleRows, receipt_number: int) -> None:
    sale = rows.sale[:3] + (receipt_number,) + rows.sale[4:]
    conn.exec_driver_sql(INSERT_SALE, sale)
    if rows.lines:
        conn.exec_driver_sql(INSERT_LINE, rows.lines)
    if rows.discounts:
        conn.exec_driver_sql(INSERT_DISCOUNT, rows.discounts)
    if rows.payments:
        conn.exec_driver_sql(INSERT_PAYMENT, rows.payments)
    if rows.taxes:
        conn.exec_driver_sql(INSERT_TAX, rows.taxes)
    if rows.gift_cards_sold:
        conn.exec_driver_sql(INSERT_GIFT_CARD_SOLD, rows.gift_cards_sold)
    if rows.gift_card_payments:
        conn.exec_driver_sql(INSERT_GIFT_CARD_PAYMENT, rows.gift_card_payments)


def read_sale(conn: Connection, sale_id: uuid.UUID) -> Sale | None:
    """The sale rebuilt from its rows (call inside one read transaction)."""
    sid = str(sale_id)
    head = conn.exec_driver_sql(
        "SELECT store_id, till_id, receipt_number, cashier_id, cashier_name, opened_at, completed_at, "
        "currency, total_minor, rounding_minor, customer_id, promo_codes, points_earned, points_redeemed "
        "FROM sales WHERE sale_id = ?",
        (sid,),
    ).first()
    if head is None:
        return None
    (store_id, till_id, number, cashier_id, cashier_name, opened_at, completed_at, cur, total, rounding,
     customer_id, promo_codes, points_earned, points_redeemed) = head

    def money(minor: int) -> Money:
        return Money.from_minor(minor, cur)

    discounts: dict[int, list[LineDiscount]] = {}
    for line_position, promotion_id, name, amount in conn.exec_driver_sql(
        "SELECT line_position, promotion_id, name, amount_minor FROM sale_line_discounts WHERE sale_id = ? "
        "ORDER BY line_position, position",
        (sid,),
    ):
        discounts.setdefault(line_position, []).append(LineDiscount(promotion_id, name, money(amount)))

    lines = tuple(
        SaleLine(
            line_id=uuid.UUID(line_id), product_code=code, barcode=barcode, name=name,
            quantity=Decimal(quantity), unit_price=money(unit_price), total=money(line_total),
            vat=VatRate(vat_code, Decimal(vat_percent)), sold_by_weight=bool(by_weight), voided=bool(voided),
            discounts=tuple(discounts.get(position, ())),
        )
        for position, line_id, code, barcode, name, quantity, unit_price, line_total, vat_code, vat_percent, by_weight, voided
        in conn.exec_driver_sql(
            "SELECT position, line_id, product_code, barcode, name, quantity, unit_price_minor, total_minor, "
            "vat_code, vat_percent, sold_by_weight, voided FROM sale_lines WHERE sale_id = ? ORDER BY position",
            (sid,),
        )
    )
    payments = tuple(
        Payment(payment_id=uuid.UUID(pid), method=method, amount=money(amount), tendered=money(tendered), change=money(change))
        for pid, method, amount, tendered, change in conn.exec_driver_sql(
            "SELECT payment_id, method, amount_minor, tendered_minor, change_minor FROM sale_payments "
            "WHERE sale_id = ? ORDER BY position",
            (sid,),
        )
    )
    taxes = tuple(
        TaxLine(vat=VatRate(code, Decimal(percent)), gross=money(gross), net=money(net), tax=money(tax))
        for code, percent, gross, net, tax in conn.exec_driver_sql(
            "SELECT vat_code, vat_percent, gross_minor, net_minor, tax_minor FROM sale_taxes "
            "WHERE sale_id = ? ORDER BY position",
            (sid,),
        )
    )
    gift_cards_sold = tuple(
        GiftCardSold(uuid.UUID(line_id), card_number, phone)
        for line_id, card_number, phone in conn.exec_driver_sql(
            "SELECT line_id, card_number, phone FROM sale_gift_cards_sold WHERE sale_id = ? ORDER BY position", (sid,))
    )
    gift_card_payments = tuple(
        GiftCardPayment(uuid.UUID(payment_id), card_number, None if redemption_id is None else uuid.UUID(redemption_id),
                        approved_by)
        for payment_id, card_number, redemption_id, approved_by in conn.exec_driver_sql(
            "SELECT payment_id, card_number, redemption_id, approved_by FROM sale_gift_card_payments "
            "WHERE sale_id = ? ORDER BY position", (sid,))
    )
    return Sale(
        sale_id=sale_id, store_id=store_id, till_id=till_id, receipt_number=number,
        cashier=Cashier(cashier_id, cashier_name),
        opened_at=datetime.fromisoformat(opened_at), completed_at=datetime.fromisoformat(completed_at),
        currency=cur, lines=lines, taxes=taxes, total=money(total), rounding=money(rounding), payments=payments,
        customer_id=customer_id, promo_codes=tuple(json.loads(promo_codes)), points_earned=points_earned,
        points_redeemed=points_redeemed, gift_cards_sold=gift_cards_sold, gift_card_payments=gift_card_payments,
    )
