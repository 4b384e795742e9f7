"""The till's side of loyalty points (``pos.loyalty.paying.PointsLedger``): the chain's rules as
last pulled (kept in ``sync_state`` under ``loyalty_rules``: one small JSON body, pulled whole
by ``sync.loyalty_rules``), and what this till knows of a customer's points.

The points this till took from a customer "since the balance" are counted from its own outbox,
never from its clock against the hub's: a sale's points are in the balance the till holds only
if the hub had acknowledged the sale before the pull that brought the balance began (the
customers dataset's ``pulled_at``, the start of that pull, in ``sync_cursors``).  Every other
sale of this till with points for the customer (not yet sent, sent later, quarantined) is
counted as used, so the till never lets more than the balance go, whatever it does not know.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from pos.loyalty.redeeming import PointsAccount
from pos.loyalty.rules import BadLoyaltyRules, LoyaltyRules, read_rules

log = logging.getLogger(__name__)

RULES_KEY = "loyalty_rules"
CUSTOMERS_DATASET = "customers"

# This till's sales with points taken from the customer, from the first one that may count
# (not acknowledged before the balance's pull, or made today): the tail of the outbox.
_POINTS_TAKEN = (
    "SELECT json_extract(payload, '$.points_redeemed'), created_at, acked_at FROM outbox "
    "WHERE row_id >= ? AND series = 'receipt' AND json_extract(payload, '$.customer_id') = ? "
    "AND json_extract(payload, '$.points_redeemed') > 0"
)
_FIRST_THAT_MAY_COUNT = (  # three indexed lookups (migrations 0007 and 0015), not a scan of the outbox
    "SELECT MIN(first) FROM ("
    "SELECT MIN(row_id) AS first FROM outbox WHERE acked_at IS NULL AND series = 'receipt' "
    "UNION ALL SELECT MIN(row_id) FROM outbox INDEXED BY outbox_receipts_acked "
    "WHERE acked_at >= ? AND series = 'receipt' AND acked_at IS NOT NULL "
    "UNION ALL SELECT MIN(row_id) FROM outbox INDEXED BY outbox_receipts_created "
    "WHERE created_at >= ? AND series = 'receipt')"
)


def _balance_in_customers(conn: Connection, customer_id: str) -> int | None:
    """The balance the customers dataset brought (local_db.customers keeps it)."""
    value = conn.exec_driver_sql("SELECT points_balance FROM customers WHERE customer_id = ?",
                                 (customer_id,)).scalar()
    return None if value is None else int(value)


class SqlLoyalty:
    def __init__(self, db: Database,
                 balance_of: Callable[[Connection, str], int | None] = _balance_in_customers) -> None:
        self.db = db
        self._balance_of = balance_of

    # -- the rules --------------------------------------------------------------------------
    def rules(self) -> LoyaltyRules | None:
        """The chain's rules as last pulled; None before any (or if they cannot be read)."""
        body = self.db.read(lambda conn: conn.exec_driver_sql(
            "SELECT value FROM sync_state WHERE key = ?", (RULES_KEY,)).scalar(), "reading the loyalty rules")
        if not body:
            return None
        try:
            return read_rules(str(body))
        except BadLoyaltyRules as error:  # kept only after this very check: a till downgraded?
            log.error("the loyalty rules kept by this till cannot be read (%s): no points until the next pull", error)
            return None

    def keep_rules(self, body: str | None) -> None:
        """Rules checked by the caller (``None``: head office removed them)."""
        def write(conn: Connection) -> None:
            if body is None:
                conn.exec_driver_sql("DELETE FROM sync_state WHERE key = ?", (RULES_KEY,))
            else:
                conn.exec_driver_sql("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (RULES_KEY, body))
        self.db.write(write, "keeping the loyalty rules")

    # -- a customer's points ----------------------------------------------------------------
    def account(self, customer_id: str, day_start: datetime) -> PointsAccount:
        """The customer's last known balance (0 if the hub sent none), the points this till took
        since it, and those it took since ``day_start`` (aware)."""
        def read(conn: Connection) -> PointsAccount:
            try:
                balance = self._balance_of(conn, customer_id)
            except sa_exc.OperationalError:  # no customers table yet (a till before customers)
                balance = None
            pulled = conn.exec_driver_sql("SELECT pulled_at FROM sync_cursors WHERE dataset = ?",
                                          (CUSTOMERS_DATASET,)).scalar()
            since = str(pulled) if pulled else ""  # "": no pull yet, every sale counts
            today = day_start.isoformat()
            first = conn.exec_driver_sql(_FIRST_THAT_MAY_COUNT, (since, today)).scalar()
            used_since = used_today = 0
            if first is not None:
                for points, created, acked in conn.exec_driver_sql(_POINTS_TAKEN, (int(first), customer_id)):
                    if acked is None or not since or str(acked) >= since:
                        used_since += int(points)
                    if datetime.fromisoformat(str(created)) >= day_start:
                        used_today += int(points)
            return PointsAccount(balance or 0, used_since, used_today)
        return self.db.read(read, "reading the customer's points")
