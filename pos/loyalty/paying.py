"""Paying part of the open sale with the customer's loyalty points (the payment dialog's
"Points"), on the till worker like the other tenders of ``pos.store_day.checkout``.

    points_offer(till)                -> PointsOffer (balance, available here, the most now, worth)
    pay_points(till, "500")           -> CheckoutView (a "points" tender of what 500 points pay)

The points tender settles like cash without change: at most what is left, exactly.  How many
points may go is ``pos.loyalty.redeeming`` (the last known balance less what this till took
since, the central caps; ``till.loyalty``, the till's ``PointsLedger``); the points already tendered on this sale count too.  The sale
records the points (``Sale.points_redeemed``, counted back from its "points" payments) and
those it earns (``Till.with_points``), and the hub's ledger takes both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos.loyalty.earning import POINTS, points_in, points_value
from pos.loyalty.redeeming import (
    NoCustomerForPoints,
    NoLoyaltyRules,
    PointsAccount,
    check_redeem,
    parse_points,
    redeemable,
)
from pos.loyalty.rules import LoyaltyRules
from pos.money import Money, money_sum
from pos.store_day import checkout
from pos.store_day.checkout import CheckoutView
from pos.till import Till


@dataclass(frozen=True, slots=True)
class PointsOffer:
    """What the dialog shows before the cashier types a number of points."""

    balance: int  # as the hub last sent it
    available: int  # the balance less what this till took since
    most: int  # the most points that may pay now (0: none)
    most_worth: Money
    point_value: Money


def points_offer(till: Till) -> PointsOffer:
    rules, account, rest = _state(till)
    most = redeemable(account, rules, rest)
    return PointsOffer(account.balance, account.available, most, points_value(most, rules, rest.currency),
                       points_value(1, rules, rest.currency))


def pay_points(till: Till, points_text: str) -> CheckoutView:
    """``points_text`` points as a tender, or the refusal naming the rule they break."""
    points = parse_points(points_text)
    rules, account, rest = _state(till)
    value = check_redeem(points, account, rules, rest)
    return checkout.add_exact(till, POINTS, value)


def _state(till: Till) -> tuple[LoyaltyRules, PointsAccount, Money]:
    """The rules, the customer's account with this sale's points tenders counted, the rest."""
    customer = till.customer
    if customer is None:
        raise NoCustomerForPoints()
    ledger = till.loyalty
    rules = ledger.rules() if ledger is not None else None
    if ledger is None or rules is None:
        raise NoLoyaltyRules()
    view = checkout.view(till)
    tendered = points_in(money_sum([t.payment.amount for t in view.tenders if t.payment.method == POINTS],
                                   view.total.currency), rules)
    account = ledger.account(customer.customer_id, _day_start(till))
    account = replace(account, used_since=account.used_since + tendered, used_today=account.used_today + tendered)
    rules = replace(rules, offline_cap_per_sale=max(0, rules.offline_cap_per_sale - tendered))
    return rules, account, view.rest


def _day_start(till: Till) -> datetime:
    """Midnight of the store's day now, as an aware time (the per-day cap counts from it)."""
    now = till.clock.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    try:
        local = now.astimezone(ZoneInfo(till.settings.store.timezone))
    except (ZoneInfoNotFoundError, ValueError):
        local = now
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
