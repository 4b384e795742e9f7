"""The store's day (issue 9): shifts, cash movements, manager approvals, cancelled sales,
returns with their lines and refunds, card approvals of payments, Z reports and the card
payments in flight; counters for the return, cash movement and Z series beside the receipt
counter; and an outbox of documents, not only of sales.

Each recorded document keeps its JSON form (``pos.store_day.forms``, exactly what goes to
the hub) in ``body`` beside the columns the till looks things up by; amounts in those
columns are INTEGER minor units.  Every document table is append-only (triggers, as on
sales); only the card payment log is written twice (remembered, then settled).

The outbox is rebuilt: a row names its document (``document_id``, ``kind`` = its schema,
``series``, ``number``).  A sale's row keeps ``sale_id`` and gets document_id = sale_id,
series "receipt" and its receipt number; every row keeps its row_id, order, attempts,
acknowledgement and quarantine.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _money(column: str, *, null: bool = False) -> str:
    if null:
        return f"{column} INTEGER CHECK ({column} IS NULL OR typeof({column}) = 'integer')"
    return f"{column} INTEGER NOT NULL CHECK (typeof({column}) = 'integer')"


COUNTERS = [
    f"ALTER TABLE till_counter ADD COLUMN {name} INTEGER NOT NULL DEFAULT 1 CHECK ({name} >= 1)"
    for name in ("next_return_number", "next_cash_movement_number", "next_z_number")
]

DOCUMENTS = [
    """
    CREATE TABLE shifts (
        shift_id  TEXT NOT NULL,
        event     TEXT NOT NULL CHECK (event IN ('opened', 'closed')),
        till_id   TEXT NOT NULL,
        by_whom   TEXT NOT NULL,
        at        TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        body      TEXT NOT NULL,              -- JSON: kassa.shift.v1
        PRIMARY KEY (shift_id, event)
    ) WITHOUT ROWID
    """,
    f"""
    CREATE TABLE cash_movements (
        movement_id TEXT PRIMARY KEY,
        shift_id    TEXT NOT NULL,
        till_id     TEXT NOT NULL,
        number      INTEGER NOT NULL CHECK (number >= 1),
        direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        {_money("amount_minor")} CHECK (amount_minor > 0),
        currency    TEXT NOT NULL,
        at          TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        body        TEXT NOT NULL,            -- JSON: kassa.cash_movement.v1
        UNIQUE (till_id, number)
    )
    """,
    "CREATE INDEX cash_movements_by_shift ON cash_movements (shift_id)",
    f"""
    CREATE TABLE approvals (
        approval_id  TEXT PRIMARY KEY,        -- an approval is used once: a replay is refused here too
        action       TEXT NOT NULL,
        {_money("amount_minor", null=True)},
        sale_id      TEXT,
        requested_by TEXT NOT NULL,
        approved_by  TEXT NOT NULL CHECK (approved_by != requested_by),
        approved_at  TEXT NOT NULL,
        recorded_at  TEXT NOT NULL,
        body         TEXT NOT NULL            -- JSON: kassa.approval.v1
    )
    """,
    f"""
    CREATE TABLE cancelled_sales (
        sale_id      TEXT PRIMARY KEY,
        cashier_id   TEXT NOT NULL,
        cancelled_at TEXT NOT NULL,
        {_money("total_minor")},
        recorded_at  TEXT NOT NULL,
        body         TEXT NOT NULL            -- JSON: kassa.sale_cancelled.v1
    )
    """,
    f"""
    CREATE TABLE returns (
        return_id        TEXT PRIMARY KEY,
        till_id          TEXT NOT NULL,
        return_number    INTEGER NOT NULL CHECK (return_number >= 1),
        original_sale_id TEXT,                -- NULL: a return without receipt
        exchange_sale_id TEXT REFERENCES sales (sale_id),
        returned_at      TEXT NOT NULL,
        currency         TEXT NOT NULL,
        {_money("total_minor")},
        {_money("rounding_minor")},
        recorded_at      TEXT NOT NULL,
        body             TEXT NOT NULL,       -- JSON: kassa.return.v1
        UNIQUE (till_id, return_number)
    )
    """,
    "CREATE INDEX returns_of_sale ON returns (original_sale_id) WHERE original_sale_id IS NOT NULL",
    f"""
    CREATE TABLE return_lines (
        return_id    TEXT NOT NULL REFERENCES returns (return_id),
        position     INTEGER NOT NULL,
        line_id      TEXT NOT NULL,
        sold_line_id TEXT,
        quantity     TEXT NOT NULL,           -- exact decimal
        {_money("total_minor")},
        PRIMARY KEY (return_id, position)
    ) WITHOUT ROWID
    """,
    f"""
    CREATE TABLE refunds (
        return_id           TEXT NOT NULL REFERENCES returns (return_id),
        position            INTEGER NOT NULL,
        payment_id          TEXT NOT NULL,
        method              TEXT NOT NULL,
        {_money("amount_minor")},
        original_payment_id TEXT,
        PRIMARY KEY (return_id, position)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE card_approvals (
        payment_id         TEXT PRIMARY KEY,  -- the sale's (or refund's) payment the terminal approved
        document_id        TEXT NOT NULL,     -- the sale or return it belongs to
        approval_code      TEXT NOT NULL,
        masked_reference   TEXT NOT NULL,     -- '**** 1234': never card data
        terminal_reference TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE z_reports (
        shift_id    TEXT PRIMARY KEY,
        till_id     TEXT NOT NULL,
        z_number    INTEGER NOT NULL CHECK (z_number >= 1),
        recorded_at TEXT NOT NULL,
        body        TEXT NOT NULL,            -- JSON: kassa.z_report.v1
        UNIQUE (till_id, z_number)
    ) WITHOUT ROWID
    """,
    f"""
    CREATE TABLE card_payments (
        payment_id    TEXT PRIMARY KEY,       -- chosen and written down before the terminal is asked
        {_money("amount_minor")},
        currency      TEXT NOT NULL,
        remembered_at TEXT NOT NULL,
        settled_at    TEXT,                   -- NULL while pending ("check the terminal")
        outcome       TEXT                    -- the settled result's kind
    ) WITHOUT ROWID
    """,
    "CREATE INDEX card_payments_pending ON card_payments (remembered_at) WHERE settled_at IS NULL",
]

APPEND_ONLY = ("shifts", "cash_movements", "approvals", "cancelled_sales", "returns", "return_lines", "refunds",
               "card_approvals", "z_reports")


def _refuse(table: str, action: str) -> str:
    return f"""
    CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} BEGIN
        SELECT RAISE(ABORT, 'recorded documents cannot be changed: {table} is append-only');
    END
    """


GUARDS = [_refuse(table, action) for table in APPEND_ONLY for action in ("UPDATE", "DELETE")] + [
    """
    CREATE TRIGGER card_payments_settled_once BEFORE UPDATE ON card_payments
    WHEN old.settled_at IS NOT NULL OR new.payment_id != old.payment_id OR new.amount_minor != old.amount_minor
    BEGIN
        SELECT RAISE(ABORT, 'a settled card payment cannot be changed');
    END
    """,
    """
    CREATE TRIGGER card_payments_no_delete BEFORE DELETE ON card_payments BEGIN
        SELECT RAISE(ABORT, 'a card payment cannot be forgotten');
    END
    """,
]

OUTBOX_COLUMNS = ("attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, quarantined_at TEXT, "
                  "quarantine_reason TEXT")

DOCUMENT_OUTBOX = [
    f"""
    CREATE TABLE outbox_of_documents (
        row_id      INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id TEXT NOT NULL UNIQUE,     -- the hub's idempotency key (a sale's sale_id)
        kind        TEXT NOT NULL,            -- its schema: 'kassa.sale.v1', 'kassa.return.v1'...
        series      TEXT NOT NULL,            -- 'receipt', 'return', 'cash_movement', 'z_report', ...
        number      INTEGER NOT NULL CHECK (number >= 0),  -- gapless in a numbered series, else 0
        sale_id     TEXT UNIQUE REFERENCES sales (sale_id),  -- a sale's row only
        payload     TEXT NOT NULL,            -- JSON
        created_at  TEXT NOT NULL,
        acked_at    TEXT,
        {OUTBOX_COLUMNS},
        CHECK ((series = 'receipt') = (sale_id IS NOT NULL)),
        CHECK (sale_id IS NULL OR sale_id = document_id)
    )
    """,
    "INSERT INTO outbox_of_documents (row_id, document_id, kind, series, number, sale_id, payload, created_at, "
    "acked_at, attempts, last_error, quarantined_at, quarantine_reason) "
    "SELECT o.row_id, o.sale_id, o.kind, 'receipt', s.receipt_number, o.sale_id, o.payload, o.created_at, "
    "o.acked_at, o.attempts, o.last_error, o.quarantined_at, o.quarantine_reason "
    "FROM outbox o JOIN sales s ON s.sale_id = o.sale_id ORDER BY o.row_id",
    "DROP TABLE outbox",
    "ALTER TABLE outbox_of_documents RENAME TO outbox",
]

OUTBOX_INDEXES = [
    "CREATE INDEX outbox_unsent ON outbox (row_id) WHERE acked_at IS NULL",
    "CREATE INDEX outbox_waiting ON outbox (row_id) WHERE acked_at IS NULL AND quarantined_at IS NULL",
]

DOCUMENT_OUTBOX_AFTER = OUTBOX_INDEXES + [
    """
    CREATE TRIGGER outbox_message_fixed
    BEFORE UPDATE OF document_id, kind, series, number, sale_id, payload ON outbox BEGIN
        SELECT RAISE(ABORT, 'an outbox message cannot be changed once written');
    END
    """,
]

SALE_OUTBOX = [  # the outbox as 0006 had it, for a downgrade (documents other than sales are left out)
    f"""
    CREATE TABLE outbox_of_sales (
        row_id     INTEGER PRIMARY KEY AUTOINCREMENT,
        sale_id    TEXT NOT NULL UNIQUE REFERENCES sales (sale_id),
        kind       TEXT NOT NULL,
        payload    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        acked_at   TEXT,
        {OUTBOX_COLUMNS}
    )
    """,
    "INSERT INTO outbox_of_sales (row_id, sale_id, kind, payload, created_at, acked_at, attempts, last_error, "
    "quarantined_at, quarantine_reason) SELECT row_id, sale_id, kind, payload, created_at, acked_at, attempts, "
    "last_error, quarantined_at, quarantine_reason FROM outbox WHERE series = 'receipt' ORDER BY row_id",
    "DROP TABLE outbox",
    "ALTER TABLE outbox_of_sales RENAME TO outbox",
    *OUTBOX_INDEXES,
    """
    CREATE TRIGGER outbox_message_fixed BEFORE UPDATE OF sale_id, kind, payload ON outbox BEGIN
        SELECT RAISE(ABORT, 'an outbox message cannot be changed once written');
    END
    """,
]


def upgrade() -> None:
    for statement in COUNTERS + DOCUMENTS + GUARDS + DOCUMENT_OUTBOX + DOCUMENT_OUTBOX_AFTER:
        op.execute(statement)


def downgrade() -> None:
    for statement in SALE_OUTBOX:
        op.execute(statement)
    op.execute("DROP TRIGGER IF EXISTS card_payments_settled_once")
    op.execute("DROP TRIGGER IF EXISTS card_payments_no_delete")
    for table in APPEND_ONLY:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    for table in ("card_payments", "z_reports", "card_approvals", "refunds", "return_lines", "returns",
                  "cancelled_sales", "approvals", "cash_movements", "shifts"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    for name in ("next_z_number", "next_cash_movement_number", "next_return_number"):
        op.execute(f"ALTER TABLE till_counter DROP COLUMN {name}")
