"""Promo codes (issue 11): the codes head office makes, with their rules, and each use of a
code recorded from a stored sale (central/promo_codes.py, central/promo_code_uses.py).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promo_codes",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("promotion_ids", sa.Text(), nullable=False),
        sa.Column("starts", sa.String(19)),
        sa.Column("ends", sa.String(19)),
        sa.Column("minimum", sa.String(24)),
        sa.Column("uses_allowed", sa.Integer()),
        sa.Column("per_customer", sa.Integer()),
        sa.Column("phone_hash", sa.String(200), nullable=False, server_default=""),
        sa.Column("pin_hash", sa.String(200), nullable=False, server_default=""),
        sa.Column("uses", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("customer_uses", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_promo_codes"),
    )
    op.create_index("ix_promo_codes_version", "promo_codes", ["version"], unique=True)
    op.create_table(
        "promo_code_uses",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False, autoincrement=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conflict", sa.String(300)),
        sa.PrimaryKeyConstraint("id", name="pk_promo_code_uses"),
        sa.UniqueConstraint("sale_id", "code", name="uq_promo_code_uses_sale_id_code"),
    )
    op.create_index("ix_promo_code_uses_code", "promo_code_uses", ["code"])


def downgrade() -> None:
    op.drop_index("ix_promo_code_uses_code", table_name="promo_code_uses")
    op.drop_table("promo_code_uses")
    op.drop_index("ix_promo_codes_version", table_name="promo_codes")
    op.drop_table("promo_codes")
