"""A customer identified for the open sale is told to the hub (``kassa.customer_identified.v1``).

Where: on the till worker, right after the till change that identified the customer, as the
next step of the same worker (``record_identified``).  That step looks at the till itself: it
records only when the open sale's customer IS that customer (an identification the till
refused, e.g. with nobody signed in, records nothing), with the open basket's id as the sale.
The till (pos/) stays as it is: the document is marketing's, not the sale's, and the outbox
row is written by ``SqlCustomers.identified`` in one transaction, once per customer per sale.

A customer id the hub could not know (not a UUID) or a database that refuses the row is
logged, never shown: telling the CRM never stops a sale.
"""

from __future__ import annotations

import logging
from typing import Any

from local_db.customers import SqlCustomers
from pos.customer_identified import BY_CARD, BY_PHONE
from pos.customers import CustomerRecord
from pos.ports import SaleJournal
from pos.till import Till
from ui.customers.dialog import CustomerDialog

log = logging.getLogger(__name__)


def record_identified(session: Any, customers: SqlCustomers, customer_id: str, how: str) -> None:
    """After the identifying change (same worker, in order): queue the document when the sale's
    customer is ``customer_id``."""

    def write(till: Till, _journal: SaleJournal) -> bool:
        customer = till.customer
        if customer is None or customer.customer_id != customer_id:
            return False
        try:
            return customers.identified(customer_id, till.basket.basket_id, how, now=till.clock.now())
        except ValueError as problem:
            log.info("customer %s identified for sale %s is not told to the hub: %s", customer_id,
                     till.basket.basket_id, problem)
            return False

    def failed(error: BaseException) -> None:
        log.error("customer %s identified but not queued for the hub: %s", customer_id, error, exc_info=error)

    session.query(write).failure(failed).run()


class CustomerDialogForTheHub(CustomerDialog):
    """The F10, C dialog whose identifications are queued for the hub: by card when the code
    typed in the lookup is the customer's card, else by phone (found or registered by number)."""

    def _identify(self, record: CustomerRecord, notice: str) -> None:
        super()._identify(record, notice)
        typed = self.lookup.text().strip()
        how = BY_CARD if record.card and typed == record.card else BY_PHONE
        record_identified(self.session, self.customers, record.facts.customer_id, how)


__all__ = ["CustomerDialogForTheHub", "record_identified"]
