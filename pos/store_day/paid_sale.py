"""A sale paid with several tenders, built on the existing ``pos.sale.Sale``: its payments are
the settlement's, its ``rounding`` the settlement's cash rounding, so ``sale.due`` is what the
tenders settle.  Card approvals are not part of ``Sale`` (whose form ``kassa.sale.v1`` is
fixed): they travel beside it, keyed by payment id (``card_approvals``), until the sale form
grows a field for them (kassa.sale.v2, docs/store-day-design.md).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from pos.basket import Basket
from pos.gift_cards.records import GiftCardSold
from pos.pricing.priced import PricedBasket
from pos.sale import Cashier, Sale, sale_from_basket
from pos.store_day.tenders import CardApproval, NotSettled, SettledPayments
from pos.tender import CASH, Payment


def sale_paid_with(basket: Basket, settled: SettledPayments, *, store_id: str, till_id: str,
                   cashier: Cashier, completed_at: datetime, priced: PricedBasket | None = None,
                   customer_id: str = "", promo_codes: tuple[str, ...] = (),
                   gift_cards_sold: tuple[GiftCardSold, ...] = ()) -> Sale:
    """``priced``: the pricing step's answer for ``basket`` (None: no promotions)."""
    total = basket.total() if priced is None else priced.total
    if settled.total != total:
        raise NotSettled(rest=total - settled.total)
    if not settled.tenders:  # a sale of nothing but zero-priced goods (or all free): one cash payment of 0
        zero = total
        first = Payment(uuid.uuid4(), CASH, zero, zero, zero)
    else:
        first = settled.tenders[0].payment
    sale = sale_from_basket(basket, store_id=store_id, till_id=till_id, cashier=cashier, payment=first,
                            completed_at=completed_at, priced=priced,
                            customer_id=customer_id, promo_codes=promo_codes, gift_cards_sold=gift_cards_sold)
    return replace(sale, rounding=settled.rounding, payments=settled.payments or sale.payments,
                   gift_card_payments=tuple(t.gift_card for t in settled.tenders if t.gift_card is not None))


def cash_changes_hands(sale: Sale) -> bool:
    """Cash was tendered or given back on ``sale``: the drawer opens.  Not for a card or points
    sale, nor for a free sale's cash payment of 0."""
    return any(p.method == CASH and not (p.tendered.is_zero() and p.change.is_zero()) for p in sale.payments)


def card_approvals(settled: SettledPayments) -> dict[uuid.UUID, CardApproval]:
    return {t.payment.payment_id: t.card for t in settled.tenders if t.card is not None}
