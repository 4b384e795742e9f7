"""The sign-in audit: every attempt to sign in (when, the cashier number typed, the outcome;
never the PIN), from which the lockout after repeated wrong PINs is worked out, so it
survives a restart of the till.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SIGN_IN_ATTEMPTS = """
    CREATE TABLE sign_in_attempts (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        at           TEXT NOT NULL,            -- ISO 8601 with its UTC offset, the till's clock
        cashier_code TEXT NOT NULL,            -- as typed (known or not), at most 40 characters
        outcome      TEXT NOT NULL CHECK (outcome IN
                         ('signed_in', 'wrong_pin', 'locked_out', 'refused_locked', 'pin_too_short')),
        locked_until TEXT                      -- set when this wrong PIN started a lockout
    )
"""


def upgrade() -> None:
    op.execute(SIGN_IN_ATTEMPTS)
    op.execute("CREATE INDEX sign_in_attempts_by_code ON sign_in_attempts (cashier_code, id)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS sign_in_attempts")
