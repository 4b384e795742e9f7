"""The store's day rules of this till: head office's policies (the hub's ``policies`` dataset,
kept in ``store_policies`` by the pull) on top of the till's ``[store_day]`` settings and the
defaults of ``pos.store_day``.

- the permission table and the reason codes: the hub's, else Kassa's defaults;
- the notes and coins of the drawer: the hub's (when they are of the store's currency), else
  ``[store_day] denominations``, else the currency's own;
- the inactivity lock, refunds to the card, the drawer pin and whether the drawer opens on
  cash: ``[store_day]``.

A stored policy was read by the pull before it was kept (``sync.pull``), so it reads here too;
should one not (a database restored from a newer Kassa), the next level is used and the log
says so: the till always has rules.

New denominations (from the hub or the settings) that leave out a note or coin counted in the
float of the shift still open (the till restarted mid-shift after a pull) would make that shift
unreadable: then the first of the levels that reads it is used for the rest of the shift, the
log says so, and the new ones apply from the next start after the shift is closed.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from local_db.database import Database
from local_db.store_day_journal import SqlStoreDay
from pos.store_day.approval import DEFAULT_REASONS, ReasonCodes
from pos.store_day.day import StoreDayRules
from pos.store_day.drawer import Denominations, UnknownDenomination, default_denominations
from pos.store_day.lock import InactivityLock
from pos.store_day.policies import BadPolicy, Policy, read_policy
from pos.store_day.returns import RefundPolicy
from pos.store_day.roles import DEFAULT_TABLE, PermissionTable
from shell.settings import Settings, notes_and_coins

log = logging.getLogger(__name__)


def store_day_rules(settings: Settings, db: Database) -> StoreDayRules:
    day = settings.store_day
    currency = settings.store.currency
    policies = hub_policies(db)
    permissions = policies.get("permissions")
    reasons = policies.get("reasons")
    denominations = policies.get("denominations")
    if isinstance(denominations, Denominations) and denominations.currency != currency:
        log.warning("head office's denominations are of %s, but this till sells in %s: they are not used",
                    denominations.currency, currency)
        denominations = None
    own = (Denominations.from_data(currency, notes_and_coins(currency, day.denominations))
           if day.denominations else default_denominations(currency))
    levels = [d for d in (denominations, own, default_denominations(currency)) if isinstance(d, Denominations)]
    return StoreDayRules(
        denominations=_reading_the_open_shift(db, settings.till.till_id, levels),
        permissions=permissions if isinstance(permissions, PermissionTable) else DEFAULT_TABLE,
        reasons=reasons if isinstance(reasons, ReasonCodes) else DEFAULT_REASONS,
        refunds=RefundPolicy(card_to_card=day.refund_card_to_card),
        inactivity=InactivityLock(timedelta(minutes=day.inactivity_minutes)),
        drawer_pin=day.drawer_pin,
        open_drawer=day.open_drawer,
    )


def _reading_the_open_shift(db: Database, till_id: str, levels: list[Denominations]) -> Denominations:
    """The first of ``levels`` in which the shift still open (if any) can be read back."""
    journal = SqlStoreDay(db, till_id)
    if journal.open_shift_id() is None:
        return levels[0]
    for level in levels:
        try:
            journal.current_shift(level)
        except UnknownDenomination as error:
            log.warning("the open shift's float holds %s, which the new denominations leave out: they apply "
                        "from the next start after this shift is closed", error.fields.get("denomination"))
            continue
        return level
    return levels[0]


def hub_policies(db: Database) -> dict[str, Policy]:
    """The policies head office set for this store, read; one that does not read is left out."""
    rows = db.read(lambda conn: conn.exec_driver_sql(
        "SELECT name, body FROM store_policies WHERE deleted = 0").all(), "reading head office's store-day rules")
    found: dict[str, Policy] = {}
    for name, body in rows:
        try:
            found[str(name)] = read_policy(str(name), str(body))
        except BadPolicy as error:
            log.error("the stored %s policy cannot be used (%s): the till's settings and defaults apply", name, error)
    return found
