"""A hub database of the first schema (0001), with sales in it, upgrades to the store-day
tables and takes returns of those sales; and the upgrade can be undone."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import text

from central.app import create_app
from central.database import HubDatabase, connect, migrate
from central.stores import TillIdentity
from pos.codec import sale_to_dict
from pos.sale import Sale
from tests.central.migrating import migrate_to
from tests.central.shop import Shop
from tests.central.store_day_documents import a_day, give_back, of_return, post, set_up_tills, statuses


def test_a_hub_of_the_first_schema_upgrades_and_takes_returns_of_its_sales(database_url: str) -> None:
    migrate_to(database_url, "0001")
    app = create_app(database_url)
    try:
        with TestClient(app) as client:
            shop = Shop.set_up(app.state.db, client)
            till, _ = set_up_tills(shop)
            day = a_day()
            store_as_the_first_hub_did(app.state.db, till, day.sales)
            migrate(app.state.db)  # what every kassa-hub command does first
            sale = day.sales[0]
            document = give_back(sale, {sale.lines[0].line_id: Decimal(1)}, 1)
            assert statuses(post(shop, till, of_return(document))) == ["accepted"]
            with app.state.db.reading() as conn:
                assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == _newest()
    finally:
        app.state.db.close()
    migrate_to(database_url, "0001", down=True)
    db = connect(database_url)
    try:
        with db.reading() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == "0001"
            assert conn.exec_driver_sql("SELECT count(*) FROM sales").scalar_one() == 3
    finally:
        db.close()


def store_as_the_first_hub_did(db: HubDatabase, till: TillIdentity, sales: list[Sale]) -> None:
    """The sales as a hub of schema 0001 stored them (today's intake needs tables it did not have)."""
    received = datetime.now(timezone.utc)
    with db.writing() as conn:
        for sale in sales:
            conn.execute(text(
                "INSERT INTO sales (sale_id, store_id, till_id, seq, receipt_number, total_minor, currency, "
                "till_completed_at, hub_received_at, payload) VALUES (:sale_id, :store, :till, :seq, :seq, :total, "
                ":currency, :completed, :received, :payload)"),
                {"sale_id": str(sale.sale_id), "store": till.store_id, "till": till.till_id,
                 "seq": sale.receipt_number, "total": sale.total.minor_units(), "currency": sale.currency,
                 "completed": sale.completed_at, "received": received, "payload": json.dumps(sale_to_dict(sale))})


def _newest() -> str:
    """The hub's newest migration (each new one moves it)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from central.database import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(config).get_current_head())
