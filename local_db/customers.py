"""The customers a till knows (the hub's ``customers`` dataset, migration 0011) and the ones
it registered itself, found by phone number or loyalty card barcode.

A phone number typed is made E.164 (``pos.phone``, in the store's country) and hashed with the
chain's key (``pos.customers.phone_key``), the way the hub hashed the numbers it sent: the till
never holds a customer's number, except those registered here (typed here, and sent to the hub
from the outbox).  A customer the hub sent wins over this till's own registration of the same
number or card (the hub merged them).  A registration is written with its ``kassa.customer.v1``
outbox row in one transaction, so it is found at once, offline too, and reaches the hub once.

The wishlist a till shows is the customer's wishlist items this store carries (in its catalog);
the personal offers are shown by the promotion's name when the till holds that promotion.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from local_db.customer_identified import record_identification
from local_db.database import Database
from local_db.outbox import DocumentRow, add_document
from pos.customer_identified import new_identification
from pos.customers import (
    REGISTRATION_SERIES,
    CustomerProblem,
    CustomerRecord,
    Registration,
    birthday_of,
    clean_card,
    display_name,
    month_day,
    new_registration,
    phone_key,
    registration_to_dict,
)
from pos.i18n import N_
from pos.phone import PhoneNumberProblem, normalise_phone
from pos.pricing.promotion import CustomerFacts

CUSTOMERS, KEYS = "customers", "customer_keys"
_COLUMNS = ("SELECT customer_id, card, name, tier, segment, customer_group, birthday, offers, wishlist, "
            "points_balance, balance_version FROM customers ")
# the second condition lets SQLite use the partial index customers_by_phone_key (not a scan)
BY_PHONE_KEY = "WHERE phone_key = ? AND phone_key != ''"
BY_CARD = "WHERE card = ? AND card != ''"
_HERE = "SELECT registration_id, phone, card, name FROM customers_registered_here "
_UPSERT = ("INSERT INTO customers (customer_id, phone_key, card, name, tier, segment, customer_group, birthday, "
           "offers, wishlist, points_balance, balance_version, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT (customer_id) DO UPDATE SET phone_key = excluded.phone_key, card = excluded.card, "
           "name = excluded.name, tier = excluded.tier, segment = excluded.segment, "
           "customer_group = excluded.customer_group, birthday = excluded.birthday, offers = excluded.offers, "
           "wishlist = excluded.wishlist, points_balance = excluded.points_balance, "
           "balance_version = excluded.balance_version, version = excluded.version")
_CURSOR = ("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
           "pulled_at = excluded.pulled_at")


class SqlCustomers:
    """Finding and registering customers at one till (``region``: the store's country, "UA")."""

    def __init__(self, db: Database, *, region: str, store_id: str, till_id: str) -> None:
        self._db = db
        self.region = region
        self.store_id = store_id
        self.till_id = till_id

    # -- finding -----------------------------------------------------------------------------
    def find(self, typed: str) -> CustomerRecord | None:
        """The customer of a loyalty card barcode or a phone number typed (None: nobody).
        Text that is neither a card's code (8 or more digits or letters) nor a phone number
        raises ``PhoneNumberProblem`` saying what is wrong with it as a number."""
        card = typed.strip()
        if card.isascii() and card.isalnum():
            found = self.by_card(card)
            if found is not None:
                return found
        try:
            return self.by_phone(typed)
        except PhoneNumberProblem:
            if card.isascii() and card.isalnum() and len(card) >= 8:
                return None  # an unknown card
            raise

    def by_card(self, barcode: str) -> CustomerRecord | None:
        def read(conn: Connection) -> CustomerRecord | None:
            row = conn.exec_driver_sql(_COLUMNS + BY_CARD, (barcode,)).first()
            if row is not None:
                return _record(conn, row)
            here = conn.exec_driver_sql(_HERE + "WHERE card = ? AND card != ''", (barcode,)).first()
            return None if here is None else _registered(conn, here)
        return self._db.read(read, "finding a customer by card")

    def by_phone(self, typed: str) -> CustomerRecord | None:
        e164 = normalise_phone(typed, self.region)

        def read(conn: Connection) -> CustomerRecord | None:
            key = _chain_key(conn)
            if key is not None:
                row = conn.exec_driver_sql(_COLUMNS + BY_PHONE_KEY, (phone_key(e164, key),)).first()
                if row is not None:
                    return _record(conn, row)
            here = conn.exec_driver_sql(_HERE + "WHERE phone = ?", (e164,)).first()
            return None if here is None else _registered(conn, here)
        return self._db.read(read, "finding a customer by phone number")

    # -- registering -------------------------------------------------------------------------
    def register(self, phone: str, name: str, card: str, *, now: datetime) -> tuple[CustomerRecord, bool]:
        """A new customer from what the cashier typed: (the customer, True), found at once and
        sent to the hub from the outbox.  A number already known gives (that customer, False):
        never a second customer.  A card someone holds is refused."""
        r = new_registration(phone, name, card, region=self.region, store_id=self.store_id,
                             till_id=self.till_id, now=now)
        known = self.by_phone(r.phone)
        if known is not None:
            return known, False
        if r.card and self.by_card(r.card) is not None:
            raise CustomerProblem(N_("Loyalty card {card} is another customer's."), card=r.card)

        def write(conn: Connection) -> CustomerRecord:
            conn.exec_driver_sql("INSERT INTO customers_registered_here (registration_id, phone, card, name, "
                                 "registered_at) VALUES (?, ?, ?, ?, ?)",
                                 (str(r.registration_id), r.phone, r.card, r.name, r.registered_at.isoformat()))
            add_document(conn, DocumentRow(r.registration_id, registration_to_dict(r)["schema"], REGISTRATION_SERIES,
                                           0, json.dumps(registration_to_dict(r), ensure_ascii=False)),
                         r.registered_at.isoformat())
            return _registered_record(r)
        return self._db.write(write, "registering a customer"), True

    # -- identifying -------------------------------------------------------------------------
    def identified(self, customer_id: str, sale_id: uuid.UUID, how: str, *, now: datetime) -> bool:
        """The customer identified for the open sale ``sale_id`` ("phone" or "card"), queued for the
        hub (local_db/customer_identified.py): once per customer per sale (False: already queued)."""
        return record_identification(self._db, new_identification(
            customer_id, sale_id, how, store_id=self.store_id, till_id=self.till_id, at=now))


def _chain_key(conn: Connection) -> bytes | None:
    key = conn.exec_driver_sql("SELECT key FROM customer_keys ORDER BY key_id DESC LIMIT 1").scalar()
    return None if key is None else bytes.fromhex(str(key))


def _carried(conn: Connection, codes: list[str]) -> list[tuple[str, str]]:
    """(code, name) of the wishlist codes this store's catalog holds, in the wishlist's order."""
    if not codes:
        return []
    marks = ", ".join("?" for _ in codes)
    names: dict[Any, Any] = dict(conn.exec_driver_sql(f"SELECT code, name FROM products WHERE code IN ({marks})", tuple(codes)).all())
    return [(code, str(names[code])) for code in codes if code in names]


def _offer_names(conn: Connection, ids: list[str]) -> list[str]:
    if not ids:
        return []
    try:
        marks = ", ".join("?" for _ in ids)
        rows: dict[Any, Any] = dict(conn.exec_driver_sql(f"SELECT id, json_extract(definition, '$.name') FROM promotions "
                                         f"WHERE id IN ({marks}) AND json_valid(definition)", tuple(ids)).all())
    except Exception:  # a till without the promotions table yet: ids only
        rows = {}
    return [str(rows.get(i) or i) for i in ids]


def _record(conn: Connection, row: Any) -> CustomerRecord:
    customer_id, card, name, tier, segment, group, birthday, offers, wishlist, points, balance_version = row
    offer_ids = [str(o) for o in json.loads(offers)]
    carried = _carried(conn, [str(w) for w in json.loads(wishlist)])
    facts = CustomerFacts(str(customer_id), tier=str(tier), segment=str(segment), group=str(group),
                          birthday=birthday_of(str(birthday)))
    return CustomerRecord(facts, str(name), str(card), tuple(offer_ids), tuple(c for c, _ in carried),
                          tuple(n for _, n in carried), tuple(_offer_names(conn, offer_ids)), int(points),
                          str(balance_version))


def _registered(conn: Connection, row: Any) -> CustomerRecord:
    registration_id, _phone, card, name = row
    return CustomerRecord(CustomerFacts(str(registration_id)), display_name(str(name)), str(card),
                          registered_here=True)


def _registered_record(r: Registration) -> CustomerRecord:
    return CustomerRecord(CustomerFacts(str(r.registration_id)), display_name(r.name), r.card, registered_here=True)


# -- the pull: the customers and customer_keys datasets -----------------------------------------
def apply_customer_page(db: Database, dataset: str, items: Iterable[Mapping[str, Any]], *, cursor: str,
                        snapshot: str, pulled_at: datetime) -> int:
    """One page of ``customers`` or ``customer_keys`` with its cursor, in one transaction (a
    page applied is never pulled again; an item comes again only changed, so a resumed pull
    is exact).  Returns the items applied."""
    rows = list(items)

    def write(conn: Connection) -> int:
        if dataset == KEYS:
            for item in rows:
                if item["deleted"]:
                    conn.exec_driver_sql("DELETE FROM customer_keys WHERE key_id = ?", (int(item["key_id"]),))
                else:
                    conn.exec_driver_sql("INSERT INTO customer_keys (key_id, key) VALUES (?, ?) ON CONFLICT (key_id) "
                                         "DO UPDATE SET key = excluded.key", (int(item["key_id"]), str(item["key"])))
        else:
            conn.exec_driver_sql("DELETE FROM customers WHERE version = 'demo'")  # a hub's customers replace the demo's
            gone = [(str(i["customer_id"]),) for i in rows if i["deleted"]]
            if gone:
                conn.exec_driver_sql("DELETE FROM customers WHERE customer_id = ?", gone)
            kept = [(str(i["customer_id"]), str(i["phone_key"]), clean_card(str(i["card"])), str(i["name"])[:100],
                     str(i["tier"]), str(i["segment"]), str(i["group"]), _month_day(str(i["birthday"])),
                     json.dumps([str(o) for o in i["offers"]]), json.dumps([str(w) for w in i["wishlist"]]),
                     int(i.get("points_balance", 0)), cursor, cursor)
                    for i in rows if not i["deleted"]]
            if kept:
                conn.exec_driver_sql(_UPSERT, kept)
        conn.exec_driver_sql(_CURSOR, (dataset, cursor, snapshot, pulled_at.isoformat()))
        return len(rows)
    return db.write(write, f"storing the {dataset} pulled from the hub")


def _month_day(text: str) -> str:
    if text:
        birthday_of(text)  # "MM-DD" or a ValueError
    return text


def customer_cursor(db: Database, dataset: str) -> str:
    return str(db.read(lambda c: c.exec_driver_sql("SELECT cursor FROM sync_cursors WHERE dataset = ?",
                                                   (dataset,)).scalar() or "0", "reading a cursor"))


# -- the demo till without a hub -------------------------------------------------------------------
DEMO_KEY = bytes.fromhex("6b617373612d64656d6f2d637573746f6d6572732d6b65792d6e6f742d61202d")


def load_demo_customers(db: Database, today: date) -> int:
    """The demo's customers (``pos.demo_customers``) as a till receives them, under a demo key,
    unless a hub has sent this till its customers (then they are the hub's).  Their birthdays
    move with ``today``.  Returns how many were loaded."""
    from pos.demo_customers import OPENING_POINTS, demo_customers

    def write(conn: Connection) -> int:
        if conn.exec_driver_sql("SELECT 1 FROM sync_cursors WHERE dataset IN (?, ?)", (CUSTOMERS, KEYS)).first():
            return 0
        conn.exec_driver_sql("INSERT INTO customer_keys (key_id, key) VALUES (1, ?) ON CONFLICT (key_id) DO NOTHING",
                             (DEMO_KEY.hex(),))
        key = _chain_key(conn) or DEMO_KEY
        rows = [(str(uuid.uuid5(uuid.NAMESPACE_URL, "kassa-demo-customer:" + c["phone"])), phone_key(c["phone"], key),
                 c["card"], display_name(c["name"]), c["tier"], c["segment"], c["group"],
                 month_day(date.fromisoformat(c["birthday"])), json.dumps(c["offers"]), json.dumps(c["wishlist"]),
                 OPENING_POINTS.get(c["phone"], 0), "", "demo") for c in demo_customers(today)]
        conn.exec_driver_sql(_UPSERT, rows)
        return len(rows)
    return db.write(write, "loading the demo customers")
