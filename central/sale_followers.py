"""What else the hub records when a sale is stored: the uses of its promo codes, the loyalty
points it earned and spent, its gift cards (activated, holds captured, offline payments
debited).  Each follower runs inside the transaction that inserts the sale and only for the
sales inserted by it (never for a duplicate), so each is exactly once too.

A follower is ``record_sales(conn, sales, till, received)``; the list is fixed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import Connection

from central import gift_card_followers, gift_card_refunds, loyalty_ledger, promo_code_uses
from central.erp import outbox as erp_outbox
from central.stores import TillIdentity
from pos.sale import Sale

Follower = Callable[[Connection, Sequence[Sale], TillIdentity, datetime], None]

FOLLOWERS: tuple[Follower, ...] = (promo_code_uses.record_sales, loyalty_ledger.record_sales,
                                   gift_card_followers.record_sales,
                                   gift_card_refunds.record_sales,  # returns stored before their sale
                                   erp_outbox.record_sales)  # the ERP's queue (central/erp/outbox.py)


def follow_sales(conn: Connection, stored: Sequence[Sale], till: TillIdentity, received: datetime) -> None:
    if not stored:
        return
    for follower in FOLLOWERS:
        follower(conn, stored, till, received)
