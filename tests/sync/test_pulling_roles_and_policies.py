"""A real hub process and a real till database: cashiers come with their role, and the
store's day policies are pulled with the rest, atomically; a policy the till cannot use is
refused alone and the till keeps the one it had."""

from __future__ import annotations

import json

from sqlalchemy import update

from central.policies import set_policy
from central.stores import add_cashier
from central.tables import policies
from central.versions import VersionClock
from local_db.cashiers import SqlCashiers
from local_db.database import Database
from local_db.staff import SqlStaff
from pos.store_day.roles import DEFAULT_TABLE, Role
from sync.pull import PullOutcome
from tests.fakes import STORE
from tests.sync.conftest import Hub, connect

STRICT = json.dumps({**DEFAULT_TABLE.to_data(), "void_line": ["senior_cashier"]})


def _kept(till_db: Database) -> dict[str, tuple[str, int]]:
    with till_db.reading() as conn:
        rows = conn.exec_driver_sql("SELECT name, body, deleted FROM store_policies").all()
    return {name: (body, deleted) for name, body, deleted in rows}


def _corrupt_at_the_hub(hub: Hub, name: str, body: str) -> None:
    """What only a mistake in the hub's database (or a newer hub) could send."""
    with hub.db.writing() as conn, VersionClock(conn) as clock:
        conn.execute(update(policies).where(policies.c.store_id == STORE.store_id, policies.c.name == name)
                     .values(body=body, version=clock.next()))


def test_cashiers_come_with_their_role_and_the_policies_with_the_catalog(hub: Hub, till_db: Database) -> None:
    add_cashier(hub.db, STORE.store_id, "1", "Olena", "1234")
    add_cashier(hub.db, STORE.store_id, "5", "Taras", "5555", role="senior_cashier")
    add_cashier(hub.db, STORE.store_id, "9", "Iryna", "9999", role="manager")
    set_policy(hub.db, STORE.store_id, "permissions", STRICT)
    set_policy(hub.db, STORE.store_id, "reasons", '[{"code": "damaged", "label": "Пошкоджено"}]')
    sync = connect(hub.url, till_db, hub)

    outcome = sync.pull()

    assert isinstance(outcome, PullOutcome) and outcome.items["policies"] == 2 and outcome.refused == ()
    staff = SqlStaff(till_db, SqlCashiers(till_db))
    assert [staff.role_of(code) for code in ("1", "5", "9")] == [Role.CASHIER, Role.SENIOR_CASHIER, Role.MANAGER]
    assert set(_kept(till_db)) == {"permissions", "reasons"}
    assert json.loads(_kept(till_db)["permissions"][0])["void_line"] == ["senior_cashier"]
    # a cashier made a manager at the hub is one at the till after the next pull; a removed policy goes
    add_cashier(hub.db, STORE.store_id, "1", "Olena", "1234", role="manager")
    from central.policies import remove_policy
    remove_policy(hub.db, STORE.store_id, "reasons")
    sync.pull()
    assert staff.role_of("1") is Role.MANAGER
    assert _kept(till_db)["reasons"][1] == 1


def test_a_corrupt_policy_is_refused_alone_and_the_till_keeps_the_one_it_had(hub: Hub, till_db: Database) -> None:
    set_policy(hub.db, STORE.store_id, "permissions", STRICT)
    set_policy(hub.db, STORE.store_id, "reasons", '[{"code": "damaged", "label": "Damaged"}]')
    sync = connect(hub.url, till_db, hub)
    sync.pull()
    before = _kept(till_db)
    _corrupt_at_the_hub(hub, "permissions", '{"void_line": ["cashier"], "teleport": ["cashier"]}')
    _corrupt_at_the_hub(hub, "reasons", "[{not json")
    add_cashier(hub.db, STORE.store_id, "7", "Petro", "7777")

    outcome = sync.pull()

    assert isinstance(outcome, PullOutcome)
    assert len(outcome.refused) == 2 and "unknown action 'teleport'" in outcome.describe()
    assert "is not JSON" in outcome.describe() and "the till keeps the rules it had" in outcome.describe()
    assert _kept(till_db) == before
    assert SqlCashiers(till_db).sign_in("7", "7777") is not None  # the rest of the pull was applied
    # once head office fixes it, the till takes it
    set_policy(hub.db, STORE.store_id, "permissions", json.dumps({"void_line": ["cashier"]}))
    assert sync.pull().refused == ()  # type: ignore[union-attr]
    assert json.loads(_kept(till_db)["permissions"][0]) == {"void_line": ["cashier"]}


def test_a_big_pull_built_beside_the_catalog_brings_the_roles_and_policies_in_its_swap(
        hub: Hub, till_db: Database) -> None:
    from local_db.reference_data import ReferenceData
    from sync.pull import CatalogPuller

    add_cashier(hub.db, STORE.store_id, "9", "Iryna", "9999", role="manager")
    set_policy(hub.db, STORE.store_id, "permissions", STRICT)
    sync = connect(hub.url, till_db, hub)

    outcome = CatalogPuller(sync.client, ReferenceData(till_db, big_pull=1)).pull()  # every pull is "big"

    assert outcome.items["policies"] == 1
    assert SqlStaff(till_db, SqlCashiers(till_db)).role_of("9") is Role.MANAGER
    assert set(_kept(till_db)) == {"permissions"}
    with till_db.reading() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM staged_store_policies").scalar_one() == 0
