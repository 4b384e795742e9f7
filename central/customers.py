"""The chain's customers at the hub: added by head office (``kassa-hub add-customer``, a JSON
import), registered at the tills (central/customer_registrations.py), sent to the tills as
the ``customers`` dataset with only what a till needs.

A customer's phone number is kept in E.164 (``pos.phone``) and is unique: one number, one
customer.  A till never receives it: it receives ``phone_key``, a keyed hash (HMAC-SHA256) of
the number under the chain's key (``customer_keys``, one row made with the first customer and
sent to the tills as the ``customer_keys`` dataset), so a number typed at a till is hashed the
same way and found.  Of the name a till receives "Olena K." and of the birthday only the month
and day.  Every change takes the next catalog version (``central.versions``), as products do.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, bindparam, select

import central.loyalty_tables  # noqa: F401  (declares customers.points_balance, migration 0009)
from central.customer_tables import customer_keys, customers
from central.database import HubDatabase
from central.errors import AdminProblem
from central.versions import VersionClock
from pos.customers import clean_card, clean_name, display_name, month_day, phone_key
from pos.errors import PosError
from pos.phone import normalise_phone

KEY_ID = 1
MAX_LIST = 200  # personal offers or wishlist codes of one customer


@dataclass(frozen=True, slots=True)
class NewCustomer:
    """A customer as head office gives them (phone as typed, read in ``region``)."""

    phone: str
    name: str
    card: str = ""
    tier: str = ""
    segment: str = ""
    group: str = ""
    birthday: date | None = None
    offers: tuple[str, ...] = ()
    wishlist: tuple[str, ...] = ()
    customer_id: str = field(default_factory=lambda: str(uuid.uuid4()))


def chain_key(conn: Connection, clock: VersionClock) -> bytes:
    """The key of the phone numbers' keyed hash, made (and versioned) the first time."""
    found = conn.execute(select(customer_keys.c.key).where(customer_keys.c.key_id == KEY_ID)).scalar()
    if found is None:
        found = secrets.token_hex(32)
        conn.execute(customer_keys.insert().values(key_id=KEY_ID, key=found, version=clock.next(), deleted=False))
    return bytes.fromhex(found)


def _short_list(values: Any, what: str) -> list[str]:
    if not isinstance(values, (list, tuple)) or len(values) > MAX_LIST or not all(
            isinstance(v, str) and 0 < len(v) <= 64 for v in values):
        raise AdminProblem(f"{what} must be a list of at most {MAX_LIST} codes (texts of 1 to 64 characters)")
    return sorted(set(values))


def _label(value: str, what: str) -> str:
    text = str(value).strip()
    if len(text) > 40:
        raise AdminProblem(f"{what} {text[:50]!r} is longer than 40 characters")
    return text


def customer_values(c: NewCustomer, region: str, key: bytes) -> dict[str, Any]:
    """The row of a customer, every part checked (an ``AdminProblem`` names the wrong one)."""
    try:
        phone = normalise_phone(c.phone, region)
    except PosError as problem:
        raise AdminProblem(f"phone {str(c.phone)[:40]!r}: {problem}") from None
    try:
        name, card = clean_name(c.name), clean_card(c.card)
    except PosError as problem:
        raise AdminProblem(f"customer {phone}: {problem}") from None
    return {"customer_id": c.customer_id, "phone": phone, "phone_key": phone_key(phone, key), "card": card or None,
            "name": name, "tier": _label(c.tier, "tier"), "segment": _label(c.segment, "segment"),
            "customer_group": _label(c.group, "group"), "birthday": c.birthday,
            "offers": json.dumps(_short_list(c.offers, "offers")),
            "wishlist": json.dumps(_short_list(c.wishlist, "wishlist"))}


def save_customers(db: HubDatabase, given: Sequence[NewCustomer], *, region: str) -> tuple[int, int]:
    """Add or change customers (matched by phone number), in one transaction: (added, changed;
    a customer given as stored is neither and keeps its version, so the tills pull nothing).
    A phone number twice, or a card another customer holds (or two of them are given), is refused
    and nothing is stored.  Existing customers are read in chunks and rows written in batches."""
    now = datetime.now(timezone.utc)
    with db.writing() as conn, VersionClock(conn) as clock:
        key = chain_key(conn, clock)
        rows = [customer_values(c, region, key) for c in given]
        _no_twice([r["phone"] for r in rows], "phone")
        _no_twice([r["card"] for r in rows if r["card"]], "card")
        stored = _stored(conn, [r["phone"] for r in rows])
        held = {phone: str(row["customer_id"]) for phone, row in stored.items()}
        holders = _ids_by(conn, customers.c.card, [r["card"] for r in rows if r["card"]])
        for r in rows:
            holder = holders.get(r["card"]) if r["card"] else None
            if holder is not None and holder != held.get(r["phone"]):
                raise AdminProblem(f"card {r['card']} belongs to another customer ({holder})")
        new = [dict(r, created_at=now, version=clock.next(), deleted=False) for r in rows if r["phone"] not in held]
        changed = [dict({k: v for k, v in r.items() if k != "customer_id"}, b_id=held[r["phone"]],
                        version=clock.next(), deleted=False) for r in rows
                   if r["phone"] in held and _differs(r, stored[r["phone"]])]  # an unchanged one keeps its version
        for chunk in _chunks(new):
            conn.execute(customers.insert(), chunk)
        if changed:
            statement = customers.update().where(customers.c.customer_id == bindparam("b_id")).values(
                {name: bindparam(name) for name in changed[0] if name != "b_id"})
            for chunk in _chunks(changed):
                conn.execute(statement, chunk)
    return len(new), len(changed)


def _stored(conn: Connection, phones: list[str]) -> dict[str, Any]:
    """The stored rows of these phone numbers (by phone)."""
    found: dict[str, Any] = {}
    for start in range(0, len(phones), 500):
        found.update({str(row.phone): row._mapping for row in conn.execute(
            select(customers).where(customers.c.phone.in_(phones[start:start + 500])))})
    return found


def _differs(given: dict[str, Any], stored: Any) -> bool:
    return bool(stored["deleted"]) or any(stored[name] != value for name, value in given.items()
                                          if name != "customer_id")


def _no_twice(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise AdminProblem(f"{what} {value} is given twice")
        seen.add(value)


def _chunks(rows: list[dict[str, Any]], size: int = 1000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _ids_by(conn: Connection, column: Any, values: list[str]) -> dict[str, str]:
    """Customer ids by ``column`` (phone or card) for the ``values`` that have one."""
    found: dict[str, str] = {}
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        found.update({str(v): str(i) for v, i in conn.execute(
            select(column, customers.c.customer_id).where(column.in_(chunk)))})
    return found


def customers_from_json(text: str) -> list[NewCustomer]:
    """The import file: a JSON list of objects with phone, name and optionally card, tier,
    segment, group, birthday (YYYY-MM-DD), offers, wishlist.  An ``AdminProblem`` names the
    item and field that is wrong."""
    try:
        items = json.loads(text)
    except ValueError as error:
        raise AdminProblem(f"not JSON: {error}") from None
    if not isinstance(items, list):
        raise AdminProblem("the file must hold a JSON list of customers")
    known = {"phone", "name", "card", "tier", "segment", "group", "birthday", "offers", "wishlist"}
    read: list[NewCustomer] = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise AdminProblem(f"customer {n}: not a JSON object")
        if unknown := sorted(set(item) - known):
            raise AdminProblem(f"customer {n}: unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})")
        for name in ("phone", "name"):
            if not isinstance(item.get(name), str):
                raise AdminProblem(f"customer {n}.{name}: required text")
        try:
            birthday = date.fromisoformat(item["birthday"]) if item.get("birthday") else None
        except (TypeError, ValueError):
            raise AdminProblem(f"customer {n}.birthday: {str(item.get('birthday'))[:30]!r} is not YYYY-MM-DD") from None
        read.append(NewCustomer(item["phone"], item["name"], str(item.get("card", "")), str(item.get("tier", "")),
                                str(item.get("segment", "")), str(item.get("group", "")), birthday,
                                tuple(_short_list(item.get("offers", []), f"customer {n}.offers")),
                                tuple(_short_list(item.get("wishlist", []), f"customer {n}.wishlist"))))
    return read


@dataclass(frozen=True, slots=True)
class CustomerRow:
    customer_id: str
    phone: str
    name: str
    card: str
    tier: str
    segment: str
    group: str
    birthday: date | None


def list_customers(db: HubDatabase, *, limit: int | None = None) -> list[CustomerRow]:
    with db.reading() as conn:
        query = (select(customers.c.customer_id, customers.c.phone, customers.c.name, customers.c.card,
                        customers.c.tier, customers.c.segment, customers.c.customer_group, customers.c.birthday)
                 .where(customers.c.deleted.is_(False)).order_by(customers.c.name, customers.c.customer_id))
        if limit:
            query = query.limit(limit)
        return [CustomerRow(r[0], r[1] or "", r[2], r[3] or "", r[4], r[5], r[6], r[7]) for r in conn.execute(query)]


# -- the customers dataset: only what a till needs ------------------------------------------------
DATASET_FIELDS = ("customer_id", "phone_key", "card", "name", "tier", "segment", "group", "birthday", "offers",
                  "wishlist", "points_balance", "deleted")
DATASET_COLUMNS = ("customer_id", "phone_key", "card", "name", "tier", "segment", "customer_group", "birthday",
                   "offers", "wishlist", "points_balance", "deleted")


def dataset_item(row: Sequence[Any]) -> Sequence[Any]:
    """A customer row as a till receives it: the name shortened, the birthday as "MM-DD", the
    points balance (central/loyalty_ledger.py keeps it); a deleted customer as their id alone."""
    customer_id, key, card, name, tier, segment, group, birthday, offers, wishlist, points, deleted = row
    if deleted:
        return (customer_id, "", "", "", "", "", "", "", [], [], 0, True)
    return (customer_id, key, card or "", display_name(name), tier, segment, group, month_day(birthday),
            json.loads(offers), json.loads(wishlist), int(points), False)
