"""The chain's loyalty rules, as head office sets them (``kassa-hub set-loyalty FILE.json``) and
the tills pull them (the ``loyalty`` dataset), in one JSON form read by one reader::

    {"format": "kassa.loyalty.v1",
     "earn": {"default": "1", "silver": "1.5", "gold": "2"},
     "point_value": "0.01",
     "min_redeem": 100,
     "offline_cap_per_sale": 5000,
     "offline_cap_per_day": 10000}

- ``earn``: points per whole currency unit of what the customer pays in money (the sale's total
  after discounts, less what points paid), per tier; a tier not named earns at ``default``
  (no ``default``: it earns nothing).  A decimal string with at most 2 places, 0 to 100.
- ``point_value``: what one point pays, a decimal string with at most 2 places (a whole number
  of cents, so a number of points is always a whole amount), above 0.
- ``min_redeem``: the fewest points a customer may pay with at once (a whole number >= 0).
- ``offline_cap_per_sale`` / ``offline_cap_per_day``: the most points one sale, and one
  customer in one day at one till, may pay with (whole numbers >= 0).

``read_rules`` refuses a body whole with ``BadLoyaltyRules`` naming the field and what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

FORMAT = "kassa.loyalty.v1"
DEFAULT_TIER = "default"
MAX_BODY = 16 * 1024
MAX_POINTS = 10**9  # a cap or minimum above this is a typing mistake
MAX_RATE = Decimal(100)
_FIELDS = ("format", "earn", "point_value", "min_redeem", "offline_cap_per_sale", "offline_cap_per_day")


class BadLoyaltyRules(ValueError):
    """Rules that cannot be used; the message names the field and what is wrong."""


@dataclass(frozen=True, slots=True)
class LoyaltyRules:
    earn: dict[str, Decimal] = field(default_factory=dict)  # tier -> points per whole currency unit
    point_value: Decimal = Decimal("0.01")
    min_redeem: int = 0
    offline_cap_per_sale: int = 0
    offline_cap_per_day: int = 0

    def rate(self, tier: str) -> Decimal:
        """Points per whole currency unit for ``tier`` (``default`` for a tier not named)."""
        return self.earn.get(tier, self.earn.get(DEFAULT_TIER, Decimal(0)))

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "earn": {t: str(r) for t, r in self.earn.items()},
                "point_value": str(self.point_value), "min_redeem": self.min_redeem,
                "offline_cap_per_sale": self.offline_cap_per_sale, "offline_cap_per_day": self.offline_cap_per_day}


def _decimal(value: Any, where: str, *, low: Decimal, high: Decimal | None, above: bool = False) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadLoyaltyRules(f"{where}: {json.dumps(value)[:40]} is not a decimal string like \"1.5\"")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise BadLoyaltyRules(f"{where}: {str(value)[:40]!r} is not a number") from None
    if not number.is_finite():
        raise BadLoyaltyRules(f"{where}: {str(value)[:40]!r} is not a number")
    if number < low or (above and number == low):
        raise BadLoyaltyRules(f"{where}: {number} must be {'above' if above else 'at least'} {low}")
    if high is not None and number > high:
        raise BadLoyaltyRules(f"{where}: {number} is more than {high}")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BadLoyaltyRules(f"{where}: {number} has more than 2 decimal places")
    return number


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadLoyaltyRules(f"{where}: {json.dumps(value)[:40]} is not a whole number of points")
    if not 0 <= value <= MAX_POINTS:
        raise BadLoyaltyRules(f"{where}: {value} must be 0 to {MAX_POINTS}")
    return value


def rules_from_dict(data: Any) -> LoyaltyRules:
    """Raises ``BadLoyaltyRules``."""
    if not isinstance(data, dict):
        raise BadLoyaltyRules("the loyalty rules must be a JSON object")
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise BadLoyaltyRules(f"{unknown[0][:40]}: not a field of the loyalty rules (they are {', '.join(_FIELDS)})")
    if data.get("format") != FORMAT:
        raise BadLoyaltyRules(f"format: {json.dumps(data.get('format'))[:40]} is not {FORMAT!r}")
    earn = data.get("earn")
    if not isinstance(earn, dict) or not earn:
        raise BadLoyaltyRules("earn: must be an object of tier to points per currency unit, like {\"default\": \"1\"}")
    rates: dict[str, Decimal] = {}
    for tier, rate in earn.items():
        if not tier.strip() or len(tier) > 40:
            raise BadLoyaltyRules(f"earn: {tier[:40]!r} is not a tier name")
        rates[tier] = _decimal(rate, f"earn.{tier}", low=Decimal(0), high=MAX_RATE)
    for name in _FIELDS[2:]:
        if name not in data:
            raise BadLoyaltyRules(f"{name}: missing")
    value = _decimal(data["point_value"], "point_value", low=Decimal(0), high=Decimal(1000), above=True)
    rules = LoyaltyRules(rates, value, _whole(data["min_redeem"], "min_redeem"),
                         _whole(data["offline_cap_per_sale"], "offline_cap_per_sale"),
                         _whole(data["offline_cap_per_day"], "offline_cap_per_day"))
    if rules.offline_cap_per_day < rules.offline_cap_per_sale:
        raise BadLoyaltyRules(f"offline_cap_per_day: {rules.offline_cap_per_day} is below offline_cap_per_sale "
                              f"{rules.offline_cap_per_sale}")
    return rules


def read_rules(body: str) -> LoyaltyRules:
    """The rules read from their JSON ``body``; raises ``BadLoyaltyRules``."""
    if len(body) > MAX_BODY:
        raise BadLoyaltyRules(f"the loyalty rules are longer than {MAX_BODY} characters")
    try:
        data = json.loads(body)
    except ValueError as error:
        raise BadLoyaltyRules(f"not JSON: {error}") from None
    return rules_from_dict(data)
