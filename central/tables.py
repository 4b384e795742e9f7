"""The hub's tables as SQLAlchemy Core objects (the queries use these; the Alembic
migrations in ``central/migrations`` create them, and a test checks the two agree).

Times are stored in UTC (``UtcDateTime`` turns aware datetimes to UTC on the way in and
gives aware UTC datetimes back, on SQLite too).  Money is integer minor units.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql.expression import false
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

BigId = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements INTEGER keys only


class UtcDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the hub stores aware datetimes only")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


def _till_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["store_id", "till_id"], ["tills.store_id", "tills.till_id"])


stores = Table(
    "stores", metadata,
    Column("store_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("time_zone", String(64), nullable=True),  # IANA name; null: the hub's default (central/stores.py)
)

tills = Table(
    "tills", metadata,
    Column("store_id", String(64), ForeignKey("stores.store_id"), primary_key=True),
    Column("till_id", String(64), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
    # what the last heartbeat said
    Column("last_seen_at", UtcDateTime),
    Column("last_till_time", UtcDateTime),
    Column("queue_length", Integer),
    Column("oldest_unsent_seconds", Integer),
    Column("app_version", String(40)),
)

enrolment_codes = Table(
    "enrolment_codes", metadata,
    Column("id", Integer, primary_key=True),
    Column("code_sha256", String(64), nullable=False, unique=True),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    Column("device", String(200)),
    _till_key(),
)

till_credentials = Table(
    "till_credentials", metadata,
    Column("credential_id", String(32), primary_key=True),
    Column("secret_sha256", String(64), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("device", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    _till_key(),
)

sales = Table(
    "sales", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # arrival order, for connectors
    Column("sale_id", String(36), nullable=False, unique=True),  # forever: the idempotency key
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("receipt_number", BigInteger, nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("till_completed_at", UtcDateTime, nullable=False),
    Column("hub_received_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),  # the kassa.sale.v1 document as received
    UniqueConstraint("store_id", "till_id", "seq"),
    _till_key(),
)

# The one global version: every change to reference data takes the next value, inside the
# transaction that makes it, with this row locked (PostgreSQL) or under SQLite's one writer.
catalog_version = Table(
    "catalog_version", metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False),
)


def _versioned(name: str, *columns: Any) -> Table:
    table = Table(
        name, metadata, *columns,
        Column("version", BigInteger, nullable=False),
        Column("deleted", Boolean, nullable=False, default=False),
    )
    Index(f"ix_{name}_version", table.c.version, unique=True)
    return table


products = _versioned(
    "products",
    Column("code", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("brand", String(200), nullable=False),
    Column("category", String(200), nullable=False),
    Column("vat_code", String(8), nullable=False),
    Column("sold_by_weight", Boolean, nullable=False),
)

barcodes = _versioned(
    "barcodes",
    Column("gtin", String(32), primary_key=True),
    Column("product_code", String(64), nullable=False, index=True),
)

prices = _versioned(
    "prices",
    Column("product_code", String(64), primary_key=True),
    Column("price_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
)

taxes = _versioned(
    "taxes",
    Column("code", String(8), primary_key=True),
    Column("percent", String(12), nullable=False),  # a decimal as text: "20", "7", "0"
)

cashiers = _versioned(
    "cashiers",
    Column("store_id", String(64), ForeignKey("stores.store_id"), primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("pin_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("role", String(20), nullable=False, server_default="cashier"),  # cashier, senior_cashier, manager
)

# Head office's store's day policies (pos.store_day.policies), per store: a store's tills pull
# its own.  ``body`` is the JSON form, checked with the till's own reader before it is stored.
policies = _versioned(
    "policies",
    Column("store_id", String(64), ForeignKey("stores.store_id"), primary_key=True),
    Column("name", String(20), primary_key=True),  # permissions, reasons, denominations
    Column("body", Text, nullable=False),
)

# -- the store's day documents (POST /v1/documents; central/documents_intake.py) -----------------
# Every document as received, idempotent by document_id forever; a numbered series (return,
# cash_movement, z_report) holds each number once per till.  ``number`` is NULL for the
# unnumbered series (approval, sale_cancelled, shift): NULLs never collide in a unique key.
documents = Table(
    "documents", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # arrival order
    Column("document_id", String(36), nullable=False, unique=True),
    Column("schema", String(40), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("series", String(20), nullable=False),
    Column("number", BigInteger),
    Column("body", Text, nullable=False),  # the JSON form as received
    Column("flag", String(40)),  # e.g. sale_unknown: a return of a sale the hub did not hold yet
    Column("received_at", UtcDateTime, nullable=False),
    UniqueConstraint("store_id", "till_id", "series", "number"),
    _till_key(),
)

# What each return took back, per line of the original sale: the arbiter across tills.
returned_lines = Table(
    "returned_lines", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("return_id", String(36), nullable=False),
    Column("line_id", String(36), nullable=False, unique=True),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),  # the till that took the goods back
    Column("sale_id", String(36), nullable=False, index=True),
    Column("sold_line_id", String(36), nullable=False),
    Column("quantity", String(24), nullable=False),  # a decimal as text: "1", "0.375"
    Column("refunded_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    # a share of an unchecked return's line matched to this sold line (central/reconciling.py):
    # worked out again whenever the sale's returns change; checked returns are checked without them
    Column("unchecked", Boolean, nullable=False, server_default=false()),
)

# Each line of an unchecked return (kassa.return.v2: another till's sale returned offline, the
# goods scanned back): the sale its receipt named, and how it was reconciled against that sale.
unchecked_lines = Table(
    "unchecked_lines", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # arrival order: the earlier matched first
    Column("return_id", String(36), nullable=False),
    Column("line_id", String(36), nullable=False, unique=True),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),  # the till that took the goods back
    Column("sale_id", String(36), nullable=False, index=True),  # the sale the receipt's code named
    Column("product_code", String(64), nullable=False),
    Column("name", String(300), nullable=False),
    Column("quantity", String(24), nullable=False),
    Column("refunded_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("matched", String(24), nullable=False),  # how much of it counts against the sale
    Column("status", String(16), nullable=False),  # waiting, reconciled, unreconciled
    Column("reason", String(300)),  # why (part of) it is unreconciled
    Column("received_at", UtcDateTime, nullable=False),
)

shift_events = Table(
    "shift_events", metadata,
    Column("shift_id", String(36), primary_key=True),
    Column("event", String(8), primary_key=True),  # opened or closed
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("document_id", String(36), nullable=False),
    Index("ix_shift_events_store_id_till_id", "store_id", "till_id"),
)

z_reports = Table(
    "z_reports", metadata,
    Column("document_id", String(36), primary_key=True),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("z_number", BigInteger, nullable=False),
    Column("shift_id", String(36), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("sales_count", Integer, nullable=False),
    Column("sales_total_minor", BigInteger, nullable=False),
    Column("returns_count", Integer, nullable=False),
    Column("returns_total_minor", BigInteger, nullable=False),
    Column("expected_cash_minor", BigInteger, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    UniqueConstraint("store_id", "till_id", "z_number"),
)


# -- promo codes (central/promo_codes.py; the tills pull them as the promo_codes dataset) ---------
# A code unlocks promotions (their ids, JSON list) under its rules; ``uses`` and ``customer_uses``
# (JSON {customer_id: n}) count every use recorded from stored sales, conflicts included.  A
# personal code keeps only argon2id hashes of the customer's phone number (E.164) and its PIN.
promo_codes = _versioned(
    "promo_codes",
    Column("code", String(32), primary_key=True),  # normalised: upper case letters and digits
    Column("promotion_ids", Text, nullable=False),
    Column("starts", String(19)),  # the store's local time, ISO, naive; NULL: from always
    Column("ends", String(19)),  # excluded; NULL: never ends
    Column("minimum", String(24)),  # a decimal as text: the basket before promotions; NULL: none
    Column("uses_allowed", Integer),  # 1: one-time; NULL: unlimited
    Column("per_customer", Integer),  # NULL: no limit per customer
    Column("phone_hash", String(200), nullable=False, server_default=""),
    Column("pin_hash", String(200), nullable=False, server_default=""),
    Column("uses", Integer, nullable=False, server_default="0"),
    Column("customer_uses", Text, nullable=False, server_default="{}"),
    Column("created_at", UtcDateTime, nullable=False),
)

# Each use of a code by a stored sale, exactly once (the sale's own transaction); ``conflict``
# says why it went past the code's rules (two tills offline, a code the hub does not know).
promo_code_uses = Table(
    "promo_code_uses", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # arrival order
    Column("code", String(32), nullable=False, index=True),
    Column("sale_id", String(36), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("customer_id", String(64), nullable=False),
    Column("used_at", UtcDateTime, nullable=False),  # the till's completion time
    Column("received_at", UtcDateTime, nullable=False),
    Column("conflict", String(300)),
    UniqueConstraint("sale_id", "code"),
)
