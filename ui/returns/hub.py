"""A sale asked of the hub for a return (``pos.store_day.returns_desk.HubLookup``).

The hub answers the sale and what every till of the store returned and refunded of it
(``HubClient.sale_for_return``); this till's own returns of that sale that the hub has not
acknowledged yet are added to its figures, so a return made here a moment ago counts even
before it is pushed.  ``HubOffline`` (the return of another till's sale then needs a
manager's approval): a hub that cannot be reached now (a retryable ``SyncError``), a sale
the hub does not hold yet (the till that sold it has not sent it), a link that already
failed its last exchanges (no wait then), no client able to ask.  Runs on the till worker
(the lookup blocks on the network, tried once with the client's short timeout)."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from typing import Any

from pos.money import Money
from pos.store_day.returns_desk import HubLookup, HubOffline, HubSale, merged_with_own
from sync.errors import SaleNotAtHub, SyncError
from sync.link import Link
from ui.services import TillServices

log = logging.getLogger(__name__)

_OWN_UNSENT_LINES = (
    "SELECT l.sold_line_id, l.quantity FROM return_lines l JOIN returns r ON r.return_id = l.return_id "
    "JOIN outbox o ON o.document_id = r.return_id WHERE r.original_sale_id = ? AND l.sold_line_id IS NOT NULL "
    "AND o.acked_at IS NULL")
_OWN_UNSENT_REFUNDS = (
    "SELECT f.original_payment_id, f.amount_minor, r.currency FROM refunds f JOIN returns r ON r.return_id = "
    "f.return_id JOIN outbox o ON o.document_id = r.return_id WHERE r.original_sale_id = ? "
    "AND f.original_payment_id IS NOT NULL AND o.acked_at IS NULL")


def hub_lookup(services: TillServices) -> HubLookup | None:
    """None for a till with no hub: another till's sale is then returned as unchecked."""
    sync = services.sync
    if sync is None:
        return None
    fetch = getattr(sync.client, "sale_for_return", None)
    day = services.store_day
    journal: Any = day.journal if day is not None else None

    def lookup(sale_id: uuid.UUID) -> HubSale | None:
        if fetch is None or _known_offline(sync):
            raise HubOffline(till="?")  # no wait for a hub the link already knows is away
        try:
            answer = fetch(sale_id)
        except SaleNotAtHub as error:  # the till that sold it has not sent it yet: as if offline
            log.warning("the hub does not hold sale %s yet: %s", sale_id, error.reason)
            raise HubOffline(till="?") from error
        except SyncError as error:
            if error.retryable:
                log.warning("the hub could not be asked about sale %s: %s", sale_id, error.reason)
                raise HubOffline(till="?") from error
            raise
        if answer is None:
            return None
        sale, returned, refunded = answer
        found = HubSale(sale, returned, refunded)
        if journal is None:
            return found
        own_returned, own_refunded = journal.db.read(lambda conn: _own_unsent(conn, sale_id),
                                                     "reading this till's unsent returns of a sale")
        return merged_with_own(found, own_returned, own_refunded)

    return lookup


def _known_offline(sync: Any) -> bool:
    """The link failed its last exchanges (not merely "not tried yet" at start-up)."""
    status = sync.monitor.status()
    return bool(status.link is Link.OFFLINE and status.problem)


def _own_unsent(conn: Any, sale_id: uuid.UUID) -> tuple[dict[uuid.UUID, Decimal], dict[uuid.UUID, Money]]:
    returned: dict[uuid.UUID, Decimal] = {}
    for line_id, quantity in conn.exec_driver_sql(_OWN_UNSENT_LINES, (str(sale_id),)):
        key = uuid.UUID(line_id)
        returned[key] = returned.get(key, Decimal(0)) + Decimal(quantity)
    refunded: dict[uuid.UUID, Money] = {}
    for payment_id, minor, currency in conn.exec_driver_sql(_OWN_UNSENT_REFUNDS, (str(sale_id),)):
        key = uuid.UUID(payment_id)
        amount = Money.from_minor(int(minor), currency)
        refunded[key] = refunded[key] + amount if key in refunded else amount
    return returned, refunded
