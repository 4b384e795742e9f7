"""What a stored sale does to gift cards (a sale follower, central/sale_followers.py): in the
sale's own transaction and only for a sale it inserted, so exactly once however often a till
retries its batch.

- A card sold (``gift_cards_sold``) on a line that is not voided is activated: its balance is
  the line's total, an electronic card keeps its phone and gets its one-time password secret,
  and its "card ready" SMS is due ("Your gift card **** 9015 of 500.00 UAH is ready"): sent
  after the transaction committed, once (central/gift_card_ready_sms.py).  A number
  already active (sold by another sale) activates nothing: the sale is stored all the same and
  the conflict recorded (``sold_twice``).
- A gift card payment with a ``redemption_id`` captures its hold (a payment of less than the
  hold gives the rest back; of more, takes it too).  A hold already released (by the till, or
  after 24 hours), or one the hub never saw, is debited as an offline payment is: never lost.
- An offline payment (no ``redemption_id``, a manager approved it) is debited.
- A debit may take a card below zero: the card is overdrawn (``kassa-hub gift-cards
  --overdrawn``).  A payment with a card the hub does not know, or in another currency, or a
  hold a second sale uses again, is recorded as a conflict (``--conflicts``).

Nothing is sent from inside the sale's transaction: one that then rolls back has told no one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from central.gift_card_codes import new_secret
from central.gift_card_tables import (
    CAPTURED,
    DEBITED,
    HELD,
    RELEASED,
    gift_card_conflicts,
    gift_card_redemptions,
    gift_cards,
)
from central.gift_cards import locked_card
from central.stores import TillIdentity
from pos.gift_cards.records import GiftCardPayment
from pos.sale import Sale

def record_sales(conn: Connection, sales: Sequence[Sale], till: TillIdentity, received: datetime) -> None:
    numbers = sorted({g.card_number for s in sales for g in s.gift_cards_sold}
                     | {g.card_number for s in sales for g in s.gift_card_payments})
    if not numbers:
        return
    for number in numbers:  # one order for every process: two batches never deadlock
        locked_card(conn, number)
    for sale in sales:
        _activate(conn, sale, till, received)
        for payment in sale.gift_card_payments:
            _take_payment(conn, sale, payment, till, received)


def _activate(conn: Connection, sale: Sale, till: TillIdentity, received: datetime) -> None:
    lines = {line.line_id: line for line in sale.lines}
    for sold in sale.gift_cards_sold:
        line = lines[sold.line_id]
        if line.voided:
            continue
        minor = line.total.minor_units()
        if locked_card(conn, sold.card_number) is not None:
            _conflict(conn, sale, till, received, sold.card_number, "sold_twice", minor,
                      "sold again, but the number is already active: this sale's card was not activated")
            continue
        conn.execute(gift_cards.insert().values(
            card_number=sold.card_number, currency=sale.currency, initial_minor=minor, balance_minor=minor,
            phone=sold.phone, otp_secret=new_secret() if sold.phone else "", otp_counter=0, otp_sent_at=None,
            wrong_codes=0, locked=False, sale_id=str(sale.sale_id), line_id=str(sold.line_id),
            store_id=till.store_id, till_id=till.till_id, receipt_number=sale.receipt_number,
            sold_at=sale.completed_at, activated_at=received, ready_sms_at=None if sold.phone else received))


def _take_payment(conn: Connection, sale: Sale, gift: GiftCardPayment, till: TillIdentity, received: datetime) -> None:
    r = gift_card_redemptions
    minor = next(p.amount for p in sale.payments if p.payment_id == gift.payment_id).minor_units()
    number = gift.card_number
    card = locked_card(conn, number)
    if card is None:
        _conflict(conn, sale, till, received, number, "unknown_card", minor,
                  "paid with a card the hub does not know: nothing debited")
        return
    if card.currency != sale.currency:
        _conflict(conn, sale, till, received, number, "other_currency", minor,
                  f"paid in {sale.currency} with a card in {card.currency}: nothing debited")
        return
    settled = dict(payment_id=str(gift.payment_id), settled_at=received)
    hold = None if gift.redemption_id is None else conn.execute(
        select(r).where(r.c.redemption_id == str(gift.redemption_id))).first()
    if hold is not None and hold.card_number == number and hold.status == HELD:
        conn.execute(update(r).where(r.c.id == hold.id).values(status=CAPTURED, amount_minor=minor, **settled))
        if hold.amount_minor != minor:  # the sale took less (or more) than the till held
            _move(conn, number, hold.amount_minor - minor)
        return
    balance = _move(conn, number, -minor)
    debit = dict(status=DEBITED, amount_minor=minor, balance_after_minor=balance, **settled)
    if hold is not None and hold.card_number == number and hold.status == RELEASED:
        conn.execute(update(r).where(r.c.id == hold.id).values(**debit))
        return
    if hold is not None:
        _conflict(conn, sale, till, received, number, "hold_reused", minor,
                  f"redemption {gift.redemption_id} was {hold.status} for sale {hold.sale_id}: debited again")
    conn.execute(r.insert().values(
        redemption_id=str(gift.redemption_id) if gift.redemption_id is not None and hold is None else None,
        card_number=number, sale_id=str(sale.sale_id), currency=sale.currency, approval_code="",
        approved_by=gift.approved_by[:64], store_id=till.store_id, till_id=till.till_id, held_at=received,
        **debit))


def _move(conn: Connection, number: str, minor: int) -> int:
    """Add ``minor`` (less than zero: take it) to the card's balance; the new balance."""
    conn.execute(update(gift_cards).where(gift_cards.c.card_number == number)
                 .values(balance_minor=gift_cards.c.balance_minor + minor))
    return int(conn.execute(select(gift_cards.c.balance_minor).where(gift_cards.c.card_number == number)).scalar_one())


def _conflict(conn: Connection, sale: Sale, till: TillIdentity, received: datetime, number: str, kind: str,
              minor: int, detail: str) -> None:
    row: dict[str, Any] = dict(card_number=number, kind=kind, sale_id=str(sale.sale_id), store_id=till.store_id,
                               till_id=till.till_id, receipt_number=sale.receipt_number, amount_minor=minor,
                               currency=sale.currency, detail=detail[:300], received_at=received)
    conn.execute(gift_card_conflicts.insert().values(**row))
