"""The ERP connector's outbound queue (issue 12): ``erp_outbox``, one row per document the ERP
must receive, with its state, attempts and the worker's claim; ``erp_connection``, where the ERP
is (never its password) (central/erp/outbox.py); ``erp_pull_cursors``, how far the master-data
pull read each ERP model (central/erp/master_cursors.py).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "erp_outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TIME, nullable=False),
        sa.Column("claimed_by", sa.String(80), nullable=True),
        sa.Column("claimed_until", TIME, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("erp_reference", sa.String(80), nullable=True),
        sa.Column("queued_at", TIME, nullable=False),
        sa.Column("delivered_at", TIME, nullable=True),
        sa.Column("source_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_erp_outbox"),
        sa.UniqueConstraint("kind", "document_id", name="uq_erp_outbox_kind_document_id"),
    )
    op.create_index("ix_erp_outbox_state_next_attempt_at", "erp_outbox", ["state", "next_attempt_at"])
    op.create_index("ix_erp_outbox_kind_source_id", "erp_outbox", ["kind", "source_id"])
    op.create_table(
        "erp_connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("url", sa.String(300), nullable=False),
        sa.Column("database_name", sa.String(100), nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("saved_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_erp_connection"),
    )
    op.create_table(  # the master-data pull's cursor per ERP model (central/erp/master_cursors.py)
        "erp_pull_cursors",
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("written_at", sa.String(32), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("pulled_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("model", name="pk_erp_pull_cursors"),
    )


def downgrade() -> None:
    op.drop_table("erp_pull_cursors")
    op.drop_table("erp_connection")
    op.drop_index("ix_erp_outbox_kind_source_id", table_name="erp_outbox")
    op.drop_index("ix_erp_outbox_state_next_attempt_at", table_name="erp_outbox")
    op.drop_table("erp_outbox")
