"""The till's log of gift card redemptions asked of the hub, and the ``gift_cards`` policy.

- ``gift_card_redemptions``: one row per hold the till asks the hub for, written (durably)
  BEFORE the hub is asked, under the id ``uuid5(namespace, "{basket_id}/gift/{turn}")``: a
  crash or a lost answer asks the same id again, and the hub never holds twice.  ``outcome``
  is NULL while the answer is not known, then ``held`` (with the hub's approval code and the
  balance after), ``refused`` (nothing held: a wrong code, not enough on the card...) or
  ``released`` (the hold given back: the tender removed, paying cancelled).  Only
  NULL -> any and held -> released change it; a row is never deleted.  The card number is
  kept (the sale records it too); the one-time code never is.
- ``store_policies`` accepts the name ``gift_cards`` (the table is rebuilt: SQLite cannot
  change a CHECK in place).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _policies(table: str, names: str) -> str:
    return f"""
    CREATE TABLE {table} (
        name TEXT PRIMARY KEY CHECK (name IN ({names})),
        body TEXT NOT NULL,                   -- JSON, as the hub sent it
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    ) WITHOUT ROWID
    """


OLD_NAMES = "'permissions', 'reasons', 'denominations'"
NEW_NAMES = OLD_NAMES + ", 'gift_cards'"

UPGRADE = [
    """
    CREATE TABLE gift_card_redemptions (
        redemption_id  TEXT PRIMARY KEY,      -- uuid5 of the basket and the turn: asked again the same
        basket_id      TEXT NOT NULL,         -- the sale's id once paid
        turn           INTEGER NOT NULL CHECK (typeof(turn) = 'integer' AND turn >= 0),
        card_number    TEXT NOT NULL CHECK (length(card_number) = 16),
        amount_minor   INTEGER NOT NULL CHECK (typeof(amount_minor) = 'integer' AND amount_minor > 0),
        currency       TEXT NOT NULL,
        asked_at       TEXT NOT NULL,
        outcome        TEXT CHECK (outcome IN ('held', 'refused', 'released')),  -- NULL: no answer yet
        answered_at    TEXT,
        approval_code  TEXT,                  -- the hub's, when held
        balance_after_minor INTEGER,          -- the card's balance after the hold, as the hub said
        refusal        TEXT,                  -- the kind of refusal, when refused
        UNIQUE (basket_id, turn)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER gift_card_redemptions_outcome BEFORE UPDATE ON gift_card_redemptions
    WHEN new.redemption_id != old.redemption_id OR new.basket_id != old.basket_id OR new.turn != old.turn
      OR new.card_number != old.card_number OR new.amount_minor != old.amount_minor
      OR new.currency != old.currency
      OR NOT (old.outcome IS NULL OR (old.outcome = 'held' AND new.outcome = 'released'))
    BEGIN
        SELECT RAISE(ABORT, 'a gift card redemption only goes from asked to an outcome, or from held to released');
    END
    """,
    """
    CREATE TRIGGER gift_card_redemptions_no_delete BEFORE DELETE ON gift_card_redemptions BEGIN
        SELECT RAISE(ABORT, 'a gift card redemption cannot be forgotten');
    END
    """,
    _policies("store_policies_next", NEW_NAMES),
    "INSERT INTO store_policies_next (name, body, deleted) SELECT name, body, deleted FROM store_policies",
    "DROP TABLE store_policies",
    "ALTER TABLE store_policies_next RENAME TO store_policies",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS gift_card_redemptions_outcome")
    op.execute("DROP TRIGGER IF EXISTS gift_card_redemptions_no_delete")
    op.execute("DROP TABLE IF EXISTS gift_card_redemptions")
    op.execute(_policies("store_policies_before", OLD_NAMES))
    op.execute("INSERT INTO store_policies_before (name, body, deleted) SELECT name, body, deleted "
               "FROM store_policies WHERE name != 'gift_cards'")
    op.execute("DROP TABLE store_policies")
    op.execute("ALTER TABLE store_policies_before RENAME TO store_policies")
    op.execute("DELETE FROM staged_store_policies WHERE name = 'gift_cards'")
