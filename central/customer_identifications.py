"""Customers identified at a till (``kassa.customer_identified.v1`` through ``POST /v1/documents``,
pos/customer_identified.py): what a CRM's marketing triggers fire on.

The hub checks the document (ids in their UUID form, the document id made from the sale and the
customer, "phone" or "card", the till's own store and till) and stores it like every document:
once, by its id, with its feed event (kind ``customer_identified``) in the same transaction
(central/documents_intake.py, central/event_feed.py).  Nothing else is done with it: a customer
the hub does not know yet is fine (their registration may still be on its way), and it holds
no phone number.
"""

from __future__ import annotations

from typing import Any

from central.stores import TillIdentity
from pos.customer_identified import Identification, identification_from_dict


def read_identification(body: dict[str, Any], till: TillIdentity) -> tuple[Identification, str, int]:
    """The document checker of ``kassa.customer_identified.v1`` (central/document_checks.py)."""
    from central.document_checks import DocumentProblem

    if (body.get("store_id"), body.get("till_id")) != (till.store_id, till.till_id):
        raise DocumentProblem("wrong_till", f"a document of {str(body.get('store_id'))[:64]}/"
                                            f"{str(body.get('till_id'))[:64]} sent by {till}")
    identification = identification_from_dict(body)
    return identification, str(identification.document_id), 0
