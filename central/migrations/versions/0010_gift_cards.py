"""Gift cards at the hub: cards, holds, redemptions, one-time passwords (a stub: its owner fills it in).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
