"""The store's day documents: every document as received (returns, cash movements,
approvals, cancelled sales, shift openings and closings, Z reports), the returned lines
per original sale line, shift events and Z reports.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("series", sa.String(20), nullable=False),
        sa.Column("number", sa.BigInteger()),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("flag", sa.String(40)),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("document_id", name="uq_documents_document_id"),
        sa.UniqueConstraint("store_id", "till_id", "series", "number",
                            name="uq_documents_store_id_till_id_series_number"),
        sa.ForeignKeyConstraint(["store_id", "till_id"], ["tills.store_id", "tills.till_id"],
                                name="fk_documents_store_id_tills"),
    )
    op.create_table(
        "returned_lines",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("return_id", sa.String(36), nullable=False),
        sa.Column("line_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("sold_line_id", sa.String(36), nullable=False),
        sa.Column("quantity", sa.String(24), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_returned_lines"),
        sa.UniqueConstraint("line_id", name="uq_returned_lines_line_id"),
    )
    op.create_index("ix_returned_lines_sale_id", "returned_lines", ["sale_id"])
    op.create_table(
        "shift_events",
        sa.Column("shift_id", sa.String(36), nullable=False),
        sa.Column("event", sa.String(8), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("shift_id", "event", name="pk_shift_events"),
    )
    op.create_index("ix_shift_events_store_id_till_id", "shift_events", ["store_id", "till_id"])
    op.create_table(
        "z_reports",
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("z_number", sa.BigInteger(), nullable=False),
        sa.Column("shift_id", sa.String(36), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("sales_count", sa.Integer(), nullable=False),
        sa.Column("sales_total_minor", sa.BigInteger(), nullable=False),
        sa.Column("returns_count", sa.Integer(), nullable=False),
        sa.Column("returns_total_minor", sa.BigInteger(), nullable=False),
        sa.Column("expected_cash_minor", sa.BigInteger(), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_z_reports"),
        sa.UniqueConstraint("store_id", "till_id", "z_number", name="uq_z_reports_store_id_till_id_z_number"),
    )


def downgrade() -> None:
    for table in ("z_reports", "shift_events", "returned_lines", "documents"):
        op.drop_table(table)
