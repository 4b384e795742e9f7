"""A customer as the till knows them, and a customer registered at a till.

The hub holds the customer whole (phone number, full name, birthday...); a till holds only what
it needs (``CustomerRecord``): the facts pricing needs (``CustomerFacts``; the birthday as a
month and day only), a display name ("Olena K."), the loyalty card barcode, the personal
offers, the wishlist, and a keyed hash of the phone number (``phone_key``) so that a number
typed at the till finds the customer without the till holding anyone's number.

A customer registered at a till (offline too) is a ``Registration``, sent to the hub as a
``kassa.customer.v1`` document through ``POST /v1/documents``; the hub merges it by phone
number (central/customer_registrations.py).  Its id is made by the till and is the
document's id, so a registration sent twice is one.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pos.errors import PosError
from pos.i18n import N_
from pos.phone import normalise_phone
from pos.pricing.promotion import CustomerFacts

REGISTRATION_SCHEMA = "kassa.customer.v1"
REGISTRATION_SERIES = "customer"
MAX_NAME = 100
MAX_CARD = 64
BIRTHDAY_YEAR = 2000  # a leap year: a month-day birthday (29 February too) as a date


class CustomerProblem(PosError):
    """A customer's details cannot be used as typed."""

    message = N_("Those customer details cannot be used.")


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """What a till holds of one customer (``points_balance`` and ``balance_version``: the last
    balance the hub sent, filled by the loyalty ledger; ``registered_here``: this till
    registered them and the hub has not sent them back yet)."""

    facts: CustomerFacts
    display_name: str
    card: str = ""
    personal_offers: tuple[str, ...] = ()
    wishlist: tuple[str, ...] = ()  # product codes this store carries
    wishlist_names: tuple[str, ...] = ()  # their names, in the same order
    offer_names: tuple[str, ...] = ()  # the personal offers' promotion names the till knows
    points_balance: int = 0
    balance_version: str = ""
    registered_here: bool = False


@dataclass(frozen=True, slots=True)
class Registration:
    """A customer registered at a till: ``phone`` in E.164, the name as typed, the loyalty card
    barcode handed over (or "")."""

    registration_id: uuid.UUID
    phone: str
    name: str
    card: str
    store_id: str
    till_id: str
    registered_at: datetime  # aware


def clean_name(text: str) -> str:
    """A customer's name as typed, spaces tidied; a ``CustomerProblem`` when empty or too long."""
    name = " ".join(str(text).split())
    if not name:
        raise CustomerProblem(N_("Type the customer's name."))
    if len(name) > MAX_NAME or not name.isprintable():
        raise CustomerProblem(N_("A customer's name has at most {longest} characters."), longest=MAX_NAME)
    return name


def clean_card(text: str) -> str:
    """A loyalty card barcode (digits and letters, as the scanner typed it) or ""."""
    card = str(text).strip()
    if card and (len(card) > MAX_CARD or not card.isascii() or not card.isalnum()):
        raise CustomerProblem(N_("That is not a loyalty card number."))
    return card


def display_name(name: str) -> str:
    """What a till shows of a customer's name: the first name and the family name's initial
    ("Olena Kovalenko" -> "Olena K.")."""
    words = name.split()
    if not words:
        return ""
    return words[0] if len(words) == 1 else f"{words[0]} {words[-1][0]}."


def phone_key(e164: str, key: bytes) -> str:
    """The keyed hash (HMAC-SHA256, hex) by which tills find a customer by phone number."""
    return hmac.new(key, e164.encode("ascii"), hashlib.sha256).hexdigest()


def month_day(birthday: date | None) -> str:
    """A birthday as a till receives it: "MM-DD" (no year), or ""."""
    return "" if birthday is None else f"{birthday.month:02d}-{birthday.day:02d}"


def birthday_of(text: str) -> date | None:
    """The "MM-DD" form back as a date in a leap year (the engine compares month and day only)."""
    if not text:
        return None
    month, day = text.split("-")
    return date(BIRTHDAY_YEAR, int(month), int(day))


def new_registration(phone_typed: str, name_typed: str, card_typed: str, *, region: str, store_id: str,
                     till_id: str, now: datetime) -> Registration:
    """A registration from what the cashier typed (each part checked; a ``PosError`` says which)."""
    return Registration(uuid.uuid4(), normalise_phone(phone_typed, region), clean_name(name_typed),
                        clean_card(card_typed), store_id, till_id, now)


def registration_to_dict(r: Registration) -> dict[str, Any]:
    return {"schema": REGISTRATION_SCHEMA, "registration_id": str(r.registration_id), "phone": r.phone,
            "name": r.name, "card": r.card, "store_id": r.store_id, "till_id": r.till_id,
            "registered_at": r.registered_at.isoformat()}


def registration_from_dict(body: dict[str, Any]) -> Registration:
    """The document read back and checked: a ``CustomerProblem`` (or KeyError/ValueError for a
    missing or malformed part) when it is not one the till could have made."""
    if body.get("schema") != REGISTRATION_SCHEMA:
        raise CustomerProblem(N_("That is not a customer registration."))
    registration_id = uuid.UUID(body["registration_id"])
    if str(registration_id) != body["registration_id"]:
        raise ValueError("registration_id is not a UUID in its lower-case text form")
    phone = str(body["phone"])
    if normalise_phone(phone, "") != phone:
        raise ValueError("phone is not in E.164")
    name = str(body["name"])
    if clean_name(name) != name:
        raise ValueError("name has spaces to tidy")
    registered_at = datetime.fromisoformat(str(body["registered_at"]))
    if registered_at.tzinfo is None:
        raise ValueError("registered_at must have a UTC offset")
    return Registration(registration_id, phone, name, clean_card(str(body.get("card", ""))), str(body["store_id"]),
                        str(body["till_id"]), registered_at)
