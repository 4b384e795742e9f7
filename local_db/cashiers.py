"""Cashiers and their PINs: pos.ports.CashierDirectory over the till database.

PINs are kept only as argon2id hashes.  The parameters are modest on purpose (a till is
a small PC and sign-in must feel instant, ~20-40 ms); a hash made with other parameters
is re-hashed with these at the next good sign-in.  An unknown cashier number costs the
same time as a wrong PIN, so timing does not tell which cashier numbers exist.

``guarded_cashiers`` adds the chain's sign-in rules (``pos.sign_in_policy``): a minimum PIN
length and a lockout after repeated wrong PINs, every attempt recorded in ``sign_in_attempts``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain
from pos.errors import StorageProblem
from pos.ports import AttemptHistory, Clock
from pos.sale import Cashier
from pos.store_day.roles import Role
from pos.sign_in_policy import SIGNED_IN, WRONG_OUTCOMES, GuardedCashiers, SignInRules

log = logging.getLogger(__name__)

PIN_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = PIN_HASHER.hash("not a pin")


def _check_pin(pin: str, min_length: int) -> None:
    if not (pin.isascii() and pin.isdigit() and max(4, min_length) <= len(pin) <= 12):
        raise ValueError(f"a PIN is {max(4, min_length)} to 12 digits")


def add_cashier(db: Database, code: str, name: str, pin: str, *, min_pin_length: int = 4,
                role: Role | None = None) -> None:
    """Add a cashier, or give an existing one a new name and PIN (at least
    ``min_pin_length`` digits: the chain's ``[security] min_pin_length``) and, when given,
    a role (a new cashier without one is a plain cashier; an existing one keeps theirs)."""
    _check_pin(pin, min_pin_length)
    if not code.strip() or not name.strip():
        raise ValueError("a cashier needs a number and a name")
    if len(code.strip()) > 32 or len(name.strip()) > 200:
        raise ValueError("a cashier's number is at most 32 characters and their name at most 200")
    pin_hash = PIN_HASHER.hash(pin)
    try:
        with db.writing() as conn:
            if role is None:  # the role column's default (and no role column at all before schema 0008)
                conn.exec_driver_sql(
                    "INSERT INTO cashiers (code, name, pin_hash, active) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, active = 1",
                    (code.strip(), name.strip(), pin_hash),
                )
            else:
                conn.exec_driver_sql(
                    "INSERT INTO cashiers (code, name, pin_hash, active, role) VALUES (?, ?, ?, 1, ?) "
                    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, active = 1, "
                    "role = excluded.role",
                    (code.strip(), name.strip(), pin_hash, role.value),
                )
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing="adding a cashier") from error


class SqlCashiers:
    """CashierDirectory: ``sign_in`` returns the Cashier, or None for a wrong number or PIN."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def sign_in(self, cashier_code: str, pin: str) -> Cashier | None:
        code = cashier_code.strip()
        try:
            with self.db.lookup() as conn:
                row = conn.exec_driver_sql(
                    "SELECT name, pin_hash FROM cashiers WHERE code = ? AND active = 1", (code,)
                ).first()
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="signing in") from error
        if row is None:
            _verify(_DUMMY_HASH, pin)  # same cost as a wrong PIN
            return None
        name, pin_hash = row
        if not _verify(pin_hash, pin):
            return None
        if PIN_HASHER.check_needs_rehash(pin_hash):
            self._rehash(code, pin)
        return Cashier(code, name)

    def _rehash(self, code: str, pin: str) -> None:
        try:
            with self.db.writing() as conn:
                conn.exec_driver_sql("UPDATE cashiers SET pin_hash = ? WHERE code = ?", (PIN_HASHER.hash(pin), code))
        except (sa_exc.SQLAlchemyError, StorageProblem):
            log.warning("could not update the PIN hash of cashier %s; it stays as it was", code, exc_info=True)


def _verify(pin_hash: str, pin: str) -> bool:
    try:
        return PIN_HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


class SqlSignInAttempts:
    """``pos.ports.SignInAttempts`` over the ``sign_in_attempts`` table (migration 0005)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def history(self, cashier_code: str) -> AttemptHistory:
        def read(conn: Connection) -> AttemptHistory:
            count, last_id = conn.exec_driver_sql(
                "SELECT COUNT(*), MAX(id) FROM sign_in_attempts WHERE cashier_code = ? AND outcome IN (?, ?) "
                "AND id > COALESCE((SELECT MAX(id) FROM sign_in_attempts WHERE cashier_code = ? AND outcome = ?), 0)",
                (cashier_code, *WRONG_OUTCOMES, cashier_code, SIGNED_IN),
            ).one()
            if not count:
                return AttemptHistory()
            at = conn.exec_driver_sql("SELECT at FROM sign_in_attempts WHERE id = ?", (last_id,)).scalar_one()
            return AttemptHistory(int(count), datetime.fromisoformat(at))

        return self.db.read(read, "reading the sign-in attempts")

    def record(self, cashier_code: str, outcome: str, at: datetime, locked_until: datetime | None = None) -> None:
        self.db.write(
            lambda conn: conn.exec_driver_sql(
                "INSERT INTO sign_in_attempts (at, cashier_code, outcome, locked_until) VALUES (?, ?, ?, ?)",
                (at.isoformat(), cashier_code, outcome, locked_until.isoformat() if locked_until else None),
            ),
            "recording a sign-in attempt",
        )


def guarded_cashiers(db: Database, clock: Clock, rules: SignInRules) -> GuardedCashiers:
    """The till's cashier directory: PINs checked against the database, with the chain's
    minimum PIN length and the lockout after repeated wrong PINs, every attempt recorded."""
    return GuardedCashiers(SqlCashiers(db), SqlSignInAttempts(db), clock, rules)
