"""A sale of the till's store as the hub holds it, for a return at another till:
``GET /v1/sales/{sale_id}`` answers the sale's document as received (``kassa.sale.v1`` or
``v2``, with its card approvals) and what every till's returns already took back of it, per
sold line (``central.documents_report.returned_of_sale``: the arbiter), and paid back, per
payment of the sale (from those returns' refunds that name an ``original_payment_id``).
The shares of unchecked returns (kassa.return.v2) reconciled against the sale count like
the others (``central.reconciling``); what could not be matched is not counted, but flagged.

A sale the hub does not hold is 404 ``sale_not_found`` (the other till may not have pushed
it yet); a sale another store sold is 404 ``sale_of_another_store``: it can never be
returned here, and the answer does not show it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from central.database import HubDatabase
from central.documents_report import ReturnedLine, returned_of_sale
from central.errors import NotFound
from central.stores import TillIdentity
from central.tables import documents, returned_lines, sales
from pos.money import Money
from pos.store_day import forms


class SaleNotFound(NotFound):
    code = "sale_not_found"


class SaleOfAnotherStore(NotFound):
    code = "sale_of_another_store"


@dataclass(frozen=True, slots=True)
class SaleForReturn:
    document: dict[str, Any]  # as the till sent it
    returned: list[ReturnedLine]  # per sold line, at every till
    refunded: dict[str, Money]  # per payment id of the sale


def sale_for_return(db: HubDatabase, till: TillIdentity, sale_id: str) -> SaleForReturn:
    try:
        sale_id = str(uuid.UUID(sale_id))
    except ValueError:
        raise SaleNotFound(f"{sale_id[:60]!r} is not a sale id (a UUID)") from None
    with db.reading() as conn:
        row = conn.execute(select(sales.c.store_id, sales.c.till_id, sales.c.payload)
                           .where(sales.c.sale_id == sale_id)).first()
        if row is None:
            raise SaleNotFound(f"the hub holds no sale {sale_id} (yet): if another till of store {till.store_id} "
                               "sold it, that till has not sent it")
        if row.store_id != till.store_id:
            raise SaleOfAnotherStore(f"sale {sale_id} was sold by another store, not {till.store_id}: "
                                     "it cannot be returned here")
        return_ids = sorted(set(conn.execute(select(returned_lines.c.return_id)
                                             .where(returned_lines.c.sale_id == sale_id)).scalars()))
        bodies = list(conn.execute(select(documents.c.body).where(documents.c.document_id.in_(return_ids)))
                      .scalars()) if return_ids else []
    document = json.loads(row.payload)
    returned = returned_of_sale(db, till, sale_id)
    return SaleForReturn(document, returned, _refunded(document, bodies))


def _refunded(sale: dict[str, Any], bodies: Iterable[str]) -> dict[str, Money]:
    """Per payment of the sale, what the returns' refunds paid back to it."""
    paid = {str(p["payment_id"]) for p in sale.get("payments", [])}
    total: dict[str, Money] = {}
    for body in bodies:
        returned = forms.return_from_dict(json.loads(body))
        for refund in returned.refunds:
            key = None if refund.original_payment_id is None else str(refund.original_payment_id)
            if key in paid:
                before = total.get(key)
                total[key] = refund.payment.amount if before is None else before + refund.payment.amount
    return total
