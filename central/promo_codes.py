"""Promo codes as head office makes them (``kassa-hub make-codes``, ``add-code``) and lists
them (``kassa-hub promo-codes [--conflicts]``).

A code unlocks one or more promotions (those whose validity needs a code) under its rules:
a window in the store's local time (end excluded), a minimum basket before promotions,
uses allowed (1: one-time; none: unlimited), uses per customer, and for a personal code the
customer's phone number (E.164) and a PIN, kept only as argon2id hashes (the till checks
them offline).  Every change takes the next global version, so tills pull it like the
catalog (the ``promo_codes`` dataset, ``central.datasets``).  Uses are recorded from stored
sales by ``central.promo_code_uses``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from argon2 import PasswordHasher
from sqlalchemy import Connection, select

from central.database import HubDatabase
from central.errors import AdminProblem
from central.tables import promo_code_uses, promo_codes
from central.versions import VersionClock
from pos.errors import PosError
from pos.pricing.codes import normalise_code

# The tills' own argon2id parameters (local_db/cashiers.py): a till checks a PIN in tens of ms.
SECRET_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed without doubt
MAX_MADE = 100_000


@dataclass(frozen=True, slots=True)
class CodeRules:
    promotion_ids: tuple[str, ...]
    starts: datetime | None = None  # the store's local time, naive
    ends: datetime | None = None
    minimum: Decimal | None = None
    uses_allowed: int | None = None
    per_customer: int | None = None

    def checked(self) -> CodeRules:
        ids = tuple(dict.fromkeys(p.strip() for p in self.promotion_ids if p.strip()))
        if not ids or any(len(p) > 100 for p in ids):
            raise AdminProblem("a code unlocks at least one promotion: --promotion ID (at most 100 characters)")
        for when, name in ((self.starts, "--starts"), (self.ends, "--ends")):
            if when is not None and when.tzinfo is not None:
                raise AdminProblem(f"{name} is the store's local time: write it without a UTC offset")
        if self.starts and self.ends and self.ends <= self.starts:
            raise AdminProblem("--ends must be after --starts")
        if self.minimum is not None and (not self.minimum.is_finite() or self.minimum < 0 or self.minimum >= 10 ** 12
                                         or self.minimum != self.minimum.quantize(Decimal("0.01"))):
            raise AdminProblem("--minimum is an amount of at least 0 with at most 2 decimals")
        for number, name in ((self.uses_allowed, "--uses"), (self.per_customer, "--per-customer")):
            if number is not None and not 1 <= number <= 1_000_000_000:
                raise AdminProblem(f"{name} is a whole number of at least 1")
        return CodeRules(ids, self.starts, self.ends, self.minimum, self.uses_allowed, self.per_customer)


def parse_local_time(text: str, name: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise AdminProblem(f"{name} {text[:40]!r} is not a date or date-time like 2026-12-31 or 2026-12-31T18:00")
    if when.tzinfo is not None:
        raise AdminProblem(f"{name} is the store's local time: write it without a UTC offset")
    return when.replace(second=0, microsecond=0)


def parse_minimum(text: str) -> Decimal:
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise AdminProblem(f"--minimum {text[:40]!r} is not an amount like 500 or 499.90") from None


def _check_promotions(conn: Connection, ids: tuple[str, ...]) -> None:
    """Each promotion a code unlocks is on the hub and needs a code (else the code changes nothing)."""
    from central.promotion_tables import promotions

    p = promotions.c
    rows = {r.promotion_id: r for r in conn.execute(select(p.promotion_id, p.definition, p.deleted)
                                                    .where(p.promotion_id.in_(ids)))}
    for promotion_id in ids:
        row = rows.get(promotion_id)
        if row is None or row.deleted:
            raise AdminProblem(f"promotion {promotion_id[:64]} is not on the hub: send it first "
                               "(kassa-hub set-promotions)")
        try:
            needs_code = json.loads(row.definition).get("validity", {}).get("needs_code") is True
        except (ValueError, AttributeError):
            needs_code = False
        if not needs_code:
            raise AdminProblem(f"promotion {promotion_id} applies without a code (its validity has no needs_code): "
                               "a code would unlock nothing")


def _values(rules: CodeRules, now: datetime) -> dict[str, object]:
    return dict(promotion_ids=json.dumps(list(rules.promotion_ids)),
                starts=rules.starts.isoformat() if rules.starts else None,
                ends=rules.ends.isoformat() if rules.ends else None,
                minimum=str(rules.minimum) if rules.minimum is not None else None,
                uses_allowed=rules.uses_allowed, per_customer=rules.per_customer, created_at=now, deleted=False)


def add_code(db: HubDatabase, text: str, rules: CodeRules, *, phone: str = "", pin: str = "",
             region: str = "UA", exists_ok: bool = False) -> str:
    """A code chosen by head office (WINTER10), or a personal one with the customer's phone and
    PIN.  Refuses a code that exists (``exists_ok``: leaves it as it is: the demo's start).
    Returns the code as stored."""
    try:
        code = normalise_code(text)
    except PosError as error:
        raise AdminProblem(str(error)) from None
    rules = rules.checked()
    phone_hash = pin_hash = ""
    if phone or pin:
        from pos.phone import normalise_phone

        if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
            raise AdminProblem("a personal code needs a PIN of 4 to 12 digits")
        try:
            e164 = normalise_phone(phone, region)
        except PosError as error:
            raise AdminProblem(f"--phone: {error}") from None
        phone_hash, pin_hash = SECRET_HASHER.hash(e164), SECRET_HASHER.hash(pin)
    now = datetime.now(timezone.utc)
    with db.writing() as conn:
        if conn.execute(select(promo_codes.c.code).where(promo_codes.c.code == code)).first():
            if exists_ok:
                return code
            raise AdminProblem(f"promo code {code} exists already")
        _check_promotions(conn, rules.promotion_ids)
        with VersionClock(conn) as clock:
            conn.execute(promo_codes.insert().values(code=code, phone_hash=phone_hash, pin_hash=pin_hash,
                                                     version=clock.next(), **_values(rules, now)))
    return code


def make_codes(db: HubDatabase, count: int, rules: CodeRules, *, length: int = 10) -> list[str]:
    """``count`` new random codes with the same rules, in one transaction."""
    if not 1 <= count <= MAX_MADE:
        raise AdminProblem(f"--count is 1 to {MAX_MADE}")
    if not 6 <= length <= 32:
        raise AdminProblem("--length is 6 to 32")
    rules = rules.checked()
    now = datetime.now(timezone.utc)
    made: list[str] = []
    with db.writing() as conn:
        _check_promotions(conn, rules.promotion_ids)
        taken = set(conn.execute(select(promo_codes.c.code)).scalars())
        with VersionClock(conn) as clock:
            while len(made) < count:
                code = "".join(secrets.choice(ALPHABET) for _ in range(length))
                if code in taken:
                    continue
                taken.add(code)
                made.append(code)
            rows = [dict(code=c, version=clock.next(), **_values(rules, now)) for c in made]
            for start in range(0, len(rows), 1000):
                conn.execute(promo_codes.insert(), rows[start:start + 1000])
    return made


@dataclass(frozen=True, slots=True)
class CodeState:
    code: str
    promotion_ids: tuple[str, ...]
    starts: str | None
    ends: str | None
    minimum: str | None
    uses_allowed: int | None
    per_customer: int | None
    personal: bool
    uses: int
    conflicts: int

    def describe(self) -> str:
        window = f"{self.starts or '…'} to {self.ends or '…'}" if self.starts or self.ends else "always"
        allowed = "unlimited" if self.uses_allowed is None else str(self.uses_allowed)
        return (f"{self.code:<14} {','.join(self.promotion_ids)}; {window}; minimum {self.minimum or 'none'}; "
                f"uses {self.uses}/{allowed}" + (f", {self.per_customer} per customer" if self.per_customer else "")
                + ("; personal" if self.personal else "") + (f"; {self.conflicts} conflict(s)" if self.conflicts else ""))


def code_states(db: HubDatabase) -> list[CodeState]:
    with db.reading() as conn:
        conflicts: dict[str, int] = {}
        for code in conn.execute(select(promo_code_uses.c.code).where(promo_code_uses.c.conflict.is_not(None))).scalars():
            conflicts[code] = conflicts.get(code, 0) + 1
        rows = conn.execute(select(promo_codes).where(promo_codes.c.deleted.is_(False))
                            .order_by(promo_codes.c.code)).mappings().all()
    return [CodeState(r["code"], tuple(json.loads(r["promotion_ids"])), r["starts"], r["ends"], r["minimum"],
                      r["uses_allowed"], r["per_customer"], bool(r["phone_hash"]), r["uses"],
                      conflicts.get(r["code"], 0)) for r in rows]


@dataclass(frozen=True, slots=True)
class Conflict:
    code: str
    sale_id: str
    store_id: str
    till_id: str
    used_at: datetime
    received_at: datetime
    reason: str

    def describe(self) -> str:
        return (f"{self.code}: sale {self.sale_id} at {self.store_id}/{self.till_id} "
                f"{self.used_at.isoformat(timespec='seconds')} (received "
                f"{self.received_at.isoformat(timespec='seconds')}): {self.reason}; the sale stands")


def conflicts(db: HubDatabase) -> list[Conflict]:
    """Each use past its code's rules, in the order the hub received them."""
    u = promo_code_uses.c
    with db.reading() as conn:
        rows = conn.execute(select(u.code, u.sale_id, u.store_id, u.till_id, u.used_at, u.received_at, u.conflict)
                            .where(u.conflict.is_not(None)).order_by(u.id)).all()
    return [Conflict(*row) for row in rows]


def shape_item(row: Sequence[object]) -> Sequence[object]:
    """A ``promo_codes`` dataset row as the tills get it (``central.datasets``)."""
    code, ids, starts, ends, minimum, allowed, uses, per_customer, customer_uses, phone_hash, pin_hash, deleted = row
    if deleted:
        return (code, [], None, None, None, None, 0, None, {}, "", "", True)
    return (code, json.loads(str(ids)), starts, ends, minimum, allowed, uses, per_customer,
            json.loads(str(customer_uses)), phone_hash, pin_hash, False)


DATASET_FIELDS = ("code", "promotion_ids", "starts", "ends", "minimum", "uses_allowed", "uses_known",
                  "per_customer", "customer_uses", "phone_hash", "pin_hash", "deleted")
DATASET_COLUMNS = ("code", "promotion_ids", "starts", "ends", "minimum", "uses_allowed", "uses",
                   "per_customer", "customer_uses", "phone_hash", "pin_hash", "deleted")
