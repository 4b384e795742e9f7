"""Customers at the till (issue 11): what the hub sends of them, and this till's own
registrations (local_db/customers.py).

- ``customers``: the hub's ``customers`` dataset: a keyed hash of the phone number (never the
  number), the loyalty card barcode, "Olena K.", tier, segment, group, the birthday's month and
  day, personal offers and wishlist (JSON lists); ``points_balance`` and ``balance_version``
  are the loyalty ledger's (filled by the loyalty pull).
- ``customer_keys``: the chain's key of that hash (the hub's ``customer_keys`` dataset).
- ``customers_registered_here``: customers registered at this till, found at once, before the
  hub knows them; each also has its ``kassa.customer.v1`` outbox row, written in the same
  transaction.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UPGRADE = [
    """
    CREATE TABLE customers (
        customer_id     TEXT PRIMARY KEY,
        phone_key       TEXT NOT NULL DEFAULT '',   -- HMAC-SHA256 hex of the E.164 number
        card            TEXT NOT NULL DEFAULT '',
        name            TEXT NOT NULL,              -- as shown: "Olena K."
        tier            TEXT NOT NULL DEFAULT '',
        segment         TEXT NOT NULL DEFAULT '',
        customer_group  TEXT NOT NULL DEFAULT '',
        birthday        TEXT NOT NULL DEFAULT '',   -- "MM-DD" or ''
        offers          TEXT NOT NULL DEFAULT '[]', -- JSON list of promotion ids
        wishlist        TEXT NOT NULL DEFAULT '[]', -- JSON list of product codes
        points_balance  INTEGER NOT NULL DEFAULT 0,
        balance_version TEXT NOT NULL DEFAULT '',
        version         TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID
    """,
    "CREATE INDEX customers_by_phone_key ON customers (phone_key) WHERE phone_key != ''",
    "CREATE INDEX customers_by_card ON customers (card) WHERE card != ''",
    """
    CREATE TABLE customer_keys (
        key_id INTEGER PRIMARY KEY,
        key    TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE customers_registered_here (
        registration_id TEXT PRIMARY KEY,
        phone           TEXT NOT NULL UNIQUE,       -- E.164: typed here, sent to the hub
        card            TEXT NOT NULL DEFAULT '',
        name            TEXT NOT NULL,
        registered_at   TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    "CREATE INDEX customers_registered_here_by_card ON customers_registered_here (card) WHERE card != ''",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for table in ("customers_registered_here", "customer_keys", "customers"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
