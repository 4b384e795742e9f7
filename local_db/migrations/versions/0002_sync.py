"""Sync with the hub: the outbox learns attempts and quarantine; the till keeps its sync
state (cursors per dataset, last pull, hub address and identity, never the credential);
staging tables hold a pull's pages until every page is in.

Revision ID: 0002
Revises: 0001
Create Date: 2026-02-01
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OUTBOX = [
    "ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE outbox ADD COLUMN last_error TEXT",
    "ALTER TABLE outbox ADD COLUMN quarantined_at TEXT",     # a permanent rejection by the hub
    "ALTER TABLE outbox ADD COLUMN quarantine_reason TEXT",  # 'reason: detail' as the hub said it
    "CREATE INDEX outbox_waiting ON outbox (seq) WHERE acked_at IS NULL AND quarantined_at IS NULL",
]

SYNC_STATE = [
    """
    CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY,               -- hub_url, store_id, till_id, enrolled_at, last_pull_at...
        value TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE sync_cursors (
        dataset   TEXT PRIMARY KEY,           -- products, barcodes, prices, taxes, cashiers
        cursor    TEXT NOT NULL,              -- the hub's version of the last applied item
        snapshot  TEXT NOT NULL,
        pulled_at TEXT NOT NULL
    ) WITHOUT ROWID
    """,
]

# A pull's pages, newest version of each key wins.  Rows that cannot be applied yet (a
# product whose price has not come, a barcode of a product not yet known) stay here and
# are tried again at the next pull.
STAGING = [
    """
    CREATE TABLE staged_products (
        code           TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        brand          TEXT NOT NULL,
        category       TEXT NOT NULL,
        vat_code       TEXT NOT NULL,
        sold_by_weight INTEGER NOT NULL,
        plain_spelling TEXT NOT NULL,
        deleted        INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE staged_prices (
        product_code TEXT PRIMARY KEY,
        price_minor  INTEGER NOT NULL CHECK (typeof(price_minor) = 'integer' AND price_minor >= 0),
        currency     TEXT NOT NULL,
        deleted      INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE staged_barcodes (
        gtin         TEXT PRIMARY KEY,
        product_code TEXT NOT NULL,
        deleted      INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE staged_taxes (
        code    TEXT PRIMARY KEY,
        percent TEXT NOT NULL,
        deleted INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE staged_cashiers (
        code     TEXT PRIMARY KEY,
        name     TEXT NOT NULL,
        pin_hash TEXT NOT NULL,
        active   INTEGER NOT NULL,
        deleted  INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
]

STAGED_TABLES = ("staged_products", "staged_prices", "staged_barcodes", "staged_taxes", "staged_cashiers")


def upgrade() -> None:
    for statement in OUTBOX + SYNC_STATE + STAGING:
        op.execute(statement)


def downgrade() -> None:
    for table in (*STAGED_TABLES, "sync_cursors", "sync_state"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute("DROP INDEX IF EXISTS outbox_waiting")
    for column in ("quarantine_reason", "quarantined_at", "last_error", "attempts"):
        op.execute(f"ALTER TABLE outbox DROP COLUMN {column}")
