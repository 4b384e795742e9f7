"""The card approvals of the sales the hub received as ``kassa.sale.v2`` (one row per card
payment: its approval code, masked reference and terminal reference; never card data).

A table module of its own beside ``central/tables.py`` (on the same metadata), written in the
transaction that stores the sale (``central/sales_intake.py``) and read back for a return at
another till (``GET /v1/sales/{id}`` answers the stored document, which holds them too).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, ForeignKey, String, Table

from central.tables import metadata
from pos.store_day.tenders import CardApproval

sale_card_approvals = Table(
    "sale_card_approvals", metadata,
    Column("payment_id", String(36), primary_key=True),  # the sale's payment (and the terminal's record)
    Column("sale_id", String(36), ForeignKey("sales.sale_id"), nullable=False, index=True),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("approval_code", String(12), nullable=False),
    Column("masked_reference", String(32), nullable=False),  # "**** 1234", or "" when not typed
    Column("terminal_reference", String(32), nullable=False),  # the terminal's id, or "manual"
)


def approval_rows(sale_id: str, store_id: str, till_id: str, cards: Mapping[Any, CardApproval]) -> list[dict[str, Any]]:
    return [{"payment_id": str(payment_id), "sale_id": sale_id, "store_id": store_id, "till_id": till_id,
             "approval_code": card.approval_code, "masked_reference": card.masked_reference,
             "terminal_reference": card.terminal_reference} for payment_id, card in cards.items()]
