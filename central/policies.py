"""Head office's store's day policies (the ``policies`` dataset): a store's permission table,
reason codes and denominations, each a JSON body checked with the till's own reader
(``pos.store_day.policies.read_policy``) before it is stored, so a table the tills would
refuse never leaves the hub.  A change takes the next global version (``central.versions``);
the same body again changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, update

from central.database import HubDatabase
from central.errors import AdminProblem
from central.stores import check_identifier, require_store
from central.tables import policies
from central.versions import VersionClock
from pos.store_day.policies import POLICY_NAMES, BadPolicy, read_policy


@dataclass(frozen=True, slots=True)
class PolicySet:
    store_id: str
    name: str
    version: int | None  # None: the store had this very policy already

    def describe(self) -> str:
        if self.version is None:
            return f"the {self.name} policy of store {self.store_id} is unchanged"
        return (f"the {self.name} policy of store {self.store_id} saved (version {self.version}); "
                "its tills take it at their next pull")


def _key(store_id: str, name: str) -> ColumnElement[bool]:
    return (policies.c.store_id == store_id) & (policies.c.name == name)


def set_policy(db: HubDatabase, store_id: str, name: str, body: str) -> PolicySet:
    """Store ``body`` as the store's ``name`` policy; refuse one the tills could not read."""
    store_id = check_identifier("store", store_id)
    if name not in POLICY_NAMES:
        raise AdminProblem(f"--name {name[:40]!r} is not a policy: use one of {', '.join(POLICY_NAMES)}")
    try:
        read_policy(name, body)
    except BadPolicy as error:
        raise AdminProblem(f"refused, nothing changed: {error}") from None
    body = json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":"))
    with db.writing() as conn:
        require_store(conn, store_id)
        found = conn.execute(select(policies.c.body, policies.c.deleted).where(_key(store_id, name))).first()
        if found is not None and found.body == body and not found.deleted:
            return PolicySet(store_id, name, None)
        with VersionClock(conn) as clock:
            values = dict(body=body, deleted=False, version=clock.next())
            if found is not None:
                conn.execute(update(policies).where(_key(store_id, name)).values(**values))
            else:
                conn.execute(policies.insert().values(store_id=store_id, name=name, **values))
        return PolicySet(store_id, name, clock.last)


def remove_policy(db: HubDatabase, store_id: str, name: str) -> PolicySet:
    """The store's tills go back to their own settings and Kassa's defaults for ``name``."""
    store_id = check_identifier("store", store_id)
    if name not in POLICY_NAMES:
        raise AdminProblem(f"--name {name[:40]!r} is not a policy: use one of {', '.join(POLICY_NAMES)}")
    with db.writing() as conn:
        require_store(conn, store_id)
        found = conn.execute(select(policies.c.deleted).where(_key(store_id, name))).first()
        if found is None or found.deleted:
            return PolicySet(store_id, name, None)
        with VersionClock(conn) as clock:
            conn.execute(update(policies).where(_key(store_id, name)).values(deleted=True, version=clock.next()))
        return PolicySet(store_id, name, clock.last)
