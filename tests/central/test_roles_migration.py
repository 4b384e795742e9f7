"""A hub database of schema 0002 with cashiers upgrades to roles and policies (0003): every
cashier it had is a plain cashier, tills get them with their role; and the upgrade can be undone."""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi.testclient import TestClient
from sqlalchemy import update

from central.app import create_app
from central.database import connect, migrate
from central.stores import PIN_HASHER
from central.tables import cashiers, catalog_version, stores
from tests.central.migrating import migrate_to
from tests.central.shop import STORE_ID, Shop


def test_a_hubs_cashiers_become_plain_cashiers_and_reach_the_tills_with_their_role(database_url: str) -> None:
    migrate_to(database_url, "0002")
    db = connect(database_url)
    try:
        with db.writing() as conn:  # the 0002 columns only: role has a server default, never sent here
            conn.execute(stores.insert().values(store_id=STORE_ID, name="Kyiv", created_at=datetime.now(timezone.utc)))
            conn.execute(cashiers.insert().values(store_id=STORE_ID, code="1", name="Olena", active=True,
                                                  pin_hash=PIN_HASHER.hash("1234"), version=1, deleted=False))
            conn.execute(update(catalog_version).values(version=1))
    finally:
        db.close()
    app = create_app(database_url)
    try:
        migrate(app.state.db)  # what every kassa-hub command does first
        with TestClient(app) as client:
            shop = Shop(app.state.db, client)
            till = shop.enrol()
            assert [(c["code"], c["role"]) for c in shop.pull_all(till, "cashiers")[0]] == [("1", "cashier")]
            assert shop.pull_all(till, "policies")[0] == []
    finally:
        app.state.db.close()
    migrate_to(database_url, "0002", down=True)
    db = connect(database_url)
    try:
        with db.reading() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == "0002"
            assert conn.exec_driver_sql("SELECT count(*) FROM cashiers").scalar_one() == 1
    finally:
        db.close()
