"""Head office's policies for the store's day, as the hub keeps and sends them (the ``policies``
dataset): one JSON body per name.

- ``permissions``: ``PermissionTable.to_data()``: ``{"void_line": ["cashier", "manager"], ...}``
  (actions it does not name keep their defaults);
- ``reasons``: ``[{"code": "damaged", "label": "Damaged goods"}, ...]`` (``ReasonCodes``);
- ``denominations``: ``{"currency": "UAH", "notes": ["1000", ...], "coins": ["10", ...]}``;
- ``gift_cards``: ``{"offline": true, "offline_cap": "200.00", "currency": "UAH"}``
  (``pos.gift_cards.policy``: may a manager let a plastic gift card pay while the hub is out of reach).

``read_policy`` is the one reader, used by the hub before it stores a policy (``kassa-hub
set-policy``) and by the till before it keeps one from a pull: a body it cannot read is
refused whole with ``BadPolicy`` naming what is wrong, never half used.
"""

from __future__ import annotations

import json
from typing import Any

from pos.errors import PosError
from pos.gift_cards.policy import GiftCardPolicy, read_gift_card_policy
from pos.store_day.approval import ReasonCodes
from pos.store_day.drawer import Denominations
from pos.store_day.roles import PermissionTable

POLICY_NAMES = ("permissions", "reasons", "denominations", "gift_cards")
MAX_BODY = 64 * 1024  # characters of one policy's JSON

Policy = PermissionTable | ReasonCodes | Denominations | GiftCardPolicy


class BadPolicy(ValueError):
    """A policy that cannot be used; the message names the policy and what is wrong."""


def read_policy(name: str, body: str) -> Policy:
    """The policy ``name`` read from its JSON ``body``; raises ``BadPolicy``."""
    if name not in POLICY_NAMES:
        raise BadPolicy(f"{name[:40]!r} is not a policy (there are {', '.join(POLICY_NAMES)})")
    if len(body) > MAX_BODY:
        raise BadPolicy(f"the {name} policy is longer than {MAX_BODY} characters")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise BadPolicy(f"the {name} policy is not JSON: {error}") from None
    return read_policy_data(name, data)


def read_policy_data(name: str, data: Any) -> Policy:
    try:
        if name == "permissions":
            return PermissionTable.from_data(data)
        if name == "reasons":
            reasons = ReasonCodes.from_data(data)
            if not reasons.reasons:
                raise ValueError("the list of reasons is empty: a manager could never give one")
            codes = [r.code for r in reasons.reasons]
            if len(set(codes)) != len(codes):
                raise ValueError("a reason code is listed twice")
            return reasons
        if name == "denominations":
            if not isinstance(data, dict) or not isinstance(data.get("currency"), str):
                raise ValueError('denominations are {"currency": "UAH", "notes": [...], "coins": [...]}')
            currency = data["currency"]
            if not (len(currency) == 3 and currency.isascii() and currency.isupper()):
                raise ValueError(f"{currency[:10]!r} is not a currency code")
            return Denominations.from_data(currency, {k: v for k, v in data.items() if k != "currency"})
        if name == "gift_cards":
            return read_gift_card_policy(data)
    except PosError as error:
        raise BadPolicy(f"the {name} policy: {error}") from None
    except (ValueError, TypeError, KeyError, ArithmeticError) as error:
        raise BadPolicy(f"the {name} policy cannot be used: {error}") from None
    raise BadPolicy(f"{name[:40]!r} is not a policy (there are {', '.join(POLICY_NAMES)})")
