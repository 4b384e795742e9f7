"""The outbox's own row number is called ``row_id``, no longer ``seq``: in the sync protocol
``seq`` is the sale's receipt number (what the hub sees and orders by), and the row number
only keeps the outbox rows in the order they were written.  Its indexes follow the rename.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE outbox RENAME COLUMN seq TO row_id")


def downgrade() -> None:
    op.execute("ALTER TABLE outbox RENAME COLUMN row_id TO seq")
