"""How many points a customer may pay with at this till, online or offline, and why not more.

The limit, in this order (each refusal says which one):
- the customer must be identified and the chain must have loyalty rules;
- at least ``min_redeem`` points at once;
- at most the last balance this till knows (from the hub's customers dataset) less the points
  THIS till has taken from the customer since that balance (its sales the hub had not
  acknowledged when the balance was pulled): two tills offline may still overdraw together,
  the hub reports it (``kassa-hub loyalty --overdrawn``), a sale is never refused for it later;
- at most ``offline_cap_per_sale`` on one sale, and ``offline_cap_per_day`` for the customer
  at this till in one day (the points already taken today counted);
- worth at most what is left to pay (points give no change).
"""

from __future__ import annotations

from dataclasses import dataclass

from pos.errors import PosError
from pos.i18n import N_
from pos.loyalty.earning import points_in, points_value
from pos.loyalty.rules import LoyaltyRules
from pos.money import Money


class NoCustomerForPoints(PosError):
    message = N_("Identify the customer first: points are paid from the customer's balance.")


class NoLoyaltyRules(PosError):
    message = N_("Loyalty points cannot be paid with: the till has no loyalty rules from head office yet.")


class BadPoints(PosError):
    message = N_("“{text}” is not a number of points: type a whole number.")


class BelowMinimumPoints(PosError):
    message = N_("At least {minimum} points must be paid at once.")


class NotEnoughPoints(PosError):
    message = N_("The customer has {available} points to pay with here (balance {balance}, {used} already used at this till).")


class AbovePointsPerSale(PosError):
    message = N_("At most {cap} points can be paid on one sale.")


class AbovePointsPerDay(PosError):
    message = N_("At most {left} more points can be paid today by this customer at this till (the daily limit is {cap}).")


class PointsAboveRest(PosError):
    message = N_("{points} points are worth {value}, more than the {rest} left to pay: at most {most} points.")


@dataclass(frozen=True, slots=True)
class PointsAccount:
    """What this till knows of the customer's points: the balance the hub last sent and the
    points this till took from the customer since (and today)."""

    balance: int
    used_since: int
    used_today: int

    @property
    def available(self) -> int:
        return max(0, self.balance - self.used_since)


def redeemable(account: PointsAccount, rules: LoyaltyRules, rest: Money) -> int:
    """The most points the customer may pay with now (0: none)."""
    most = min(account.available, rules.offline_cap_per_sale,
               max(0, rules.offline_cap_per_day - account.used_today), points_in(rest, rules))
    return most if most >= max(1, rules.min_redeem) else 0


def check_redeem(points: int, account: PointsAccount, rules: LoyaltyRules, rest: Money) -> Money:
    """What ``points`` pay, or the refusal naming the rule they break."""
    if points <= 0:
        raise BadPoints(text=str(points))
    if points < rules.min_redeem:
        raise BelowMinimumPoints(minimum=rules.min_redeem)
    if points > account.available:
        raise NotEnoughPoints(available=account.available, balance=account.balance, used=account.used_since)
    if points > rules.offline_cap_per_sale:
        raise AbovePointsPerSale(cap=rules.offline_cap_per_sale)
    left_today = max(0, rules.offline_cap_per_day - account.used_today)
    if points > left_today:
        raise AbovePointsPerDay(left=left_today, cap=rules.offline_cap_per_day)
    value = points_value(points, rules, rest.currency)
    if value > rest:
        raise PointsAboveRest(points=points, value=value, rest=rest, most=points_in(rest, rules))
    return value


def parse_points(text: str) -> int:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 9:
        raise BadPoints(text=text.strip()[:20])
    return int(cleaned)
