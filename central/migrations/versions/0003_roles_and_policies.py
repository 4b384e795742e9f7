"""Cashier roles and the store's day policies (issue 9).

- ``cashiers.role``: cashier, senior_cashier or manager; every existing cashier becomes a
  ``cashier`` (nobody gains a right by an upgrade).  Nothing else changes for them: their
  versions stay, so tills get the role with the next change of that cashier.
- ``policies``: head office's permission table, reason codes and denominations per store
  (versioned like the other datasets; ``kassa-hub set-policy``).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cashiers") as batch:
        batch.add_column(sa.Column("role", sa.String(20), nullable=False, server_default="cashier"))
    op.create_table(
        "policies",
        sa.Column("store_id", sa.String(64), sa.ForeignKey("stores.store_id", name="fk_policies_store_id_stores"),
                  nullable=False),
        sa.Column("name", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "name", name="pk_policies"),
    )
    op.create_index("ix_policies_version", "policies", ["version"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_policies_version", table_name="policies")
    op.drop_table("policies")
    with op.batch_alter_table("cashiers") as batch:
        batch.drop_column("role")
