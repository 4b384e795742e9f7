"""Parking a sale and recalling it: the customer forgot their wallet, the next one waits.

``park`` takes the open basket off the till and keeps it in the parked sales (one write that
also discards the open basket's snapshot, so the basket is in exactly one place on disk);
``recall`` makes a parked basket the open one again (one write that deletes the parked row
and saves the open basket's snapshot), so a parked sale is never sold twice.  Both run on the
till worker, under the ``PARK_SALE`` permission for parking (a manager's approval otherwise).

A sale that holds money on gift cards at the hub (payments taken in the payment dialog, or
asked and never answered) gives the holds back to the cards before it is parked: a parked sale
would otherwise keep the customer's money on hold until the hub lets it go a day later.  While
the hub cannot be reached the park is refused (``GiftCardHoldsStay``) and nothing changes:
the sale is finished, or parked once the link is back.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from pos.basket import Basket, BasketState, EmptyBasket
from pos.codec import basket_from_dict, basket_to_dict
from pos.errors import PosError
from pos.gift_cards.paying import gift_cards_held, release_gift_cards
from pos.i18n import N_
from pos.money import Money
from pos.quantity import check_quantity
from pos.store_day.roles import Action
from pos.till import BasketNotEmpty, Till, TillResult

log = logging.getLogger(__name__)


class ParkedSaleGone(PosError):
    message = N_("That parked sale is not here any more (recalled already?): choose again.")


class ParkedSaleUnreadable(PosError):
    message = N_("The parked sale {basket} cannot be read; it stays parked: call support.")


@dataclass(frozen=True, slots=True)
class ParkedSale:
    """One line of the recall list."""

    basket_id: uuid.UUID
    cashier_id: str
    cashier_name: str
    parked_at: datetime
    item_count: Decimal
    total: Money


class ParkedSales(Protocol):
    """The parked baskets (local_db.parked_sales.SqlParkedSales)."""

    def park(self, parked: ParkedSale, snapshot: dict[str, Any]) -> None:
        """Keep ``snapshot`` and discard the open basket's snapshot, in one transaction."""
        ...

    def parked(self) -> list[ParkedSale]:
        """Every parked sale, oldest first."""
        ...

    def snapshot(self, basket_id: uuid.UUID) -> dict[str, Any] | None: ...

    def recall(self, basket_id: uuid.UUID, open_snapshot: dict[str, Any]) -> None:
        """Delete the parked row and save ``open_snapshot`` as the open basket, in one
        transaction; ``ParkedSaleGone`` when the row is not there."""
        ...


def parked_sale_of(basket: Basket, cashier_id: str, cashier_name: str, at: datetime,
                   total: Money | None = None) -> ParkedSale:
    """``total``: what the customer would pay, the promotions taken off (``Till.priced``);
    the lines' own total when not given."""
    return ParkedSale(basket.basket_id, cashier_id, cashier_name, at, basket.item_count(),
                      basket.total() if total is None else total)


def park(till: Till, parked: ParkedSales, approval_id: uuid.UUID | None = None) -> TillResult:
    """Park the open basket (durable before this returns); a new empty basket opens."""
    who = till.staff()
    basket = till.basket
    if not basket.active_lines():
        raise EmptyBasket()
    if gift_cards_held(till).amount > 0:  # given back to the cards first, or GiftCardHoldsStay
        release_gift_cards(till)
    total = till.priced().total  # the recall list shows what the customer would pay
    if till.day is not None:
        till.day.authorise(who, Action.PARK_SALE, approval_id=approval_id, amount=total,
                           sale_id=basket.basket_id)
    parked.park(parked_sale_of(basket, who.cashier.cashier_id, who.cashier.name, till.clock.now(), total),
                till.snapshot())
    till.set_aside()
    log.info("sale %s parked by %s", basket.basket_id, who.cashier.cashier_id)
    return TillResult(view=till.view(), cashier=till.cashier, basket_changed=True)


def recall(till: Till, parked: ParkedSales, basket_id: uuid.UUID) -> TillResult:
    """Make a parked sale the open basket (only while the open one has no lines left)."""
    cashier = till.staff().cashier
    if till.day is not None:
        till.day.require_selling()
    if till.basket.active_lines():
        raise BasketNotEmpty()
    snapshot = parked.snapshot(basket_id)
    if snapshot is None:
        raise ParkedSaleGone()
    try:
        basket = _readable(snapshot, till.settings.store.currency)
    except (KeyError, ValueError, TypeError, AttributeError, ArithmeticError, PosError) as error:
        log.error("parked sale %s cannot be read: %s", basket_id, error)
        raise ParkedSaleUnreadable(basket=str(basket_id)[:8]) from error
    recalled = {**snapshot, **basket_to_dict(basket, cashier)}  # the lines as read, the pricing as parked
    parked.recall(basket_id, recalled)
    try:
        result = till.take_back(basket, recalled)
    except Exception:
        # the open basket's snapshot is the recalled one but the till did not take it: park it again
        parked.park(parked_sale_of(basket, _cashier_id(snapshot), _cashier_name(snapshot), till.clock.now()), snapshot)
        raise
    log.info("parked sale %s recalled by %s", basket_id, cashier.cashier_id)
    return result


def _readable(snapshot: dict[str, Any], currency: str) -> Basket:
    """The parked basket, if every number in it is one the till could have made."""
    basket = basket_from_dict(snapshot)
    if basket.currency != currency:
        raise ValueError(f"the parked sale is in {basket.currency}")
    if basket.state is not BasketState.OPEN:
        raise ValueError(f"a parked sale is open, not {basket.state.value}")
    for line in basket.lines:
        check_quantity(line.quantity, sold_by_weight=line.product.sold_by_weight, name=line.product.name)
        if line.product.price.minor_units() < 0:
            raise ValueError("a parked price is negative")
    basket.total().minor_units()
    basket.taxes()
    return basket


def _cashier_id(snapshot: dict[str, Any]) -> str:
    who = snapshot.get("cashier")
    return str(who.get("id", "")) if isinstance(who, dict) else ""


def _cashier_name(snapshot: dict[str, Any]) -> str:
    who = snapshot.get("cashier")
    return str(who.get("name", "")) if isinstance(who, dict) else ""
