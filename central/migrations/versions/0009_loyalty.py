"""Loyalty points (issue 11): the chain's loyalty rules (a versioned dataset), the points
ledger, one movement per sale and kind, and each customer's balance as the customers dataset
sends it (customers.points_balance) (central/loyalty_tables.py, central/loyalty_ledger.py).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "loyalty_rules",
        sa.Column("name", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_loyalty_rules"),
    )
    op.create_index("ix_loyalty_rules_version", "loyalty_rules", ["version"], unique=True)
    op.create_table(
        "loyalty_movements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False, autoincrement=True),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("receipt_number", sa.BigInteger(), nullable=False),
        sa.Column("happened_at", TIME, nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loyalty_movements"),
        sa.UniqueConstraint("sale_id", "kind", "document_id", name="uq_loyalty_movements_sale_id_kind_document_id"),
    )
    op.create_index("ix_loyalty_movements_customer_id", "loyalty_movements", ["customer_id"])
    op.add_column("customers", sa.Column("points_balance", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("points_balance")
    op.drop_index("ix_loyalty_movements_customer_id", table_name="loyalty_movements")
    op.drop_table("loyalty_movements")
    op.drop_index("ix_loyalty_rules_version", table_name="loyalty_rules")
    op.drop_table("loyalty_rules")
