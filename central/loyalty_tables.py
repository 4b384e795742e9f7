"""The hub's loyalty tables (issue 11; created by migration 0009_loyalty).

``loyalty_rules`` is reference data (versioned like the catalog: the ``loyalty`` dataset pulls
it): one row, ``name`` "rules", whose ``body`` is the kassa.loyalty.v1 JSON (pos.loyalty.rules).
``loyalty_movements`` is the points ledger: every point earned, spent or taken back, one row per
sale and kind (exactly once; a return's take-back once per return document), signed; a customer's balance is the sum of their movements.
``customers.points_balance`` (a column of central/customer_tables.py's table, added by the same
migration and declared here) keeps that sum on the customer's row, changed with the row's
version in the sale's transaction, so the customers dataset carries the balance to the tills.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Table, Text, UniqueConstraint

from central.customer_tables import customers
from central.tables import BigId, UtcDateTime, _versioned, metadata

loyalty_rules = _versioned(
    "loyalty_rules",
    Column("name", String(20), primary_key=True),  # "rules"
    Column("body", Text, nullable=False),
)

loyalty_movements = Table(
    "loyalty_movements", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # arrival order
    Column("customer_id", String(64), nullable=False),
    Column("sale_id", String(36), nullable=False),
    Column("kind", String(12), nullable=False),  # earned, redeemed, returned, refunded
    Column("document_id", String(36), nullable=False),  # the sale's id; a return's for "returned"
    Column("points", BigInteger, nullable=False),  # + earned or refunded, - redeemed or taken back by a return
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("receipt_number", BigInteger, nullable=False),
    Column("happened_at", UtcDateTime, nullable=False),  # the till's completion time
    Column("received_at", UtcDateTime, nullable=False),
    UniqueConstraint("sale_id", "kind", "document_id"),
)
Index("ix_loyalty_movements_customer_id", loyalty_movements.c.customer_id)

if "points_balance" not in customers.c:  # the customers dataset's balance (migration 0009)
    customers.append_column(Column("points_balance", BigInteger, nullable=False, server_default="0"))
