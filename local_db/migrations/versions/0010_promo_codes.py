"""Promo codes at the till (issue 11): the book pulled from the hub and this till's own uses.

- ``promo_codes``: the hub's ``promo_codes`` dataset, one row per code the till can check
  offline (its promotions, window, minimum, uses allowed and known centrally at the pull,
  the per-customer limit and uses, and for a personal code argon2id hashes of the phone
  number and PIN); ``staged_promo_codes``: the pages of a pull under way.
- ``promo_code_uses_here``: each use by a sale recorded here, written by a trigger on the
  sale's outbox row, so in the journal's one transaction with the sale (the sale's message
  ``kassa.sale.v3`` carries ``promo_codes``).  ``known_centrally`` is set when a pull starts
  after the hub acknowledged the sale: from then on the hub's count includes it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_BOOK_COLUMNS = """
        code          TEXT PRIMARY KEY,
        promotion_ids TEXT NOT NULL,              -- JSON list of promotion ids
        starts        TEXT,                       -- the store's local time, ISO; NULL: from always
        ends          TEXT,                       -- excluded; NULL: never ends
        minimum       TEXT,                       -- decimal text: the basket before promotions
        uses_allowed  INTEGER,                    -- 1: one-time; NULL: unlimited
        uses_known    INTEGER NOT NULL DEFAULT 0, -- uses the hub had recorded at the pull
        per_customer  INTEGER,
        customer_uses TEXT NOT NULL DEFAULT '{}', -- JSON {customer_id: uses} at the pull
        phone_hash    TEXT NOT NULL DEFAULT '',
        pin_hash      TEXT NOT NULL DEFAULT ''"""

UPGRADE = [
    f"CREATE TABLE promo_codes ({_BOOK_COLUMNS}\n    ) WITHOUT ROWID",
    f"CREATE TABLE staged_promo_codes ({_BOOK_COLUMNS},\n        deleted INTEGER NOT NULL CHECK (deleted IN (0, 1))\n"
    "    ) WITHOUT ROWID",
    """
    CREATE TABLE promo_code_uses_here (
        sale_id         TEXT NOT NULL,
        code            TEXT NOT NULL,
        customer_id     TEXT NOT NULL,
        used_at         TEXT NOT NULL,
        known_centrally INTEGER NOT NULL DEFAULT 0 CHECK (known_centrally IN (0, 1)),
        PRIMARY KEY (sale_id, code)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX promo_code_uses_here_not_known ON promo_code_uses_here (code) WHERE known_centrally = 0",
    """
    CREATE TRIGGER promo_code_uses_of_a_sale AFTER INSERT ON outbox
    WHEN NEW.series = 'receipt' AND json_valid(NEW.payload)
         AND json_type(NEW.payload, '$.promo_codes') = 'array'
    BEGIN
        INSERT OR IGNORE INTO promo_code_uses_here (sale_id, code, customer_id, used_at)
        SELECT NEW.sale_id, value, COALESCE(json_extract(NEW.payload, '$.customer_id'), ''), NEW.created_at
        FROM json_each(NEW.payload, '$.promo_codes') WHERE type = 'text';
    END
    """,
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS promo_code_uses_of_a_sale")
    for table in ("promo_code_uses_here", "staged_promo_codes", "promo_codes"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
