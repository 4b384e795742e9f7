"""The store's day rules of this till: head office's policies (the hub's ``policies`` dataset,
kept in ``store_policies``) on top of the till's ``[store_day]`` settings and the defaults of
``pos.store_day``.  (Stub: the defaults only, until the policies dataset and settings land.)"""

from __future__ import annotations

from local_db.database import Database
from pos.store_day.day import StoreDayRules
from pos.store_day.drawer import default_denominations
from shell.settings import Settings


def store_day_rules(settings: Settings, db: Database) -> StoreDayRules:
    return StoreDayRules(denominations=default_denominations(settings.store.currency))
