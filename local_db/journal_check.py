"""An audit of the sale journal and the store's day documents: what a crash, a bug or a hand
edit could have broken.

``journal_check(db)`` returns one plain sentence per problem (an empty list when the
journal is sound).  It is used after the crash soak test and can back a maintenance screen.
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.outbox import MISSING_DOCUMENT_CHECKS, MISSING_MESSAGE_CHECK
from local_db.problems import explain

MAX_REPORTED = 50  # per kind of problem

# (sentence, query yielding the values for the sentence)
CHECKS: tuple[tuple[str, str], ...] = (
    (
        "till {0}: receipt {1} follows receipt {2} (numbers must have no gaps)",
        "SELECT till_id, receipt_number, prev FROM (SELECT till_id, receipt_number, "
        "LAG(receipt_number, 1, 0) OVER (PARTITION BY till_id ORDER BY receipt_number) AS prev FROM sales) "
        "WHERE receipt_number != prev + 1",
    ),
    (
        "till {0}: the next receipt number is {1}, but the last recorded receipt is {2}",
        "SELECT c.till_id, c.next_receipt_number, COALESCE(MAX(s.receipt_number), 0) FROM till_counter c "
        "LEFT JOIN sales s ON s.till_id = c.till_id GROUP BY c.till_id "
        "HAVING c.next_receipt_number != COALESCE(MAX(s.receipt_number), 0) + 1",
    ),
    (
        "till {0}: receipts were recorded but the till has no receipt counter",
        "SELECT DISTINCT till_id FROM sales WHERE till_id NOT IN (SELECT till_id FROM till_counter)",
    ),
    (
        "sale {0} (receipt {1}) has no lines",
        "SELECT sale_id, receipt_number FROM sales s WHERE NOT EXISTS "
        "(SELECT 1 FROM sale_lines l WHERE l.sale_id = s.sale_id)",
    ),
    (
        "sale {0} (receipt {1}) has no payments",
        "SELECT sale_id, receipt_number FROM sales s WHERE NOT EXISTS "
        "(SELECT 1 FROM sale_payments p WHERE p.sale_id = s.sale_id)",
    ),
    (
        "sale {0} (receipt {1}): the total {2} is not the sum of its lines {3} (minor units)",
        "SELECT s.sale_id, s.receipt_number, s.total_minor, COALESCE(SUM(l.total_minor), 0) FROM sales s "
        "LEFT JOIN sale_lines l ON l.sale_id = s.sale_id AND l.voided = 0 GROUP BY s.sale_id "
        "HAVING s.total_minor != COALESCE(SUM(l.total_minor), 0)",
    ),
    (
        "sale {0} (receipt {1}): payments of {2} do not settle the {3} due (minor units)",
        "SELECT s.sale_id, s.receipt_number, COALESCE(SUM(p.amount_minor), 0), s.total_minor + s.rounding_minor "
        "FROM sales s LEFT JOIN sale_payments p ON p.sale_id = s.sale_id GROUP BY s.sale_id "
        "HAVING COALESCE(SUM(p.amount_minor), 0) != s.total_minor + s.rounding_minor",
    ),
    (
        "sale {0} (receipt {1}): the VAT breakdown covers {2}, not the total {3} (minor units)",
        "SELECT s.sale_id, s.receipt_number, COALESCE(SUM(t.gross_minor), 0), s.total_minor FROM sales s "
        "LEFT JOIN sale_taxes t ON t.sale_id = s.sale_id GROUP BY s.sale_id "
        "HAVING COALESCE(SUM(t.gross_minor), 0) != s.total_minor",
    ),
    (
        "sale {0}: VAT line {1} has net {2} + VAT {3} != gross {4} (minor units)",
        "SELECT sale_id, vat_code, net_minor, tax_minor, gross_minor FROM sale_taxes "
        "WHERE net_minor + tax_minor != gross_minor",
    ),
    (
        "sale {0}: a payment of {1} with {2} tendered gives {3} change (minor units)",
        "SELECT sale_id, amount_minor, tendered_minor, change_minor FROM sale_payments "
        "WHERE tendered_minor - amount_minor != change_minor",
    ),
    MISSING_MESSAGE_CHECK,  # the outbox's own (local_db/outbox.py)
    (
        "sale {0} (receipt {1}) never had a receipt print job",
        "SELECT sale_id, receipt_number FROM sales s WHERE NOT EXISTS "
        "(SELECT 1 FROM print_jobs j WHERE j.sale_id = s.sale_id AND j.is_copy = 0)",
    ),
)


def _gapless(what: str, table: str, column: str) -> tuple[str, str]:
    return (
        f"till {{0}}: {what} {{1}} follows {what} {{2}} (numbers must have no gaps)",
        f"SELECT till_id, {column}, prev FROM (SELECT till_id, {column}, "
        f"LAG({column}, 1, 0) OVER (PARTITION BY till_id ORDER BY {column}) AS prev FROM {table}) "
        f"WHERE {column} != prev + 1",
    )


# The store's day documents (schema 0007 and later; a file opened as it is may be older).
DOCUMENT_CHECKS: tuple[tuple[str, str], ...] = (
    _gapless("return", "returns", "return_number"),
    _gapless("cash movement", "cash_movements", "number"),
    _gapless("Z report", "z_reports", "z_number"),
    ("return {0} has no lines", "SELECT return_id FROM returns r WHERE NOT EXISTS "
                                "(SELECT 1 FROM return_lines l WHERE l.return_id = r.return_id)"),
    ("return {0} is an unchecked return of sale {1} (kassa.return.v2) but names a sold line: it must be "
     "goods scanned back only",
     "SELECT r.return_id, json_extract(r.body, '$.unchecked_sale_id') FROM returns r "
     "WHERE json_extract(r.body, '$.unchecked_sale_id') IS NOT NULL AND (r.original_sale_id IS NOT NULL OR EXISTS "
     "(SELECT 1 FROM return_lines l WHERE l.return_id = r.return_id AND l.sold_line_id IS NOT NULL))"),
    ("shift {0} was closed without its Z report", "SELECT shift_id FROM shifts s WHERE event = 'closed' AND NOT EXISTS "
                                                  "(SELECT 1 FROM z_reports z WHERE z.shift_id = s.shift_id)"),
    *MISSING_DOCUMENT_CHECKS,
)


def journal_check(db: Database) -> list[str]:
    """Every problem found in the journal, as sentences; [] when all is well."""
    try:
        with db.reading() as conn:
            return _run_checks(conn)
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing="checking the sale journal") from error


def _run_checks(conn: Connection) -> list[str]:
    problems: list[str] = []
    has_documents = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'returns'").first() is not None
    for sentence, query in CHECKS + (DOCUMENT_CHECKS if has_documents else ()):
        rows = conn.exec_driver_sql(f"{query} LIMIT {MAX_REPORTED + 1}").fetchall()
        problems.extend(sentence.format(*row) for row in rows[:MAX_REPORTED])
        if len(rows) > MAX_REPORTED:
            problems.append(f"... and more like: {sentence.format(*rows[-1])}")
    return problems
