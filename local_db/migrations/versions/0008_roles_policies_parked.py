"""Roles, the chain's store-day policies, and parked sales (issue 9).

- ``cashiers.role`` (and ``staged_cashiers.role`` for the pull): cashier, senior_cashier or
  manager.  Every existing cashier becomes a ``cashier``: nobody gains a right by upgrading.
- ``store_policies``: what head office sets for the store's day, one JSON body per name
  (``permissions``, ``reasons``, ``denominations``), filled by the pull of the ``policies``
  dataset (``staged_store_policies`` while a pull is under way).  Empty: the defaults of
  ``pos.store_day``.
- ``parked_sales``: open baskets a cashier put aside to recall later, as their JSON snapshot
  (``pos.codec.basket_to_dict``).  Recalling deletes the row in the same transaction that
  makes it the open basket, so a parked sale is never sold twice.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ROLES = "('cashier', 'senior_cashier', 'manager')"

UPGRADE = [
    f"ALTER TABLE cashiers ADD COLUMN role TEXT NOT NULL DEFAULT 'cashier' CHECK (role IN {ROLES})",
    f"ALTER TABLE staged_cashiers ADD COLUMN role TEXT NOT NULL DEFAULT 'cashier' CHECK (role IN {ROLES})",
    """
    CREATE TABLE store_policies (
        name TEXT PRIMARY KEY CHECK (name IN ('permissions', 'reasons', 'denominations')),
        body TEXT NOT NULL,                   -- JSON, as the hub sent it
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE staged_store_policies (
        name    TEXT PRIMARY KEY,
        body    TEXT NOT NULL,
        deleted INTEGER NOT NULL,
        in_pull INTEGER NOT NULL DEFAULT 0    -- 1: staged by the pull under way (see staged_cursors)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE parked_sales (
        basket_id  TEXT PRIMARY KEY,
        cashier_id TEXT NOT NULL,
        parked_at  TEXT NOT NULL,
        item_count TEXT NOT NULL,             -- Decimal as text, for the recall list
        total      INTEGER NOT NULL CHECK (typeof(total) = 'integer'),  -- minor units
        body       TEXT NOT NULL              -- pos.codec.basket_to_dict
    ) WITHOUT ROWID
    """,
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for table in ("parked_sales", "staged_store_policies", "store_policies"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute("ALTER TABLE staged_cashiers DROP COLUMN role")
    op.execute("ALTER TABLE cashiers DROP COLUMN role")
