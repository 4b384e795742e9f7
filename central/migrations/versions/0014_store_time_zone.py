"""Each store's time zone (``stores.time_zone``, an IANA name such as ``Europe/Kyiv``): the ERP
books a sale and a Z report's cash session on the store's local date (central/stores.py).
Stores made before it have none (null): they follow ``$KASSA_HUB_TIMEZONE``, else Europe/Kyiv.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stores", sa.Column("time_zone", sa.String(64), nullable=True))


def downgrade() -> None:
    # a plain ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy of ``stores`` would drop the table
    # the tills' and cashiers' foreign keys point at
    op.drop_column("stores", "time_zone")
