"""Gift cards at the hub (issue 11): the active cards with their balance and one-time password
state, every hold and debit taken from them, and the conflicts sales brought
(central/gift_card_tables.py).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "gift_cards",
        sa.Column("card_number", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("initial_minor", sa.BigInteger(), nullable=False),
        sa.Column("balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("otp_secret", sa.String(64), nullable=False),
        sa.Column("otp_counter", sa.BigInteger(), nullable=False),
        sa.Column("otp_sent_at", TIME, nullable=True),
        sa.Column("wrong_codes", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("line_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("receipt_number", sa.BigInteger(), nullable=False),
        sa.Column("sold_at", TIME, nullable=False),
        sa.Column("activated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("card_number", name="pk_gift_cards"),
    )
    op.create_index("ix_gift_cards_phone", "gift_cards", ["phone"])
    op.create_table(
        "gift_card_redemptions",
        sa.Column("id", ID, nullable=False, autoincrement=True),
        sa.Column("redemption_id", sa.String(36), nullable=True),
        sa.Column("card_number", sa.String(16), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("payment_id", sa.String(36), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("approval_code", sa.String(12), nullable=False),
        sa.Column("balance_after_minor", sa.BigInteger(), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("held_at", TIME, nullable=False),
        sa.Column("settled_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_gift_card_redemptions"),
        sa.UniqueConstraint("redemption_id", name="uq_gift_card_redemptions_redemption_id"),
    )
    op.create_index("ix_gift_card_redemptions_card_number", "gift_card_redemptions", ["card_number"])
    op.create_index("ix_gift_card_redemptions_status_held_at", "gift_card_redemptions", ["status", "held_at"])
    op.create_table(
        "gift_card_conflicts",
        sa.Column("id", ID, nullable=False, autoincrement=True),
        sa.Column("card_number", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("receipt_number", sa.BigInteger(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("detail", sa.String(300), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gift_card_conflicts"),
    )
    op.create_index("ix_gift_card_conflicts_card_number", "gift_card_conflicts", ["card_number"])


def downgrade() -> None:
    op.drop_index("ix_gift_card_conflicts_card_number", table_name="gift_card_conflicts")
    op.drop_table("gift_card_conflicts")
    op.drop_index("ix_gift_card_redemptions_status_held_at", table_name="gift_card_redemptions")
    op.drop_index("ix_gift_card_redemptions_card_number", table_name="gift_card_redemptions")
    op.drop_table("gift_card_redemptions")
    op.drop_index("ix_gift_cards_phone", table_name="gift_cards")
    op.drop_table("gift_cards")
