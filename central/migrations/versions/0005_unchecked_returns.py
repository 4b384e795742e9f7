"""Unchecked returns (kassa.return.v2): their lines, reconciled against the sale their
receipt named (central/reconciling.py), and the flag on returned_lines marking the shares of
those lines that count against a sold line.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("returned_lines", sa.Column("unchecked", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "unchecked_lines",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False, autoincrement=True),
        sa.Column("return_id", sa.String(36), nullable=False),
        sa.Column("line_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("product_code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("quantity", sa.String(24), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("matched", sa.String(24), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(300)),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unchecked_lines"),
        sa.UniqueConstraint("line_id", name="uq_unchecked_lines_line_id"),
    )
    op.create_index("ix_unchecked_lines_sale_id", "unchecked_lines", ["sale_id"])


def downgrade() -> None:
    op.drop_index("ix_unchecked_lines_sale_id", table_name="unchecked_lines")
    op.drop_table("unchecked_lines")
    with op.batch_alter_table("returned_lines") as batch:
        batch.drop_column("unchecked")
