"""The card approvals of sales received as kassa.sale.v2 (central/card_approvals.py): one row
per card payment, keyed by its payment_id; never card data.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sale_card_approvals",
        sa.Column("payment_id", sa.String(36), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("approval_code", sa.String(12), nullable=False),
        sa.Column("masked_reference", sa.String(32), nullable=False),
        sa.Column("terminal_reference", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("payment_id", name="pk_sale_card_approvals"),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.sale_id"], name="fk_sale_card_approvals_sale_id_sales"),
    )
    op.create_index("ix_sale_card_approvals_sale_id", "sale_card_approvals", ["sale_id"])


def downgrade() -> None:
    op.drop_index("ix_sale_card_approvals_sale_id", table_name="sale_card_approvals")
    op.drop_table("sale_card_approvals")
