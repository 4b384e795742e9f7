"""A customer identified at a till for an open sale (``kassa.customer_identified.v1``).

When the cashier makes a customer the open sale's customer (found by phone number, or their
loyalty card scanned), the till sends the hub a small document so a CRM sees the
identification itself (marketing triggers fire on it, before any sale is paid), through
``POST /v1/documents`` and the hub's feed (kind ``customer_identified``).

The rules:

* It never holds the phone number: only ids, the time, and ``how`` ("phone" or "card").
* Its id is ``uuid5(sale_id, customer_id)`` (``sale_id`` is the open basket's id): the same
  customer identified twice in one sale is ONE document; another sale, or another customer
  in the same sale, is another.
* ``customer_id`` is a UUID in its lower-case text form, as every customer id the hub makes
  (a customer the hub does not know yet is fine: their registration may still be on its way).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

IDENTIFIED_SCHEMA = "kassa.customer_identified.v1"
IDENTIFIED_SERIES = "customer_identified"
BY_PHONE, BY_CARD = "phone", "card"
HOW = (BY_PHONE, BY_CARD)


@dataclass(frozen=True, slots=True)
class Identification:
    document_id: uuid.UUID
    customer_id: str
    store_id: str
    till_id: str
    identified_at: datetime
    sale_id: uuid.UUID
    how: str


def identification_id(sale_id: uuid.UUID, customer_id: str) -> uuid.UUID:
    """One document per customer per sale."""
    return uuid.uuid5(sale_id, customer_id)


def _uuid_text(value: Any, name: str) -> uuid.UUID:
    if not isinstance(value, str) or len(value) != 36:
        raise ValueError(f"{name} is not a UUID in its lower-case text form")
    read = uuid.UUID(value)
    if str(read) != value:
        raise ValueError(f"{name} is not a UUID in its lower-case text form")
    return read


def new_identification(customer_id: str, sale_id: uuid.UUID, how: str, *, store_id: str, till_id: str,
                       at: datetime) -> Identification:
    """The document of ``customer_id`` identified for sale ``sale_id``; ValueError when the
    customer id is not a customer's id the hub could know, or ``how`` is neither way."""
    _uuid_text(customer_id, "customer_id")
    if how not in HOW:
        raise ValueError(f"how must be one of {', '.join(HOW)}")
    if at.tzinfo is None:
        raise ValueError("identified_at must have a UTC offset")
    return Identification(identification_id(sale_id, customer_id), customer_id, store_id, till_id, at, sale_id, how)


def identification_to_dict(i: Identification) -> dict[str, Any]:
    return {"schema": IDENTIFIED_SCHEMA, "document_id": str(i.document_id), "customer_id": i.customer_id,
            "store_id": i.store_id, "till_id": i.till_id, "identified_at": i.identified_at.isoformat(),
            "sale_id": str(i.sale_id), "how": i.how}


def identification_from_dict(body: dict[str, Any]) -> Identification:
    """The document read back and checked (ValueError, KeyError or TypeError naming what is
    wrong): ids in their UUID form, the document id made from the sale and the customer, a
    known ``how``, a time with its offset, the store and till as text of 1 to 64 characters."""
    if body.get("schema") != IDENTIFIED_SCHEMA:
        raise ValueError(f"schema is not {IDENTIFIED_SCHEMA}")
    extra = set(body) - {"schema", "document_id", "customer_id", "store_id", "till_id", "identified_at", "sale_id",
                         "how"}
    if extra:
        raise ValueError(f"unknown fields: {', '.join(sorted(extra))[:200]}")
    document_id = _uuid_text(body["document_id"], "document_id")
    customer_id = str(_uuid_text(body["customer_id"], "customer_id"))
    sale_id = _uuid_text(body["sale_id"], "sale_id")
    if document_id != identification_id(sale_id, customer_id):
        raise ValueError("document_id is not uuid5(sale_id, customer_id)")
    if body["how"] not in HOW:
        raise ValueError(f"how must be one of {', '.join(HOW)}")
    for name in ("store_id", "till_id"):
        if not isinstance(body[name], str) or not 1 <= len(body[name]) <= 64:
            raise ValueError(f"{name} must be text of 1 to 64 characters")
    if not isinstance(body["identified_at"], str):
        raise TypeError("identified_at must be an RFC 3339 time")
    at = datetime.fromisoformat(body["identified_at"])
    if at.tzinfo is None:
        raise ValueError("identified_at must have a UTC offset")
    return Identification(document_id, customer_id, body["store_id"], body["till_id"], at, sale_id, str(body["how"]))
