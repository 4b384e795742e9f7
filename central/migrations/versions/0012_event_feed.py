"""The CRM event feed and the sales flagged for review (issue 12; central/event_feed.py,
central/flagged_sales.py).

``feed_events``: one row per accepted document (a sale, a return, a shift document, a
customer's registration...), written in the transaction that stores the document; its
``position`` is NULL until a feed reader numbers it, in id order under the lock of the one
``feed_position`` row, after it committed (so a reader never skips a row committed late).
``flagged_sales``: a sale accepted with product codes the hub did not know, held from the ERP
until each code is known or mapped; ``product_code_map``: a till's code mapped to the hub's.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "feed_events",
        sa.Column("id", BIG_ID, nullable=False, autoincrement=True),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feed_events"),
        sa.UniqueConstraint("kind", "document_id", name="uq_feed_events_kind_document_id"),
    )
    op.create_index("ix_feed_events_position", "feed_events", ["position"], unique=True)
    op.create_table(
        "feed_position",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feed_position"),
    )
    op.execute("INSERT INTO feed_position (id, last) VALUES (1, 0)")
    op.create_table(
        "flagged_sales",
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("receipt_number", sa.BigInteger(), nullable=False),
        sa.Column("unknown_codes", sa.Text(), nullable=False),
        sa.Column("flagged_at", TIME, nullable=False),
        sa.Column("released_at", TIME, nullable=True),
        sa.Column("released_how", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("sale_id", name="pk_flagged_sales"),
    )
    op.create_table(
        "product_code_map",
        sa.Column("from_code", sa.String(64), nullable=False),
        sa.Column("to_code", sa.String(64), nullable=False),
        sa.Column("mapped_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("from_code", name="pk_product_code_map"),
    )


def downgrade() -> None:
    op.drop_table("product_code_map")
    op.drop_table("flagged_sales")
    op.drop_table("feed_position")
    op.drop_index("ix_feed_events_position", table_name="feed_events")
    op.drop_table("feed_events")
