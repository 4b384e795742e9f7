"""The demo chain's customers (``kassa demo``): one per customer group (staff, regular, vip),
a VIP tier one, a family segment, loyalty cards, personal offers and wishlists, and birthdays
near ``today`` (one today, one in a few days, one a few days ago, one far off), so the birthday
offers of ``pos.demo_promotions`` show on the first basket.

Each is in the hub's import form (``kassa-hub import-customers``, central/customers.py); the
demo till without a hub holds them in the form a till receives them (local_db/demo_store.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pos.barcode import with_check_digit

# points each demo customer opens with (kassa-hub give-points, grant "demo-opening"), so F7 pays with points
OPENING_POINTS = {"+380501234567": 2500, "+380931234567": 800, "+380671234567": 120}
BIRTH_YEAR = 1988  # a leap year: a birthday of 29 February stays one


def _birthday(today: date, days: int) -> str:
    day = today + timedelta(days=days)
    return date(BIRTH_YEAR, day.month, day.day).isoformat()


def demo_customers(today: date) -> list[dict[str, Any]]:
    """The demo customers, their birthdays relative to ``today``."""
    return [
        {"phone": "+380501234567", "name": "Olena Kovalenko", "card": with_check_digit("290000000001"),
         "tier": "vip", "segment": "families", "group": "vip", "birthday": _birthday(today, 0),
         "offers": ["P-CODE-WELCOME"], "wishlist": ["100003", "100007", "100011"]},
        {"phone": "+380671234567", "name": "Rashad Aliyev", "card": with_check_digit("290000000002"),
         "tier": "silver", "segment": "", "group": "staff", "birthday": _birthday(today, 3),
         "offers": [], "wishlist": ["100013"]},
        {"phone": "+380931234567", "name": "Nino Beridze", "card": with_check_digit("290000000003"),
         "tier": "gold", "segment": "families", "group": "regular", "birthday": _birthday(today, -5),
         "offers": ["P-CODE-HAIR-2FOR1"], "wishlist": ["100005", "100015"]},
        {"phone": "+380661234567", "name": "Taras Melnyk", "card": "", "tier": "", "segment": "",
         "group": "regular", "birthday": _birthday(today, 120), "offers": [], "wishlist": []},
    ]
