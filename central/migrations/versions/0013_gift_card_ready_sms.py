"""The "card ready" SMS of an electronic gift card sent after its sale's commit, once
(central/gift_card_ready_sms.py): ``gift_cards.ready_sms_at``, null while the message is due.
The cards activated before this migration had theirs sent from inside the sale's transaction:
they are marked sent (their activation time).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gift_cards") as table:
        table.add_column(sa.Column("ready_sms_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE gift_cards SET ready_sms_at = activated_at")
    op.create_index("ix_gift_cards_ready_sms_at", "gift_cards", ["ready_sms_at"])


def downgrade() -> None:
    op.drop_index("ix_gift_cards_ready_sms_at", table_name="gift_cards")
    with op.batch_alter_table("gift_cards") as table:
        table.drop_column("ready_sms_at")
