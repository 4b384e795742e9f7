"""Points head office gives a customer outside a sale (``kassa-hub give-points``): an opening
balance carried over from the old loyalty system, a goodwill gesture.  Each grant is one ledger
movement of kind ``granted`` under its own id, so giving the same grant again (a script run
twice, the demo started again) changes nothing; its points reach the tills with the customer's
row in the customers dataset, like points a sale earned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from central.customer_tables import customers
from central.database import HubDatabase
from central.errors import AdminProblem
from central.loyalty_ledger import carry_balances
from central.loyalty_tables import loyalty_movements
from pos.phone import PhoneNumberProblem, normalise_phone

GRANTED = "granted"
MAX_GRANT = 10_000_000  # points in one grant
GRANT_IDS = uuid.UUID("0b6f3f55-2f43-4f0e-9f37-6a8f6c1e7d21")  # namespace of grant ids made from a name


@dataclass(frozen=True, slots=True)
class Granted:
    customer_id: str
    points: int
    grant_id: str
    new: bool  # False: this grant was given before, nothing changed

    def describe(self) -> str:
        if not self.new:
            return f"grant {self.grant_id} was given to {self.customer_id} before: nothing changed"
        return f"{self.points:+d} points given to {self.customer_id} (grant {self.grant_id})"


def grant_id_for(name: str) -> str:
    """The id of a grant named by head office ("opening-2026", "apology-ticket-4411")."""
    return str(uuid.uuid5(GRANT_IDS, name))


def give_points(db: HubDatabase, customer: str, points: int, grant: str, *, region: str = "UA",
                now: datetime | None = None) -> Granted:
    """``points`` (negative takes them away) to ``customer`` (a customer id, or a phone number in any
    format people type), once per ``grant`` name."""
    if not isinstance(points, int) or points == 0 or abs(points) > MAX_GRANT:
        raise AdminProblem(f"points must be a whole number from -{MAX_GRANT} to {MAX_GRANT}, not 0")
    if not grant.strip() or len(grant) > 100:
        raise AdminProblem("a grant needs a name of 1 to 100 characters (--grant), so giving it twice changes nothing")
    grant_id = grant_id_for(grant.strip())
    at = now or datetime.now(timezone.utc)
    with db.writing() as conn:
        customer_id = _customer_id(conn, customer, region)
        given = conn.execute(select(loyalty_movements.c.id).where(
            loyalty_movements.c.sale_id == grant_id, loyalty_movements.c.kind == GRANTED,
            loyalty_movements.c.document_id == grant_id)).first()
        if given is not None:
            return Granted(customer_id, points, grant_id, new=False)
        conn.execute(loyalty_movements.insert().values(
            customer_id=customer_id, sale_id=grant_id, kind=GRANTED, document_id=grant_id, points=points,
            store_id="", till_id="", receipt_number=0, happened_at=at, received_at=at))
        carry_balances(conn, {customer_id: points})
    return Granted(customer_id, points, grant_id, new=True)


def _customer_id(conn, customer: str, region: str) -> str:  # type: ignore[no-untyped-def]
    text = customer.strip()
    found = conn.execute(select(customers.c.customer_id).where(customers.c.customer_id == text[:64])).scalar()
    if found is not None:
        return str(found)
    try:
        phone = normalise_phone(text, region)
    except PhoneNumberProblem:
        raise AdminProblem(f"no customer {text[:64]!r}: give a customer id or a phone number") from None
    found = conn.execute(select(customers.c.customer_id).where(customers.c.phone == phone)).scalar()
    if found is None:
        raise AdminProblem(f"no customer has the phone number {phone}")
    return str(found)
