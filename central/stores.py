"""Stores, their tills and their cashiers: what an administrator sets up on the hub.

Each store keeps its time zone (an IANA name such as ``Europe/Kyiv``): the ERP books a sale, a
return and a Z report's cash session on the store's own day, the local date of the till's UTC
time there.  A store without one of its own (every store made before migration 0014, or added
without ``--timezone``) follows ``$KASSA_HUB_TIMEZONE``, else the chain's ``Europe/Kyiv``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
TIMEZONE_VARIABLE = "KASSA_HUB_TIMEZONE"  # the zone of the stores without their own
CHAIN_TIMEZONE = "Europe/Kyiv"  # ... when that variable is not set


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


def check_time_zone(value: str, *, named: str = "--timezone") -> str:
    """An IANA time zone the hub's zone database knows (``Europe/Kyiv``), else one line naming ``named``."""
    value = value.strip()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise AdminProblem(f"{named} {value[:64]!r} is not a time zone the hub knows: "
                           "give an IANA name such as Europe/Kyiv") from None
    return value


def default_time_zone(environ: Mapping[str, str] | None = None) -> str:
    """The zone of a store without its own: ``$KASSA_HUB_TIMEZONE``, else the chain's Europe/Kyiv."""
    value = (os.environ if environ is None else environ).get(TIMEZONE_VARIABLE, "").strip()
    return check_time_zone(value, named=f"${TIMEZONE_VARIABLE}") if value else CHAIN_TIMEZONE


def store_time_zone(conn: Connection, store_id: str) -> str:
    """The store's own time zone, or the hub's default when it has none."""
    own = conn.execute(select(stores.c.time_zone).where(stores.c.store_id == store_id)).scalar()
    return str(own) if own else default_time_zone()


def local_day(moment: datetime, time_zone: str) -> date:
    """The date ``moment`` (a till's time, UTC when it carries no zone) falls on in ``time_zone``:
    a Kyiv store's sale at 23:30 UTC on 14 March is on 15 March, its local 01:30."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(time_zone)).date()


def store_day(conn: Connection, store_id: str, moment: datetime) -> date:
    """The store's business day of a till's time ``moment``: its local date in the store's zone."""
    return local_day(moment, store_time_zone(conn, store_id))


def add_store(db: HubDatabase, store_id: str, name: str | None, time_zone: str | None = None) -> bool:
    """Add a store, or rename it or change its zone; True when it is new.  ``time_zone`` given
    (checked) becomes the store's own; left out, a new store follows the hub's default and an
    existing one keeps its zone.  ``name`` left out: an existing store keeps its name (a new
    one needs one)."""
    store_id = check_identifier("store", store_id)
    values: dict[str, str] = {} if name is None else {"name": name}
    if time_zone is not None:
        values["time_zone"] = check_time_zone(time_zone)
    with db.writing() as conn:
        if conn.execute(select(stores.c.store_id).where(stores.c.store_id == store_id)).first():
            if not values:
                raise AdminProblem(f"store {store_id!r} exists: give its new name (--name) or time zone (--timezone)")
            conn.execute(update(stores).where(stores.c.store_id == store_id).values(**values))
            return False
        if name is None:
            raise AdminProblem(f"store {store_id!r} is new: give its name (--name)")
        conn.execute(stores.insert().values(store_id=store_id, created_at=now(), **{**values, "name": name or store_id}))
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
