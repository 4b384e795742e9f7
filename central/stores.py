"""Stores, their tills and their cashiers: what an administrator sets up on the hub."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from sqlalchemy import Connection, select, update

from central.database import HubDatabase
from central.errors import AdminProblem
from central.tables import cashiers, stores, tills
from central.versions import VersionClock
from pos.store_day.roles import Role

# The till's own argon2id parameters (local_db/cashiers.py), so a pulled hash is never re-hashed.
PIN_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True, slots=True)
class TillIdentity:
    store_id: str
    till_id: str

    def __str__(self) -> str:
        return f"{self.store_id}/{self.till_id}"


def now() -> datetime:
    return datetime.now(timezone.utc)


def check_identifier(kind: str, value: str) -> str:
    value = value.strip()
    if not _NAME.fullmatch(value):
        raise AdminProblem(f"{kind} {value!r} must be 1-64 letters, digits, '.', '_' or '-'")
    return value


def add_store(db: HubDatabase, store_id: str, name: str) -> bool:
    """Add a store, or rename it; True when it is new."""
    store_id = check_identifier("store", store_id)
    with db.writing() as conn:
        if conn.execute(select(stores.c.store_id).where(stores.c.store_id == store_id)).first():
            conn.execute(update(stores).where(stores.c.store_id == store_id).values(name=name))
            return False
        conn.execute(stores.insert().values(store_id=store_id, name=name or store_id, created_at=now()))
        return True


def require_store(conn: Connection, store_id: str) -> None:
    if not conn.execute(select(stores.c.store_id).where(stores.c.store_id == store_id)).first():
        raise AdminProblem(f"unknown store {store_id!r} (add it with: kassa-hub add-store --store {store_id} --name NAME)")


def require_till(conn: Connection, till: TillIdentity) -> None:
    require_store(conn, till.store_id)
    found = conn.execute(
        select(tills.c.till_id).where(tills.c.store_id == till.store_id, tills.c.till_id == till.till_id)
    ).first()
    if not found:
        raise AdminProblem(f"unknown till {till.till_id!r} in store {till.store_id!r}")


def ensure_till(conn: Connection, till: TillIdentity) -> None:
    """The store must exist; the till is added on its first enrolment code."""
    require_store(conn, till.store_id)
    check_identifier("till", till.till_id)
    found = conn.execute(
        select(tills.c.till_id).where(tills.c.store_id == till.store_id, tills.c.till_id == till.till_id)
    ).first()
    if not found:
        conn.execute(tills.insert().values(store_id=till.store_id, till_id=till.till_id, created_at=now()))


ROLES = tuple(role.value for role in Role)  # cashier, senior_cashier, manager


def add_cashier(db: HubDatabase, store_id: str, code: str, name: str, pin: str, *, active: bool = True,
                role: str = "cashier") -> None:
    """Add or change a cashier of a store (the PIN kept as an argon2id hash) with their role;
    the change takes the next global version, so tills of that store get it at their next pull."""
    code, name = code.strip(), name.strip()
    if role not in ROLES:
        raise AdminProblem(f"role {role[:40]!r} is not one of {', '.join(ROLES)}")
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise AdminProblem("a PIN is 4 to 12 digits")
    if not code or len(code) > 32 or not name:
        raise AdminProblem("a cashier needs a code (at most 32 characters) and a name")
    pin_hash = PIN_HASHER.hash(pin)
    with db.writing() as conn:
        require_store(conn, store_id)
        key = (cashiers.c.store_id == store_id) & (cashiers.c.code == code)
        exists = conn.execute(select(cashiers.c.code).where(key)).first()
        with VersionClock(conn) as clock:
            values = dict(name=name, pin_hash=pin_hash, active=active, role=role, deleted=False,
                          version=clock.next())
            if exists:
                conn.execute(update(cashiers).where(key).values(**values))
            else:
                conn.execute(cashiers.insert().values(store_id=store_id, code=code, **values))
