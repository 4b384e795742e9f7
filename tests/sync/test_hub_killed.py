"""SIGKILL of the hub process while it stores a big batch, then a new hub process on the
same database (SQLite file, or PostgreSQL when KASSA_TEST_PG_URL is set): after the
till's retry every sale is at the hub exactly once.

Two moments: inside the hub's write transaction (held open for seconds by a trigger that
works before storing the batch's first sale, caught by watching the database, then the
process is frozen with SIGSTOP and the transaction seen still open before SIGKILL), and
after the commit with the answer held back by the proxy (the till never hears of it)."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from central.database import HubDatabase, open_hub_database
from local_db.database import Database
from sync.errors import HubUnreachable
from sync.link import Link
from sync.push import PushOutcome
from tests.central.conftest import (database_url, fresh_postgresql_url, migrated_postgresql_template,  # noqa: F401
                                    migrated_postgresql_url, migrated_sqlite)  # fixtures
from tests.central.hub_process import HubProcess, hub_process
from tests.central.shop import Shop
from tests.fakes import STORE
from tests.sync.faults import TillHolds, assert_each_sale_once, enrol, hub_holds, record, till_holds, till_sync
from tests.sync.proxy import proxy_to

pytestmark = pytest.mark.timeout(300)  # a safety net against a hang, not a speed check

SALES = 500  # one batch, the protocol's largest
INSIDE = "inside its write transaction"
AFTER_COMMIT = "after its commit, before the till has the answer"


@pytest.fixture
def hub_url(database_url: str) -> str:  # noqa: F811 - the imported fixture, requested
    """The hub's database on SQLite and on PostgreSQL (the hub tests' own fixture)."""
    return database_url


@pytest.fixture
def hub_db(hub_url: str) -> Iterator[HubDatabase]:
    db = open_hub_database(hub_url, migrate_schema=True)
    with httpx.Client() as unused:
        Shop.set_up(db, unused, store_id=STORE.store_id)
    yield db
    db.close()


@contextmanager
def write_transaction_probe(hub_url: str, hub_db: HubDatabase) -> Iterator[Callable[[], bool]]:
    """True while some hub process is inside a write transaction storing sales."""
    if hub_db.is_sqlite:
        probe = sqlite3.connect(make_url(hub_url).database or "", timeout=0, isolation_level=None)

        def sqlite_writer() -> bool:  # the hub takes the write lock with BEGIN IMMEDIATE
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            probe.execute("ROLLBACK")
            return False

        try:
            yield sqlite_writer
        finally:
            probe.close()
        return
    query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query ILIKE 'INSERT INTO sales%'")
    with hub_db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        yield lambda: bool(conn.execute(query).scalar_one())


HOLD_SECONDS = 3  # how long the trigger keeps the hub inside its transaction (SQLite: about as long)
_PG_HOLD = (
    f"CREATE FUNCTION kassa_test_hold() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep({HOLD_SECONDS}); "
    "RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER kassa_test_hold BEFORE INSERT ON sales FOR EACH ROW WHEN (NEW.seq = 1) "
    "EXECUTE FUNCTION kassa_test_hold()",
)
_PG_RELEASE = ("DROP TRIGGER IF EXISTS kassa_test_hold ON sales", "DROP FUNCTION IF EXISTS kassa_test_hold()")
# SQLite has no sleep: counting to some millions in the trigger's condition takes seconds
_SQLITE_HOLD = ("CREATE TRIGGER kassa_test_hold BEFORE INSERT ON sales WHEN NEW.seq = 1 AND (WITH RECURSIVE "
                f"c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {HOLD_SECONDS * 7_000_000}) "
                "SELECT count(*) FROM c) > 0 BEGIN SELECT 1; END",)
_SQLITE_RELEASE = ("DROP TRIGGER IF EXISTS kassa_test_hold",)


@contextmanager
def the_first_insert_held(hub_db: HubDatabase) -> Iterator[None]:
    """The hub stays seconds inside its write transaction before storing sale 1, so the
    test sees it there without having to be fast (the batch alone commits in milliseconds)."""
    hold, release = (_SQLITE_HOLD, _SQLITE_RELEASE) if hub_db.is_sqlite else (_PG_HOLD, _PG_RELEASE)
    with hub_db.writing() as conn:
        for statement in hold:
            conn.exec_driver_sql(statement)
    try:
        yield
    finally:
        with hub_db.writing() as conn:
            for statement in release:
                conn.exec_driver_sql(statement)


def kill_inside_the_write_transaction(hub: HubProcess, inside: Callable[[], bool], hub_db: HubDatabase) -> None:
    deadline = time.monotonic() + 120  # a safety net: a loaded machine may take long
    while time.monotonic() < deadline:
        if not inside():
            assert hub_holds(hub_db).count == 0, "the batch was committed before the transaction was caught"
            continue  # watching another process's transaction: nothing to wait on
        os.kill(hub.process.pid, signal.SIGSTOP)
        if inside():  # frozen mid-transaction: nothing of it is visible yet
            assert hub_holds(hub_db).count == 0
            hub.kill()
            return
        os.kill(hub.process.pid, signal.SIGCONT)
    pytest.fail("the hub's write transaction was never seen open")


def wait_for_the_commit(hub_db: HubDatabase, count: int) -> None:
    deadline = time.monotonic() + 120  # a safety net: a loaded machine may take long
    while hub_holds(hub_db).count < count:
        assert time.monotonic() < deadline, "the hub never committed the batch"
        time.sleep(0.005)  # another process's database: nothing to wait on


@pytest.mark.parametrize("moment", [INSIDE, AFTER_COMMIT])
def test_a_hub_killed_while_storing_a_batch_and_restarted_ends_with_each_sale_stored_once(
        hub_url: str, hub_db: HubDatabase, till_db: Database, moment: str) -> None:
    with write_transaction_probe(hub_url, hub_db) as inside, hub_process(hub_url) as first, \
            proxy_to(first.url) as link:
        sync = till_sync(link.url, till_db, enrol(first.url, hub_db, till_db), timeout=10, batch_size=SALES)
        record(till_db, SALES)
        link.delay_next_answers(1, 30)  # whatever the hub answers, the till will not hear it before the kill
        pushed: list[PushOutcome] = []
        pushing = threading.Thread(target=lambda: pushed.append(sync.push()))
        pushing.start()
        try:
            if moment == INSIDE:
                with the_first_insert_held(hub_db):
                    kill_inside_the_write_transaction(first, inside, hub_db)
            else:
                wait_for_the_commit(hub_db, SALES)
                first.kill()
        finally:
            first.kill()
            link.delay_next_answers(0, 0)
            link.drop_connections()  # the dead hub's connections, with any answer held back
            pushing.join(120)  # a safety net

        assert not pushing.is_alive() and isinstance(pushed[0].error, HubUnreachable)
        assert till_holds(till_db) == TillHolds(unsent=SALES, acknowledged=0, quarantined=0)
        assert hub_holds(hub_db).count == (0 if moment == INSIDE else SALES)

        with hub_process(hub_url, port=first.port):  # a new hub process, same address and database
            retried = sync.push()

    assert retried.error is None and retried.acknowledged == SALES
    assert retried.duplicates == (0 if moment == INSIDE else SALES)
    assert sync.monitor.status().link is Link.ONLINE
    assert_each_sale_once(hub_db, till_db, SALES)
