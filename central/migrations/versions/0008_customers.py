"""Customers (issue 11): the chain's customers, the key of their phone numbers' keyed hash,
and the registrations the tills sent (central/customer_tables.py).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def _versioned(name: str, *columns: sa.Column, pk: list[str]) -> None:
    op.create_table(
        name, *columns,
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint(*pk, name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_version", name, ["version"], unique=True)


def upgrade() -> None:
    _versioned(
        "customers",
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("phone_key", sa.String(64), nullable=False, server_default=""),
        sa.Column("card", sa.String(64)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tier", sa.String(40), nullable=False, server_default=""),
        sa.Column("segment", sa.String(40), nullable=False, server_default=""),
        sa.Column("customer_group", sa.String(40), nullable=False, server_default=""),
        sa.Column("birthday", sa.Date()),
        sa.Column("offers", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("wishlist", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("created_at", TIME, nullable=False),
        sa.UniqueConstraint("phone", name="uq_customers_phone"),
        sa.UniqueConstraint("card", name="uq_customers_card"),
        pk=["customer_id"],
    )
    _versioned(
        "customer_keys",
        sa.Column("key_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("key", sa.String(64), nullable=False),
        pk=["key_id"],
    )
    op.create_table(
        "customer_registrations",
        sa.Column("registration_id", sa.String(36), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("detail", sa.String(300), nullable=False, server_default=""),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("registration_id", name="pk_customer_registrations"),
    )
    op.create_index("ix_customer_registrations_customer_id", "customer_registrations", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_customer_registrations_customer_id", table_name="customer_registrations")
    op.drop_table("customer_registrations")
    for name in ("customer_keys", "customers"):
        op.drop_index(f"ix_{name}_version", table_name=name)
        op.drop_table(name)
