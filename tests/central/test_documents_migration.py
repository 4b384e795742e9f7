"""A hub database of the first schema (0001), with sales in it, upgrades to the store-day
tables and takes returns of those sales; and the upgrade can be undone."""

from __future__ import annotations

from decimal import Decimal

from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient

from central.app import create_app
from central.database import MIGRATIONS, connect, migrate
from tests.central.shop import Shop
from tests.central.store_day_documents import a_day, give_back, of_return, post, set_up_tills, statuses


def _to(url: str, revision: str, down: bool = False) -> None:
    db = connect(url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with db.writing() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        db.close()


def test_a_hub_of_the_first_schema_upgrades_and_takes_returns_of_its_sales(database_url: str) -> None:
    _to(database_url, "0001")
    app = create_app(database_url)
    try:
        with TestClient(app) as client:
            shop = Shop.set_up(app.state.db, client)
            till, _ = set_up_tills(shop)
            day = a_day()
            assert {r["status"] for r in shop.push(till, *day.sales)} == {"accepted"}
            migrate(app.state.db)  # what every kassa-hub command does first
            sale = day.sales[0]
            document = give_back(sale, {sale.lines[0].line_id: Decimal(1)}, 1)
            assert statuses(post(shop, till, of_return(document))) == ["accepted"]
            with app.state.db.reading() as conn:
                assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == _newest()
    finally:
        app.state.db.close()
    _to(database_url, "0001", down=True)
    db = connect(database_url)
    try:
        with db.reading() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == "0001"
            assert conn.exec_driver_sql("SELECT count(*) FROM sales").scalar_one() == 3
    finally:
        db.close()


def _newest() -> str:
    """The hub's newest migration (each new one moves it)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from central.database import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(config).get_current_head())
