"""The till's book of promo codes (the hub's ``promo_codes`` dataset) and this till's own uses
since its last pull: the ``PromoCodeBook`` the code desk checks codes against, offline too.

This till's uses are written by a trigger on the sale's outbox row (migration 0010), so in the
journal's one transaction with the sale: a sale is recorded with its uses or not at all.  A
use counts here until a pull that started after the hub acknowledged its sale is applied:
from then on the hub's count (``uses_known``) includes it.  A PIN or phone number typed is
checked against the code's argon2id hashes here (the parameters of the cashiers' PINs).

A pull stages its pages (:func:`stage_promo_codes`, with the dataset's cursor in the same
transaction) and applies them with the new cursor in one transaction (:func:`apply_promo_codes`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from local_db.database import Database
from local_db.reference_data import Cursor
from local_db.small_datasets import stage_page
from pos.money import Money
from pos.pricing.codes import CodeEntry, UsesHere

log = logging.getLogger(__name__)

DATASET = "promo_codes"
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
COLUMNS = ("code", "promotion_ids", "starts", "ends", "minimum", "uses_allowed", "uses_known", "per_customer",
           "customer_uses", "phone_hash", "pin_hash")
_MARKS = ", ".join("?" * (len(COLUMNS) + 1))
_STAGE = (f"INSERT INTO staged_promo_codes ({', '.join(COLUMNS)}, deleted) VALUES ({_MARKS}) ON CONFLICT (code) "
          "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in (*COLUMNS[1:], "deleted")))
_STAGE_CURSOR = ("INSERT INTO staged_cursors (dataset, cursor, snapshot, complete, origin) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
                 "complete = excluded.complete, origin = excluded.origin")
_APPLY = (
    "DELETE FROM promo_codes WHERE code IN (SELECT code FROM staged_promo_codes WHERE deleted = 1)",
    f"INSERT OR REPLACE INTO promo_codes ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} "
    "FROM staged_promo_codes WHERE deleted = 0",
    "DELETE FROM staged_promo_codes",
    "DELETE FROM staged_cursors WHERE dataset = 'promo_codes'",
)
# uses of sales the hub acknowledged before the pull started are in the hub's counts it sent
_KNOWN = ("UPDATE promo_code_uses_here SET known_centrally = 1 WHERE known_centrally = 0 AND sale_id IN "
          "(SELECT sale_id FROM outbox WHERE series = 'receipt' AND acked_at IS NOT NULL AND acked_at < ?)")
_CURSOR = ("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) VALUES ('promo_codes', ?, ?, ?) "
           "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
           "pulled_at = excluded.pulled_at")


def _when(text: object) -> datetime | None:
    return datetime.fromisoformat(str(text)) if text else None


class SqlPromoCodeBook:
    """``pos.pricing.code_desk.PromoCodeBook`` over the till's SQLite (amounts in ``currency``)."""

    def __init__(self, db: Database, currency: str) -> None:
        self._db = db
        self._currency = currency

    def entry(self, code: str) -> CodeEntry | None:
        """The code as last pulled, or None when the book lacks it (or cannot read it: logged)."""
        row = self._db.read(lambda c: c.exec_driver_sql(
            f"SELECT {', '.join(COLUMNS)} FROM promo_codes WHERE code = ?", (code,)).first(), "reading a promo code")
        if row is None:
            return None
        try:
            return CodeEntry(
                code=str(row[0]), promotion_ids=frozenset(str(p) for p in json.loads(row[1])), starts=_when(row[2]),
                ends=_when(row[3]), minimum=Money.of(Decimal(row[4]), self._currency) if row[4] else None,
                uses_allowed=row[5], uses_known=int(row[6]), per_customer=row[7],
                customer_uses_known={str(k): int(v) for k, v in json.loads(row[8]).items()},
                phone_hash=str(row[9]), pin_hash=str(row[10]))
        except (ValueError, TypeError, AttributeError, ArithmeticError):
            log.exception("promo code %s in the book cannot be read: treated as unknown", code)
            return None

    def uses_here(self, code: str, customer_id: str = "") -> UsesHere:
        """This till's uses of ``code`` the hub's count did not include at the last pull."""
        def read(conn: Connection) -> UsesHere:
            total, mine = conn.exec_driver_sql(
                "SELECT count(*), coalesce(sum(customer_id = ? AND customer_id != ''), 0) FROM promo_code_uses_here "
                "WHERE code = ? AND known_centrally = 0", (customer_id, code)).one()
            return UsesHere(int(total), int(mine))

        return self._db.read(read, "counting this till's uses of a promo code")

    def matches(self, secret_hash: str, secret: str) -> bool:
        """Whether ``secret`` (a phone number in E.164, a PIN) is the one ``secret_hash`` was made from."""
        try:
            return bool(secret_hash) and HASHER.verify(secret_hash, secret)
        except (VerificationError, InvalidHashError):
            return False


def code_count(db: Database) -> int:
    return int(db.read(lambda c: c.exec_driver_sql("SELECT count(*) FROM promo_codes").scalar_one(),
                       "counting the promo codes"))


# -- the pull's side -----------------------------------------------------------------------
def stage_promo_codes(db: Database, rows: Iterable[tuple[object, ...]], *, cursor: Cursor | None = None,
                      complete: bool = False, origin: str = "") -> None:
    """Stage rows (``sync.promo_code_rows``) and, with ``cursor``, the dataset's cursor, in one
    background transaction (the till's own writes go first)."""
    stage_page(db, dataset=DATASET, stage_rows=_STAGE, stage_cursor=_STAGE_CURSOR, rows=rows, cursor=cursor,
               complete=complete, origin=origin, doing="staging promo codes")


def discard_staged_promo_codes(db: Database) -> None:
    """Throw away promo codes staged by a pull that will not go on (its cursor is gone)."""
    db.write(lambda c: c.exec_driver_sql("DELETE FROM staged_promo_codes"), "discarding staged promo codes")


def apply_promo_codes(db: Database, cursor: Cursor, pulled_at: datetime) -> int:
    """Everything staged into ``promo_codes``, the dataset's ``cursor``, and this till's uses
    the hub's counts now include (``pulled_at``: when the pull started), in one transaction."""
    def apply(conn: Connection) -> int:
        staged = int(conn.exec_driver_sql("SELECT count(*) FROM staged_promo_codes").scalar_one())
        for statement in _APPLY:
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(_KNOWN, (pulled_at.isoformat(),))
        conn.exec_driver_sql(_CURSOR, (cursor.cursor, cursor.snapshot, pulled_at.isoformat()))
        return staged

    return db.write(apply, "applying the hub's promo codes")
