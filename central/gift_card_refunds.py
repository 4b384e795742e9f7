"""Refunds back onto gift cards (issue 11): goods paid by gift card and brought back put their
money back on the card they were paid with.

A return's refund to the sale's ``gift_card`` payment (``method`` "gift_card", its
``original_payment_id`` that payment: ``pos.store_day.returns.plan_refunds``) names no card;
the card is the one the sale's ``gift_card_payments`` (kassa.sale.v4, stored with the sale)
gives that payment.  The hub credits it:

- in the transaction that stores the return document (``credit_returns``, called by
  central/documents_intake.py for the returns it inserted), when the hub holds the sale;
- for a return that arrived BEFORE its sale, in the transaction that stores the sale
  (``record_sales``, a sale follower run after central/gift_card_followers.py, so the card's
  payment is taken before its refund is given back).

Exactly once: a credit is a row of ``gift_card_redemptions`` with status ``refunded`` and the
refund's own ``payment_id``, written under the card's row lock after looking for that row, so
the same return sent twice, or seen both by its own arrival and its sale's, credits once.

At most what the sale paid with the card: the credits of one sale to one card never add up to
more than its payments with that card (the rest is credited up to that and the excess listed).
A refund the hub cannot put on a card (a card it does not know, another currency, a payment
with no card, more than was paid) is listed with the conflicts (``kassa-hub gift-cards
--conflicts``, kinds ``refund_not_credited``, ``refund_over_paid``); the return is never refused
for it: the goods are back in the shop.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, func, select

from central.gift_card_tables import gift_card_conflicts, gift_card_redemptions, gift_cards
from central.gift_cards import locked_card, money_text
from central.stores import TillIdentity
from central.tables import documents, returned_lines, sales
from pos.gift_cards.records import GIFT_CARD
from pos.money import Money
from pos.sale import Sale

REFUNDED = "refunded"  # a gift_card_redemptions status: money given back to the card by a return
NOT_CREDITED, OVER_PAID = "refund_not_credited", "refund_over_paid"


@dataclass(frozen=True, slots=True)
class _Refund:
    return_id: str
    payment_id: str  # the refund's own payment id: the credit's key
    original_payment_id: str
    minor: int
    store_id: str
    till_id: str


@dataclass(frozen=True, slots=True)
class _SaleCards:
    sale_id: str
    currency: str
    receipt_number: int
    card_of: dict[str, str]  # gift card payment id -> card number
    paid: dict[str, int]  # card number -> what the sale paid with it, minor units


def record_sales(conn: Connection, stored: Sequence[Sale], till: TillIdentity, received: datetime) -> None:
    """A sale follower: the returns of these sales stored before them are credited now."""
    paid_by_card = [str(s.sale_id) for s in stored if s.gift_card_payments]
    if not paid_by_card:
        return
    waiting = conn.execute(select(returned_lines.c.return_id).distinct()
                           .where(returned_lines.c.sale_id.in_(paid_by_card))).scalars().all()
    credit_returns(conn, [str(r) for r in waiting], received)


def credit_returns(conn: Connection, return_ids: Iterable[str], received: datetime) -> int:
    """Credit the gift card refunds of these stored return documents whose sale the hub holds
    (the others wait for their sale); the number of credits made."""
    ids = sorted(set(return_ids))
    if not ids:
        return 0
    refunds: dict[str, list[_Refund]] = {}  # sale id -> its gift card refunds
    for row in conn.execute(select(documents.c.document_id, documents.c.store_id, documents.c.till_id,
                                   documents.c.body).where(documents.c.document_id.in_(ids))):
        body = json.loads(row.body)
        sale_id = str(body.get("original_sale_id") or "")
        for f in body.get("refunds") or ():
            payment = f.get("payment") or {}
            if sale_id and payment.get("method") == GIFT_CARD and f.get("original_payment_id"):
                refunds.setdefault(sale_id, []).append(_Refund(
                    row.document_id, str(payment.get("payment_id")), str(f["original_payment_id"]),
                    _minor(payment.get("amount"), str(body.get("currency"))), row.store_id, row.till_id))
    if not refunds:
        return 0
    held = _sales(conn, sorted(refunds))
    numbers = sorted({cards.card_of.get(f.original_payment_id, "") for sale_id, cards in held.items()
                      for f in refunds[sale_id]} - {""})
    for number in numbers:  # one order for every process (central/gift_card_followers.py): no deadlocks
        locked_card(conn, number)
    made = 0
    for sale_id, cards in sorted(held.items()):
        for refund in refunds[sale_id]:
            made += _credit(conn, cards, refund, received)
    return made


def _minor(text: Any, currency: str) -> int:
    try:
        return Money(Decimal(str(text)), currency).minor_units()
    except (InvalidOperation, ValueError, ArithmeticError):
        return 0


def _sales(conn: Connection, sale_ids: list[str]) -> dict[str, _SaleCards]:
    found = {}
    for row in conn.execute(select(sales.c.sale_id, sales.c.payload).where(sales.c.sale_id.in_(sale_ids))):
        sale = json.loads(row.payload)
        currency = str(sale.get("currency"))
        card_of = {str(g["payment_id"]): str(g["card_number"]) for g in sale.get("gift_card_payments") or ()}
        paid: dict[str, int] = {}
        for p in sale.get("payments") or ():
            number = card_of.get(str(p.get("payment_id")))
            if number is not None:
                paid[number] = paid.get(number, 0) + _minor(p.get("amount"), currency)
        found[str(row.sale_id)] = _SaleCards(str(row.sale_id), currency, int(sale.get("receipt_number") or 0),
                                             card_of, paid)
    return found


def _credit(conn: Connection, cards: _SaleCards, refund: _Refund, received: datetime) -> int:
    r = gift_card_redemptions
    if conn.execute(select(r.c.id).where(r.c.status == REFUNDED, r.c.payment_id == refund.payment_id)).first():
        return 0  # credited already (the same return again, or seen by its sale's arrival too)
    number = cards.card_of.get(refund.original_payment_id)
    card = locked_card(conn, number) if number else None
    if number is None or card is None or card.currency != cards.currency:
        why = ("the sale's payment names no gift card" if number is None else
               "the hub does not know the card" if card is None else f"the card is in {card.currency}")
        _listed(conn, cards, refund, number or "", NOT_CREDITED, refund.minor, received,
                f"return {refund.return_id}: {why}; nothing credited")
        return 0
    before = int(conn.execute(select(func.coalesce(func.sum(r.c.amount_minor), 0)).where(
        r.c.status == REFUNDED, r.c.sale_id == cards.sale_id, r.c.card_number == number)).scalar_one())
    minor = min(refund.minor, cards.paid.get(number, 0) - before)
    if minor < refund.minor:
        _listed(conn, cards, refund, number, OVER_PAID, refund.minor - max(minor, 0), received,
                f"return {refund.return_id}: more back than the sale paid with the card; "
                f"{money_text(max(minor, 0), cards.currency)} credited")
    if minor <= 0:
        return 0
    conn.execute(gift_cards.update().where(gift_cards.c.card_number == number)
                 .values(balance_minor=gift_cards.c.balance_minor + minor))
    balance = int(conn.execute(select(gift_cards.c.balance_minor).where(gift_cards.c.card_number == number))
                  .scalar_one())
    conn.execute(r.insert().values(
        redemption_id=None, card_number=number, sale_id=cards.sale_id, payment_id=refund.payment_id,
        amount_minor=minor, currency=cards.currency, status=REFUNDED, approval_code="",
        balance_after_minor=balance, approved_by="", store_id=refund.store_id, till_id=refund.till_id,
        held_at=received, settled_at=received))
    return 1


def _listed(conn: Connection, cards: _SaleCards, refund: _Refund, number: str, kind: str, minor: int,
            received: datetime, detail: str) -> None:
    conn.execute(gift_card_conflicts.insert().values(
        card_number=number[:16], kind=kind, sale_id=cards.sale_id, store_id=refund.store_id,
        till_id=refund.till_id, receipt_number=cards.receipt_number, amount_minor=minor,
        currency=cards.currency, detail=detail[:300], received_at=received))

