"""Cashiers and their PINs: pos.ports.CashierDirectory over the till database.

PINs are kept only as argon2id hashes.  The parameters are modest on purpose (a till is
a small PC and sign-in must feel instant, ~20-40 ms); a hash made with other parameters
is re-hashed with these at the next good sign-in.  An unknown cashier number costs the
same time as a wrong PIN, so timing does not tell which cashier numbers exist.
"""

from __future__ import annotations

import logging

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain
from pos.errors import StorageProblem
from pos.sale import Cashier

log = logging.getLogger(__name__)

PIN_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = PIN_HASHER.hash("not a pin")


def _check_pin(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValueError("a PIN is 4 to 12 digits")


def add_cashier(db: Database, code: str, name: str, pin: str) -> None:
    """Add a cashier, or give an existing one a new name and PIN."""
    _check_pin(pin)
    if not code.strip() or not name.strip():
        raise ValueError("a cashier needs a number and a name")
    pin_hash = PIN_HASHER.hash(pin)
    try:
        with db.writing() as conn:
            conn.exec_driver_sql(
                "INSERT INTO cashiers (code, name, pin_hash, active) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, active = 1",
                (code.strip(), name.strip(), pin_hash),
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
