"""Promotions at the till (issue 11): the hub's ``promotions`` dataset, kept as it came.

- ``promotions``: one row per promotion the till holds, its definition as the hub sent it
  (JSON text, format ``kassa.promotion.v1``, read by ``pos.pricing.definitions`` when the
  till prices a sale, never at the pull: a till upgraded later reads what it skipped before),
  the dataset version it came with, and ``problem``: why this till skipped it ('' when it
  reads it), written by the reader (``local_db.promotions``) for ``kassa status`` and the log.
- ``promotions_changes``: one row, a counter that every change of a definition moves
  (triggers), so the reader knows in one small query whether it must read them again.
- ``staged_promotions``: the pages of a pull under way (``sync.promotion_rows``), applied
  with the dataset's cursor in one transaction.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BUMP = "UPDATE promotions_changes SET generation = generation + 1 WHERE one = 1"

UPGRADE = [
    """
    CREATE TABLE promotions (
        id         TEXT PRIMARY KEY,
        definition TEXT NOT NULL,             -- JSON, as the hub sent it
        version    TEXT NOT NULL DEFAULT '',  -- the dataset's cursor it came with
        problem    TEXT NOT NULL DEFAULT ''   -- why this till skips it; '' when it reads it
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE promotions_changes (
        one        INTEGER PRIMARY KEY CHECK (one = 1),
        generation INTEGER NOT NULL
    )
    """,
    "INSERT INTO promotions_changes (one, generation) VALUES (1, 0)",
    f"CREATE TRIGGER promotions_added AFTER INSERT ON promotions BEGIN {BUMP}; END",
    f"CREATE TRIGGER promotions_changed AFTER UPDATE OF id, definition, version ON promotions BEGIN {BUMP}; END",
    f"CREATE TRIGGER promotions_removed AFTER DELETE ON promotions BEGIN {BUMP}; END",
    """
    CREATE TABLE staged_promotions (
        id         TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        version    TEXT NOT NULL,
        deleted    INTEGER NOT NULL CHECK (deleted IN (0, 1))
    ) WITHOUT ROWID
    """,
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("promotions_added", "promotions_changed", "promotions_removed"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("staged_promotions", "promotions_changes", "promotions"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
