"""Loyalty points earned and spent, recorded from the sales that carry them.

STUB: helper H2 replaces it (the points ledger, balances, the overdraw report)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from central.stores import TillIdentity
from pos.sale import Sale


def record_sales(conn: Connection, sales: Sequence[Sale], till: TillIdentity, received: datetime) -> None:
    return None
