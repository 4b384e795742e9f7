"""The uses of promo codes, recorded from the sales that carry them (``Sale.promo_codes``).

STUB: helper G replaces it (one-time and N-use codes, the two-tills conflict report)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from central.stores import TillIdentity
from pos.sale import Sale


def record_sales(conn: Connection, sales: Sequence[Sale], till: TillIdentity, received: datetime) -> None:
    return None
