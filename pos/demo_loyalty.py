"""The demo chain's loyalty rules and promo codes (``kassa demo``).

Rules (kassa.loyalty.v1, docs/loyalty.md): one point per hryvnia paid in money, more for the
better tiers the demo customers hold (silver 1.5, gold 2, VIP 3); a point pays 1 kopiyka; at
least 100 points at once; offline at most 5,000 points a sale and 10,000 a day.

Codes (docs/promotions.md, "Promo codes"): each unlocks one of the demo's promotions that
need a code (``pos.demo_promotions``): WELCOME10 (skin care -20 %), PERFUME500 (500.00 off
3000.00 of perfume) and HAIR2FOR1 (second hair product free).
"""

from __future__ import annotations

import json

DEMO_LOYALTY_RULES: dict[str, object] = {
    "format": "kassa.loyalty.v1",
    "earn": {"default": "1", "silver": "1.5", "gold": "2", "vip": "3"},
    "point_value": "0.01",
    "min_redeem": 100,
    "offline_cap_per_sale": 5000,
    "offline_cap_per_day": 10000,
}

DEMO_PROMO_CODES: tuple[tuple[str, str], ...] = (
    ("WELCOME10", "P-CODE-WELCOME"),
    ("PERFUME500", "P-CODE-PERFUME-500"),
    ("HAIR2FOR1", "P-CODE-HAIR-2FOR1"),
)


def demo_loyalty_rules() -> str:
    """The rules as the JSON body a hub keeps and a till pulls."""
    return json.dumps(DEMO_LOYALTY_RULES, indent=1)
