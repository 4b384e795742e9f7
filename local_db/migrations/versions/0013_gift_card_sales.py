"""What a sale records of gift cards (issue 11), so that a reprint, a return and the outbox see
what the hub received (``kassa.sale.v4``):

- ``sale_gift_cards_sold``: the cards the sale's lines sold (the line, the card's number, the
  electronic card's phone in E.164 or ""), in order;
- ``sale_gift_card_payments``: the cards its "gift_card" payments took money from (the payment,
  the card's number, the hub's hold ``redemption_id`` or NULL for an offline payment, the
  manager who approved an offline one or ""), in order.

Both are append-only like the other tables of a recorded sale; a sale recorded before has no
rows in them (it sold no gift card and took none).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("sale_gift_cards_sold", "sale_gift_card_payments")

UPGRADE = [
    """
    CREATE TABLE sale_gift_cards_sold (
        sale_id     TEXT NOT NULL,
        position    INTEGER NOT NULL,
        line_id     TEXT NOT NULL,
        card_number TEXT NOT NULL,
        phone       TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (sale_id, position)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE sale_gift_card_payments (
        sale_id       TEXT NOT NULL,
        position      INTEGER NOT NULL,
        payment_id    TEXT NOT NULL,
        card_number   TEXT NOT NULL,
        redemption_id TEXT,
        approved_by   TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (sale_id, position)
    ) WITHOUT ROWID
    """,
] + [
    f"""
    CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} BEGIN
        SELECT RAISE(ABORT, 'recorded sales cannot be changed: {table} is append-only');
    END
    """
    for table in TABLES
    for action in ("UPDATE", "DELETE")
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for table in TABLES:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        op.execute(f"DROP TABLE IF EXISTS {table}")
