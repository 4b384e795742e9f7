"""What a sale records of its pricing (issue 11), so that a receipt printed from the journal,
a reprint and a return see the same discounts the hub received:

- ``sale_line_discounts``: each line's discounts (the promotion, its name as the receipt says
  it, the amount in minor units), in order;
- ``sales`` gains the identified customer, the promo codes used (a JSON list) and the loyalty
  points earned and redeemed (0 and empty for every sale recorded before).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UPGRADE = [
    """
    CREATE TABLE sale_line_discounts (
        sale_id       TEXT NOT NULL,
        line_position INTEGER NOT NULL,
        position      INTEGER NOT NULL,
        promotion_id  TEXT NOT NULL,
        name          TEXT NOT NULL,
        amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
        PRIMARY KEY (sale_id, line_position, position)
    ) WITHOUT ROWID
    """,
    "ALTER TABLE sales ADD COLUMN customer_id TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE sales ADD COLUMN promo_codes TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE sales ADD COLUMN points_earned INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sales ADD COLUMN points_redeemed INTEGER NOT NULL DEFAULT 0",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS sale_line_discounts")
    for column in ("customer_id", "promo_codes", "points_earned", "points_redeemed"):
        op.execute(f"ALTER TABLE sales DROP COLUMN {column}")
