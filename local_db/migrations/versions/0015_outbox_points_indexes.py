"""Two indexes for the loyalty points a till took offline (local_db/loyalty.py): the first
receipt that may count is found through them instead of a scan of the whole outbox (a till
with 100,000 sales read them all each time the payment dialog offered points).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UPGRADE = [
    "CREATE INDEX outbox_receipts_acked ON outbox (acked_at) WHERE series = 'receipt' AND acked_at IS NOT NULL",
    "CREATE INDEX outbox_receipts_created ON outbox (created_at) WHERE series = 'receipt'",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX outbox_receipts_created")
    op.execute("DROP INDEX outbox_receipts_acked")
