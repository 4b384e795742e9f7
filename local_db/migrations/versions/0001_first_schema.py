"""The first schema: catalog and search, cashiers, the sale journal, outbox, print queue,
open basket.

Money is INTEGER minor units (the CHECKs refuse anything else); quantities and VAT
percentages are exact decimal TEXT.  Sales are append-only: triggers abort any UPDATE or
DELETE of a sale, its lines, payments or taxes.

Revision ID: 0001
Revises:
Create Date: 2026-01-15
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _money(column: str) -> str:
    return f"{column} INTEGER NOT NULL CHECK (typeof({column}) = 'integer')"


CATALOG = [
    """
    CREATE TABLE vat_rates (
        code    TEXT PRIMARY KEY,
        percent TEXT NOT NULL                 -- exact decimal, e.g. '20' or '7.5'
    )
    """,
    f"""
    CREATE TABLE products (
        product_id     INTEGER PRIMARY KEY,   -- stable row id, the search index's key
        code           TEXT NOT NULL UNIQUE,  -- the shop's product code, or a weighed item's PLU
        name           TEXT NOT NULL,
        brand          TEXT NOT NULL DEFAULT '',
        category       TEXT NOT NULL DEFAULT '',
        {_money("price_minor")} CHECK (price_minor >= 0),
        currency       TEXT NOT NULL,
        vat_code       TEXT NOT NULL REFERENCES vat_rates (code),
        barcode        TEXT NOT NULL DEFAULT '',  -- the main barcode; every barcode is in barcodes
        sold_by_weight INTEGER NOT NULL DEFAULT 0 CHECK (sold_by_weight IN (0, 1)),
        -- name and brand in plain letters where they differ (Azerbaijani ə -> e, ı -> i), so
        -- a keyboard without those letters finds the product; '' otherwise
        plain_spelling TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TABLE barcodes (
        gtin         TEXT PRIMARY KEY,
        product_code TEXT NOT NULL REFERENCES products (code) ON DELETE CASCADE
    ) WITHOUT ROWID
    """,
    "CREATE INDEX barcodes_by_product ON barcodes (product_code)",
    """
    CREATE VIRTUAL TABLE product_search USING fts5 (
        name, brand, code, plain_spelling,
        content = 'products', content_rowid = 'product_id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3'
    )
    """,
    # Keep the search index in step with products, whoever writes them.  A bulk load
    # (local_db.catalog.load_products) puts a row in catalog_loading inside its own
    # transaction, skips these triggers and rebuilds the index once before committing.
    """
    CREATE TABLE catalog_loading (
        loading INTEGER PRIMARY KEY CHECK (loading = 1)
    )
    """,
    """
    CREATE TRIGGER products_search_insert AFTER INSERT ON products
    WHEN NOT EXISTS (SELECT 1 FROM catalog_loading) BEGIN
        INSERT INTO product_search (rowid, name, brand, code, plain_spelling)
        VALUES (new.product_id, new.name, new.brand, new.code, new.plain_spelling);
    END
    """,
    """
    CREATE TRIGGER products_search_delete AFTER DELETE ON products
    WHEN NOT EXISTS (SELECT 1 FROM catalog_loading) BEGIN
        INSERT INTO product_search (product_search, rowid, name, brand, code, plain_spelling)
        VALUES ('delete', old.product_id, old.name, old.brand, old.code, old.plain_spelling);
    END
    """,
    """
    CREATE TRIGGER products_search_update AFTER UPDATE OF name, brand, code, plain_spelling ON products
    WHEN NOT EXISTS (SELECT 1 FROM catalog_loading) BEGIN
        INSERT INTO product_search (product_search, rowid, name, brand, code, plain_spelling)
        VALUES ('delete', old.product_id, old.name, old.brand, old.code, old.plain_spelling);
        INSERT INTO product_search (rowid, name, brand, code, plain_spelling)
        VALUES (new.product_id, new.name, new.brand, new.code, new.plain_spelling);
    END
    """,
    """
    CREATE TABLE cashiers (
        code     TEXT PRIMARY KEY,
        name     TEXT NOT NULL,
        pin_hash TEXT NOT NULL,               -- argon2id
        active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
    )
    """,
]

JOURNAL = [
    """
    CREATE TABLE till_counter (
        till_id             TEXT PRIMARY KEY,
        next_receipt_number INTEGER NOT NULL CHECK (next_receipt_number >= 1)
    )
    """,
    f"""
    CREATE TABLE sales (
        sale_id        TEXT PRIMARY KEY,      -- UUID made when the basket opened
        store_id       TEXT NOT NULL,
        till_id        TEXT NOT NULL,
        receipt_number INTEGER NOT NULL CHECK (receipt_number >= 1),
        cashier_id     TEXT NOT NULL,
        cashier_name   TEXT NOT NULL,
        opened_at      TEXT NOT NULL,         -- ISO 8601 with offset
        completed_at   TEXT NOT NULL,
        currency       TEXT NOT NULL,
        {_money("total_minor")},
        {_money("rounding_minor")},
        recorded_at    TEXT NOT NULL,
        UNIQUE (till_id, receipt_number)
    )
    """,
    f"""
    CREATE TABLE sale_lines (
        sale_id        TEXT NOT NULL REFERENCES sales (sale_id),
        position       INTEGER NOT NULL,
        line_id        TEXT NOT NULL,
        product_code   TEXT NOT NULL,
        barcode        TEXT NOT NULL,
        name           TEXT NOT NULL,
        quantity       TEXT NOT NULL,         -- exact decimal
        {_money("unit_price_minor")},
        {_money("total_minor")},
        vat_code       TEXT NOT NULL,
        vat_percent    TEXT NOT NULL,
        sold_by_weight INTEGER NOT NULL CHECK (sold_by_weight IN (0, 1)),
        voided         INTEGER NOT NULL CHECK (voided IN (0, 1)),
        PRIMARY KEY (sale_id, position)
    ) WITHOUT ROWID
    """,
    f"""
    CREATE TABLE sale_payments (
        sale_id    TEXT NOT NULL REFERENCES sales (sale_id),
        position   INTEGER NOT NULL,
        payment_id TEXT NOT NULL,
        method     TEXT NOT NULL,
        {_money("amount_minor")},
        {_money("tendered_minor")},
        {_money("change_minor")},
        PRIMARY KEY (sale_id, position)
    ) WITHOUT ROWID
    """,
    f"""
    CREATE TABLE sale_taxes (
        sale_id     TEXT NOT NULL REFERENCES sales (sale_id),
        position    INTEGER NOT NULL,
        vat_code    TEXT NOT NULL,
        vat_percent TEXT NOT NULL,
        {_money("gross_minor")},
        {_money("net_minor")},
        {_money("tax_minor")},
        PRIMARY KEY (sale_id, position)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE outbox (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        sale_id    TEXT NOT NULL UNIQUE REFERENCES sales (sale_id),
        kind       TEXT NOT NULL,             -- 'kassa.sale.v1'
        payload    TEXT NOT NULL,             -- JSON: pos.codec.sale_to_dict
        created_at TEXT NOT NULL,
        acked_at   TEXT                       -- set when the hub acknowledged it
    )
    """,
    "CREATE INDEX outbox_unsent ON outbox (seq) WHERE acked_at IS NULL",
    """
    CREATE TABLE print_jobs (
        job_id     INTEGER PRIMARY KEY AUTOINCREMENT,
        sale_id    TEXT NOT NULL REFERENCES sales (sale_id),
        is_copy    INTEGER NOT NULL DEFAULT 0 CHECK (is_copy IN (0, 1)),
        attempts   INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        printed_at TEXT
    )
    """,
    "CREATE INDEX print_jobs_pending ON print_jobs (job_id) WHERE printed_at IS NULL",
    """
    CREATE TABLE open_basket (
        slot     INTEGER PRIMARY KEY CHECK (slot = 1),  -- a single row
        snapshot TEXT NOT NULL,                         -- JSON: pos.codec.basket_to_dict
        saved_at TEXT NOT NULL
    )
    """,
]

APPEND_ONLY = ("sales", "sale_lines", "sale_payments", "sale_taxes")


def _refuse(table: str, action: str) -> str:
    return f"""
    CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} BEGIN
        SELECT RAISE(ABORT, 'recorded sales cannot be changed: {table} is append-only');
    END
    """


GUARDS = [_refuse(table, action) for table in APPEND_ONLY for action in ("UPDATE", "DELETE")] + [
    """
    CREATE TRIGGER outbox_message_fixed BEFORE UPDATE OF sale_id, kind, payload ON outbox BEGIN
        SELECT RAISE(ABORT, 'an outbox message cannot be changed once written');
    END
    """,
]


def upgrade() -> None:
    for statement in CATALOG + JOURNAL + GUARDS:
        op.execute(statement)


def downgrade() -> None:
    for table in APPEND_ONLY:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    for name in (
        "open_basket", "print_jobs", "outbox", "sale_taxes", "sale_payments", "sale_lines", "sales",
        "till_counter", "cashiers", "catalog_loading", "product_search", "barcodes", "products", "vat_rates",
    ):
        op.execute(f"DROP TABLE IF EXISTS {name}")
