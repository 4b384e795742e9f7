"""A pull resumes where it stopped: each dataset's last staged page is remembered (its cursor,
whether it was the last page, and where the pages came from), and each staged row says whether
it belongs to the pull in progress or was kept by an applied pull, waiting for data it needs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

STAGED_TABLES = ("staged_products", "staged_prices", "staged_barcodes", "staged_taxes", "staged_cashiers")

# Written in the same transaction as the staged rows of the page it names; emptied by the
# apply that moves ``sync_cursors`` (in the same transaction as well).
STAGED_CURSORS = """
    CREATE TABLE staged_cursors (
        dataset  TEXT PRIMARY KEY,            -- products, barcodes, prices, taxes, cashiers
        cursor   TEXT NOT NULL,               -- the hub's version of the last staged item
        snapshot TEXT NOT NULL,
        complete INTEGER NOT NULL CHECK (complete IN (0, 1)),  -- that page said more=false
        origin   TEXT NOT NULL                -- hub, enrolment and schema the pages came under
    ) WITHOUT ROWID
"""


def upgrade() -> None:
    op.execute(STAGED_CURSORS)
    # rows staged before this revision were either kept by an applied pull or staged by a
    # pull that failed, which starts again from the applied cursors and brings them again
    for table in STAGED_TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN in_pull INTEGER NOT NULL DEFAULT 0")


def downgrade() -> None:
    for table in STAGED_TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN in_pull")
    op.execute("DROP TABLE IF EXISTS staged_cursors")
