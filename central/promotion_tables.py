"""The hub's ``promotions`` table (issue 11; created by migration 0006_promotions): each promotion
or cap head office defined, as its full ``kassa.promotion.v1`` JSON (``definition_to_dict``),
versioned like the catalog; the ``promotions`` dataset sends it to every till
(central/promotions.py)."""

from __future__ import annotations

from sqlalchemy import Column, String, Text

from central.tables import _versioned

promotions = _versioned(
    "promotions",
    Column("promotion_id", String(64), primary_key=True),  # the definition's id (a cap's too)
    Column("definition", Text, nullable=False),  # compact JSON; a removed one keeps its last
)
