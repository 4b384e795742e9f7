"""The chain's ``gift_cards`` policy (pulled with the other store's day policies,
``pos.store_day.policies``): may a gift card pay while the hub cannot be reached?

    {"offline": true, "offline_cap": "200.00", "currency": "UAH"}

- ``offline``: false (the default, and when no policy was pulled): a gift card pays only
  online, through the hub's hold.
- ``offline_cap``: the most a sale may take from gift cards offline, all its offline gift card
  payments together, in ``currency``.  A policy of another currency than the till's allows
  nothing offline.
- An offline payment is a plastic card's only (an electronic card needs its one-time password,
  which only the hub can check) and each one needs a manager's approval
  (``Action.GIFT_CARD_OFFLINE``) bound to its amount and the sale.

``read_gift_card_policy`` is the one reader (the hub before it stores the policy, the till
before it keeps one from a pull); it raises ``ValueError`` naming what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pos.money import Money, minor_unit

MAX_CAP = Decimal("100000")


@dataclass(frozen=True, slots=True)
class GiftCardPolicy:
    offline: bool
    offline_cap: Money  # the most one sale may take from gift cards offline

    def cap_in(self, currency: str) -> Money:
        """The offline cap for a till selling in ``currency`` (zero: nothing offline)."""
        if not self.offline or self.offline_cap.currency != currency:
            return Money.zero(currency)
        return self.offline_cap

    def to_data(self) -> dict[str, Any]:
        return {"offline": self.offline, "offline_cap": str(self.offline_cap.amount),
                "currency": self.offline_cap.currency}


def no_offline(currency: str) -> GiftCardPolicy:
    """What a till does without the policy: gift cards only online."""
    return GiftCardPolicy(False, Money.zero(currency))


def read_gift_card_policy(data: Any) -> GiftCardPolicy:
    """The policy from its JSON data; ``ValueError`` naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError('the gift_cards policy is {"offline": true, "offline_cap": "200.00", "currency": "UAH"}')
    unknown = sorted(set(data) - {"offline", "offline_cap", "currency"})
    if unknown:
        raise ValueError(f"unknown keys {', '.join(k[:40] for k in unknown)}")
    offline = data.get("offline", False)
    if not isinstance(offline, bool):
        raise ValueError("offline is true or false")
    currency = data.get("currency")
    if not isinstance(currency, str) or not (len(currency) == 3 and currency.isascii() and currency.isupper()):
        raise ValueError(f"{str(currency)[:10]!r} is not a currency code")
    cap_text = data.get("offline_cap", "0")
    if not isinstance(cap_text, str):
        raise ValueError('offline_cap is an amount as text, e.g. "200.00"')
    try:
        cap = Decimal(cap_text)
    except InvalidOperation:
        raise ValueError(f"offline_cap {cap_text[:20]!r} is not an amount") from None
    if not cap.is_finite() or cap < 0 or cap > MAX_CAP:
        raise ValueError(f"offline_cap {cap_text[:20]!r} is not an amount from 0 to {MAX_CAP}")
    if cap % minor_unit(currency) != 0:
        raise ValueError(f"offline_cap {cap_text[:20]!r} is not a whole number of {currency}'s smallest unit")
    if offline and cap == 0:
        raise ValueError("offline is allowed but offline_cap is 0: set a cap above 0, or offline false")
    return GiftCardPolicy(offline, Money(cap, currency))
