"""Promotions (issue 11): the promotion definitions head office sets (``kassa-hub
set-promotions``, ``PUT /v1/promotions``), each its ``kassa.promotion.v1`` JSON, versioned like
the other datasets (central/promotion_tables.py, central/promotions.py).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promotions",
        sa.Column("promotion_id", sa.String(64), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("promotion_id", name="pk_promotions"),
    )
    op.create_index("ix_promotions_version", "promotions", ["version"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_promotions_version", table_name="promotions")
    op.drop_table("promotions")
