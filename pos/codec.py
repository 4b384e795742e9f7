"""Plain-dict forms of sales and baskets (JSON-ready: Decimals and UUIDs as strings).

``sale_to_dict`` is the body of the outbox message for a sale: ``kassa.sale.v1``, or
``kassa.sale.v2`` when card approvals go with it (``cards``: payment_id -> CardApproval;
each payment of a v2 sale carries ``card``, the approval of that payment or null).  A v2
sale is a v1 sale plus those ``card`` fields, so a hub that reads v2 reads v1 alike; a sale
without card approvals stays v1, which every hub reads.  ``sale_from_dict`` reads both,
``sale_cards_from_dict`` a v2 sale's approvals.  ``kassa.sale.v3`` is v2 (every payment
carries ``card``) whose lines carry ``discounts``: the promotions' parts of each line
(``promotion_id``, ``name``, ``amount``), the line's ``total`` being its net, plus the sale's
``customer_id``, ``promo_codes``, ``points_earned`` and ``points_redeemed``; a sale with none
of these stays v1 or v2.  ``kassa.sale.v4`` is v3 plus ``gift_cards_sold`` (``line_id``,
``card_number``, ``phone``) and ``gift_card_payments`` (``payment_id``, ``card_number``,
``redemption_id`` or null, ``approved_by``); only a sale with gift cards is v4.  ``basket_to_dict`` is what the open-basket
store keeps between crashes.  All round-trip exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pos.basket import Basket, BasketLine, BasketState
from pos.catalog import Product, VatRate
from pos.gift_cards.records import GiftCardPayment, GiftCardSold
from pos.money import Money
from pos.pricing.priced import LineDiscount
from pos.pricing.promotion import CustomerFacts
from pos.sale import Cashier, Sale, SaleLine
from pos.store_day.tenders import CardApproval
from pos.tax import TaxLine
from pos.tender import Payment

SALE_SCHEMA = "kassa.sale.v1"
SALE_SCHEMA_V2 = "kassa.sale.v2"  # kassa.sale.v1 with the card approval of each payment
SALE_SCHEMA_V3 = "kassa.sale.v3"  # kassa.sale.v2 with the promotions' discounts on each line
SALE_SCHEMA_V4 = "kassa.sale.v4"  # kassa.sale.v3 with the gift cards sold and paid with
SALE_SCHEMAS = (SALE_SCHEMA, SALE_SCHEMA_V2, SALE_SCHEMA_V3, SALE_SCHEMA_V4)
BASKET_SCHEMA = "kassa.basket.v1"


def _vat(v: VatRate) -> dict[str, str]:
    return {"code": v.code, "percent": str(v.percent)}


def _vat_from(d: dict[str, str]) -> VatRate:
    return VatRate(d["code"], Decimal(d["percent"]))


def product_to_dict(p: Product) -> dict[str, Any]:
    return {
        "code": p.code, "name": p.name, "brand": p.brand, "category": p.category,
        "price": str(p.price.amount), "currency": p.price.currency, "vat": _vat(p.vat),
        "barcode": p.barcode, "sold_by_weight": p.sold_by_weight,
    }


def product_from_dict(d: dict[str, Any]) -> Product:
    return Product(
        code=d["code"], name=d["name"], brand=d["brand"], category=d["category"],
        price=Money(Decimal(d["price"]), d["currency"]), vat=_vat_from(d["vat"]),
        barcode=d["barcode"], sold_by_weight=bool(d["sold_by_weight"]),
    )


def basket_to_dict(basket: Basket, cashier: Cashier | None) -> dict[str, Any]:
    return {
        "schema": BASKET_SCHEMA,
        "basket_id": str(basket.basket_id),
        "currency": basket.currency,
        "opened_at": basket.opened_at.isoformat(),
        "state": basket.state.value,
        "cashier": None if cashier is None else {"id": cashier.cashier_id, "name": cashier.name},
        "lines": [
            {
                "line_id": str(l.line_id), "product": product_to_dict(l.product),
                "quantity": str(l.quantity), "scanned_code": l.scanned_code, "voided": l.voided,
                **({"price_overridden": True} if l.price_overridden else {}),
            }
            for l in basket.lines
        ],
    }


@dataclass(frozen=True, slots=True)
class SalePricing:
    """What the open sale holds beside its lines for pricing: the identified customer, their
    personal offers, the promo codes and the promotions those unlock.  Kept in the open basket's
    snapshot under ``pricing`` (and in a parked sale's), so a restart or a recall keeps them."""

    customer: CustomerFacts | None = None
    personal_offers: frozenset[str] = frozenset()
    promo_codes: tuple[str, ...] = ()
    unlocked: frozenset[str] = frozenset()
    customer_name: str = ""  # what the screen calls the customer ("Olena K.")
    gift_cards_sold: tuple[GiftCardSold, ...] = ()  # the open sale's gift card lines' cards

    @property
    def empty(self) -> bool:
        return self == SalePricing()


def sale_pricing_to_dict(pricing: SalePricing) -> dict[str, Any]:
    c = pricing.customer
    return {
        "customer": None if c is None else {
            "customer_id": c.customer_id, "tier": c.tier, "segment": c.segment, "group": c.group,
            "birthday": None if c.birthday is None else c.birthday.isoformat()},
        "personal_offers": sorted(pricing.personal_offers),
        "promo_codes": list(pricing.promo_codes),
        "unlocked": sorted(pricing.unlocked),
        "customer_name": pricing.customer_name,
        "gift_cards_sold": [gift_card_sold_to_dict(g) for g in pricing.gift_cards_sold],
    }


def gift_card_sold_to_dict(g: GiftCardSold) -> dict[str, str]:
    return {"line_id": str(g.line_id), "card_number": g.card_number, "phone": g.phone}


def gift_card_sold_from_dict(d: dict[str, Any]) -> GiftCardSold:
    return GiftCardSold(uuid.UUID(d["line_id"]), str(d["card_number"]), str(d["phone"]))


def gift_card_payment_to_dict(g: GiftCardPayment) -> dict[str, Any]:
    return {"payment_id": str(g.payment_id), "card_number": g.card_number,
            "redemption_id": None if g.redemption_id is None else str(g.redemption_id),
            "approved_by": g.approved_by}


def gift_card_payment_from_dict(d: dict[str, Any]) -> GiftCardPayment:
    return GiftCardPayment(uuid.UUID(d["payment_id"]), str(d["card_number"]),
                           None if d["redemption_id"] is None else uuid.UUID(d["redemption_id"]),
                           str(d["approved_by"]))


def sale_pricing_from_dict(d: dict[str, Any]) -> SalePricing:
    c = d.get("customer")
    customer = None if c is None else CustomerFacts(
        customer_id=str(c["customer_id"]), tier=str(c["tier"]), segment=str(c["segment"]), group=str(c["group"]),
        birthday=None if c["birthday"] is None else date.fromisoformat(c["birthday"]))
    return SalePricing(customer, frozenset(map(str, d["personal_offers"])), tuple(map(str, d["promo_codes"])),
                       frozenset(map(str, d["unlocked"])), str(d.get("customer_name", "")),
                       tuple(gift_card_sold_from_dict(g) for g in d.get("gift_cards_sold", ())))


def basket_from_dict(d: dict[str, Any]) -> Basket:
    if d.get("schema") != BASKET_SCHEMA:
        raise ValueError(f"not a basket snapshot: {d.get('schema')!r}")
    state = BasketState(d["state"])
    return Basket(
        currency=d["currency"],
        opened_at=datetime.fromisoformat(d["opened_at"]),
        basket_id=uuid.UUID(d["basket_id"]),
        lines=[
            BasketLine(
                line_id=uuid.UUID(l["line_id"]), product=product_from_dict(l["product"]),
                quantity=Decimal(l["quantity"]), scanned_code=l["scanned_code"], voided=l["voided"],
                price_overridden=bool(l.get("price_overridden", False)),
            )
            for l in d["lines"]
        ],
        # a basket caught mid-payment reopens for scanning: the payment never completed
        state=BasketState.OPEN if state is BasketState.PAYING else state,
    )


def _m(m: Money) -> str:
    return str(m.amount)


def card_to_dict(card: CardApproval) -> dict[str, str]:
    return {"approval_code": card.approval_code, "masked_reference": card.masked_reference,
            "terminal_reference": card.terminal_reference}


def card_from_dict(d: dict[str, Any]) -> CardApproval:
    """The approval in a payment's ``card`` (its own checks refuse anything like a card number)."""
    return CardApproval(d["approval_code"], d["masked_reference"], d["terminal_reference"])


def sale_to_dict(sale: Sale, cards: Mapping[uuid.UUID, CardApproval] | None = None) -> dict[str, Any]:
    """The sale's message: v1, or v2 when ``cards`` holds approvals (of this sale's payments only)."""
    cur = sale.currency
    assert all(x.currency == cur for x in (sale.total, sale.rounding))
    cards = dict(cards or {})
    strangers = set(cards) - {p.payment_id for p in sale.payments}
    if strangers:
        raise ValueError(f"card approvals of payments the sale does not have: {sorted(map(str, strangers))}")
    discounted = (any(l.discounts for l in sale.lines) or bool(sale.customer_id) or bool(sale.promo_codes)
                  or bool(sale.points_earned) or bool(sale.points_redeemed))
    gifts = bool(sale.gift_cards_sold or sale.gift_card_payments)
    discounted = discounted or gifts
    gift_strangers = ({g.payment_id for g in sale.gift_card_payments} - {p.payment_id for p in sale.payments}
                      | {g.line_id for g in sale.gift_cards_sold} - {l.line_id for l in sale.lines})
    if gift_strangers:
        raise ValueError(f"gift cards of payments or lines the sale does not have: {sorted(map(str, gift_strangers))}")
    form: dict[str, Any] = {
        "schema": (SALE_SCHEMA_V4 if gifts else SALE_SCHEMA_V3 if discounted
                   else SALE_SCHEMA_V2 if cards else SALE_SCHEMA),
        "sale_id": str(sale.sale_id),
        "store_id": sale.store_id,
        "till_id": sale.till_id,
        "receipt_number": sale.receipt_number,
        "cashier": {"id": sale.cashier.cashier_id, "name": sale.cashier.name},
        "opened_at": sale.opened_at.isoformat(),
        "completed_at": sale.completed_at.isoformat(),
        "currency": cur,
        "total": _m(sale.total),
        "rounding": _m(sale.rounding),
        "lines": [
            {
                "line_id": str(l.line_id), "product_code": l.product_code, "barcode": l.barcode,
                "name": l.name, "quantity": str(l.quantity), "unit_price": _m(l.unit_price),
                "total": _m(l.total), "vat": _vat(l.vat), "sold_by_weight": l.sold_by_weight,
                "voided": l.voided,
            }
            for l in sale.lines
        ],
        "taxes": [
            {"vat": _vat(t.vat), "gross": _m(t.gross), "net": _m(t.net), "tax": _m(t.tax)}
            for t in sale.taxes
        ],
        "payments": [
            {
                "payment_id": str(p.payment_id), "method": p.method, "amount": _m(p.amount),
                "tendered": _m(p.tendered), "change": _m(p.change),
            }
            for p in sale.payments
        ],
    }
    if discounted:
        form["customer_id"] = sale.customer_id
        form["promo_codes"] = list(sale.promo_codes)
        form["points_earned"] = sale.points_earned
        form["points_redeemed"] = sale.points_redeemed
        for line, written in zip(sale.lines, form["lines"], strict=True):
            written["discounts"] = [
                {"promotion_id": d.promotion_id, "name": d.name, "amount": _m(d.amount)} for d in line.discounts]
    if gifts:
        form["gift_cards_sold"] = [gift_card_sold_to_dict(g) for g in sale.gift_cards_sold]
        form["gift_card_payments"] = [gift_card_payment_to_dict(g) for g in sale.gift_card_payments]
    if cards or discounted:
        for payment, written in zip(sale.payments, form["payments"], strict=True):
            card = cards.get(payment.payment_id)
            written["card"] = None if card is None else card_to_dict(card)
    return form


def sale_cards_from_dict(d: dict[str, Any]) -> dict[uuid.UUID, CardApproval]:
    """The card approvals of a sale's message by payment id (none in a v1 message; v2 and v3 alike)."""
    if d.get("schema") not in SALE_SCHEMAS:
        raise ValueError(f"not a sale message: {d.get('schema')!r}")
    if d["schema"] == SALE_SCHEMA:
        return {}
    return {uuid.UUID(p["payment_id"]): card_from_dict(p["card"]) for p in d["payments"] if p["card"] is not None}


def sale_from_dict(d: dict[str, Any]) -> Sale:
    """The Sale of a v1, v2, v3 or v4 message (a v2 or v3 message's approvals: ``sale_cards_from_dict``)."""
    if d.get("schema") not in SALE_SCHEMAS:
        raise ValueError(f"not a sale message: {d.get('schema')!r}")
    cur = d["currency"]

    def m(text: str) -> Money:
        return Money(Decimal(text), cur)

    v3 = d["schema"] in (SALE_SCHEMA_V3, SALE_SCHEMA_V4)
    v4 = d["schema"] == SALE_SCHEMA_V4
    return Sale(
        gift_cards_sold=tuple(gift_card_sold_from_dict(g) for g in d["gift_cards_sold"]) if v4 else (),
        gift_card_payments=tuple(gift_card_payment_from_dict(g) for g in d["gift_card_payments"]) if v4 else (),
        customer_id=str(d.get("customer_id", "")) if v3 else "",
        promo_codes=tuple(str(c) for c in d.get("promo_codes", ())) if v3 else (),
        points_earned=int(d.get("points_earned", 0)) if v3 else 0,
        points_redeemed=int(d.get("points_redeemed", 0)) if v3 else 0,
        sale_id=uuid.UUID(d["sale_id"]),
        store_id=d["store_id"],
        till_id=d["till_id"],
        receipt_number=int(d["receipt_number"]),
        cashier=Cashier(d["cashier"]["id"], d["cashier"]["name"]),
        opened_at=datetime.fromisoformat(d["opened_at"]),
        completed_at=datetime.fromisoformat(d["completed_at"]),
        currency=cur,
        lines=tuple(
            SaleLine(
                line_id=uuid.UUID(l["line_id"]), product_code=l["product_code"], barcode=l["barcode"],
                name=l["name"], quantity=Decimal(l["quantity"]), unit_price=m(l["unit_price"]),
                total=m(l["total"]), vat=_vat_from(l["vat"]), sold_by_weight=l["sold_by_weight"],
                voided=l["voided"],
                discounts=tuple(LineDiscount(x["promotion_id"], x["name"], m(x["amount"]))
                                for x in l.get("discounts", ())) if v3 else (),
            )
            for l in d["lines"]
        ),
        taxes=tuple(
            TaxLine(vat=_vat_from(t["vat"]), gross=m(t["gross"]), net=m(t["net"]), tax=m(t["tax"]))
            for t in d["taxes"]
        ),
        total=m(d["total"]),
        rounding=m(d["rounding"]),
        payments=tuple(
            Payment(
                payment_id=uuid.UUID(p["payment_id"]), method=p["method"], amount=m(p["amount"]),
                tendered=m(p["tendered"]), change=m(p["change"]),
            )
            for p in d["payments"]
        ),
    )
