"""Customers registered at the tills (``kassa.customer.v1`` through ``POST /v1/documents``),
merged by phone number inside the transaction that stores the document.

* A phone number the hub does not know: a new customer whose id is the registration's id (the
  id the till already used for the sales it made before the hub answered).
* A phone number already known (head office added them, or another till registered them
  first): the registration JOINS that customer, never a second customer; the outcome
  ``joined`` is kept (``kassa-hub customers --registrations``) and said in the answer.  A
  card handed over is given to the customer when they have none and no one else holds it.
* The same registration again is a duplicate document (central/documents_intake.py): once.
* The points of the registered customer's sales that arrived first (a till pushes its sales
  before its other documents) become the customer's when the registration arrives.

A sale made for a registration the hub joined to another customer names the registration's
id: ``customer_of`` gives the customer's id for any id a till used.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from central.customer_tables import customer_registrations, customers
from central.database import HubDatabase
from central.stores import TillIdentity
from central.versions import VersionClock
from central.customers import chain_key
from central.loyalty_tables import loyalty_movements
from pos.customers import Registration, phone_key, registration_from_dict

log = logging.getLogger(__name__)

NEW, JOINED = "new", "joined"


def read_registration(body: dict[str, Any], till: TillIdentity) -> tuple[Registration, str, int]:
    """The document checker of ``kassa.customer.v1`` (central/document_checks.py)."""
    from central.document_checks import DocumentProblem

    if (body.get("store_id"), body.get("till_id")) != (till.store_id, till.till_id):
        raise DocumentProblem("wrong_till", f"a document of {str(body.get('store_id'))[:64]}/"
                                            f"{str(body.get('till_id'))[:64]} sent by {till}")
    registration = registration_from_dict(body)
    return registration, str(registration.registration_id), 0


def merge_registration(conn: Connection, till: TillIdentity, r: Registration, received: datetime) -> dict[str, str]:
    """Store the registration's customer (new, or joined by phone); the answer's detail."""
    with VersionClock(conn) as clock:
        key = chain_key(conn, clock)
        held = conn.execute(select(customers.c.customer_id, customers.c.card)
                            .where(customers.c.phone == r.phone)).first()
        card_holder = conn.execute(select(customers.c.customer_id).where(customers.c.card == r.card)).scalar() \
            if r.card else None
        card_note = ""
        if held is None:
            customer_id, outcome = str(r.registration_id), NEW
            card = r.card if r.card and card_holder is None else None
            if r.card and card is None:
                card_note = f"; card {r.card} belongs to customer {card_holder}: not given to the new customer"
            conn.execute(customers.insert().values(
                customer_id=customer_id, phone=r.phone, phone_key=phone_key(r.phone, key), card=card, name=r.name,
                created_at=received, version=clock.next(), deleted=False))
        else:
            customer_id, outcome = str(held.customer_id), JOINED
            if r.card and held.card is None and card_holder is None:
                conn.execute(customers.update().where(customers.c.customer_id == customer_id)
                             .values(card=r.card, version=clock.next()))
                card_note = f"; card {r.card} given to them"
            elif r.card and r.card != held.card:
                card_note = (f"; card {r.card} not given (they hold {held.card or 'none'}, "
                             f"the card {card_holder or 'no one'})")
        points = _points_before(conn, clock, str(r.registration_id), customer_id)
    detail = (f"new customer {customer_id}" if outcome == NEW else
              f"the phone number is customer {customer_id}'s: the registration joined them") + card_note
    if points:
        detail += f"; {points} point(s) of sales made before the registration arrived"
    conn.execute(customer_registrations.insert().values(
        registration_id=str(r.registration_id), customer_id=customer_id, store_id=till.store_id,
        till_id=till.till_id, outcome=outcome, detail=detail[:300], received_at=received))
    if outcome == JOINED:
        log.info("registration %s at %s joined customer %s (same phone number)", r.registration_id, till, customer_id)
    return {"detail": detail}


def _points_before(conn: Connection, clock: VersionClock, registration_id: str, customer_id: str) -> int:
    """The points of the sales that reached the hub before their customer's registration (a
    till pushes its sales before its other documents): the movements recorded under the
    registration's id become the customer's, and their sum goes onto the customer's balance
    (the balance stays the sum of the customer's movements)."""
    moved = int(conn.execute(select(func.coalesce(func.sum(loyalty_movements.c.points), 0))
                             .where(loyalty_movements.c.customer_id == registration_id)).scalar_one())
    if registration_id != customer_id:
        conn.execute(update(loyalty_movements).where(loyalty_movements.c.customer_id == registration_id)
                     .values(customer_id=customer_id))
    if moved:
        conn.execute(update(customers).where(customers.c.customer_id == customer_id)
                     .values(points_balance=customers.c.points_balance + moved, version=clock.next()))
    return moved


def customer_of(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """The hub's customer id for each id a till used (a registration's id, or a customer's)."""
    wanted = sorted(set(ids))
    found = {i: i for i in wanted}
    if wanted:
        for registration_id, customer_id in conn.execute(
                select(customer_registrations.c.registration_id, customer_registrations.c.customer_id)
                .where(customer_registrations.c.registration_id.in_(wanted))):
            found[registration_id] = customer_id
    return found


@dataclass(frozen=True, slots=True)
class RegistrationRow:
    registration_id: str
    customer_id: str
    store_id: str
    till_id: str
    outcome: str
    detail: str
    received_at: datetime


def registrations(db: HubDatabase, *, joined_only: bool = False) -> list[RegistrationRow]:
    """The registrations the tills sent, in arrival order."""
    with db.reading() as conn:
        query = select(customer_registrations).order_by(customer_registrations.c.received_at,
                                                        customer_registrations.c.registration_id)
        if joined_only:
            query = query.where(customer_registrations.c.outcome == JOINED)
        return [RegistrationRow(r.registration_id, r.customer_id, r.store_id, r.till_id, r.outcome, r.detail,
                                r.received_at) for r in conn.execute(query)]
