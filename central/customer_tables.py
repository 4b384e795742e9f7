"""The hub's customer tables (issue 11; created by migration 0008_customers).

``customers`` is reference data (versioned like the catalog: the ``customers`` dataset pulls it)
and holds the whole customer; the dataset sends a till only part of it (central/customers.py).
``customer_keys`` holds the chain's key of the phone numbers' keyed hash (one row; the
``customer_keys`` dataset sends it to the tills).  ``customer_registrations``: each
registration a till sent, and what the hub made of it (a new customer, or joined to the
customer who already had that phone number).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, String, Table, Text

from central.tables import UtcDateTime, _versioned, metadata

customers = _versioned(
    "customers",
    Column("customer_id", String(36), primary_key=True),
    Column("phone", String(20), unique=True),  # E.164 (pos.phone); NULL: none given
    Column("phone_key", String(64), nullable=False, server_default=""),  # pos.customers.phone_key; "" before a key
    Column("card", String(64), unique=True),  # the loyalty card barcode; NULL: none
    Column("name", String(200), nullable=False),
    Column("tier", String(40), nullable=False, server_default=""),
    Column("segment", String(40), nullable=False, server_default=""),
    Column("customer_group", String(40), nullable=False, server_default=""),  # staff, regular, vip...
    Column("birthday", Date),
    Column("offers", Text, nullable=False, server_default="[]"),  # JSON list of promotion ids (personal offers)
    Column("wishlist", Text, nullable=False, server_default="[]"),  # JSON list of product codes
    Column("created_at", UtcDateTime, nullable=False),
)

customer_keys = _versioned(
    "customer_keys",
    Column("key_id", Integer, primary_key=True, autoincrement=False),
    Column("key", String(64), nullable=False),  # hex
)

customer_registrations = Table(
    "customer_registrations", metadata,
    Column("registration_id", String(36), primary_key=True),
    Column("customer_id", String(36), nullable=False, index=True),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("outcome", String(12), nullable=False),  # new, joined
    Column("detail", String(300), nullable=False, server_default=""),
    Column("received_at", UtcDateTime, nullable=False),
)
