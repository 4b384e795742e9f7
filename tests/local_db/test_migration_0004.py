"""Migration 0004 (resumable pulls) upgrades a till database made by schema 0003 with data in
it: the catalog, the cursors, a sale and the staged rows waiting for data they need all stay,
and the next pull stages, resumes and applies as on a new database."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config

from local_db.catalog import SqlCatalog, load_products
from local_db.database import MIGRATIONS, SCHEMA_HEAD, Database, _make_engine, open_database, schema_version
from local_db.journal import SqlJournal
from local_db.reference_data import Cursor, ReferenceData
from tests.fakes import CREAM, SHAMPOO, VAT_A, VAT_B
from tests.local_db.conftest import TILL_ID, make_sql_till, sell
from tests.local_db.old_tills import journal_of_schema

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def _database_at(path: Path, revision: str) -> Database:
    db = Database(_make_engine(path, 3000), path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.writing() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return db


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.reading() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql)]


def test_a_database_of_schema_0003_with_data_is_upgraded_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with _database_at(path, "0003") as old:
        assert schema_version(old) == "0003"
        load_products(old, [SHAMPOO, CREAM], [VAT_A, VAT_B])
        with journal_of_schema("0003"):
            sale = sell(make_sql_till(SqlJournal(old, TILL_ID)), SHAMPOO.barcode)
        with old.writing() as conn:  # what a 0003 till leaves: cursors, a barcode waiting for its product
            conn.exec_driver_sql("INSERT INTO sync_cursors VALUES ('barcodes', '40', '41', ?)", (NOW.isoformat(),))
            conn.exec_driver_sql("INSERT INTO staged_barcodes (gtin, product_code, deleted) VALUES ('G1', 'P9', 0)")
            conn.exec_driver_sql("INSERT INTO staged_products (code, name, brand, category, vat_code, sold_by_weight, "
                                 "plain_spelling, deleted) VALUES ('P8', 'Мило', '', 'C', 'Z', 0, 'milo', 0)")

    with open_database(path) as db:
        assert schema_version(db) == SCHEMA_HEAD  # "0004" or a later head
        assert SqlCatalog(db).by_barcode(SHAMPOO.barcode) == SHAMPOO
        assert SqlJournal(db, TILL_ID).get_sale(sale.sale_id) == sale
        assert _rows(db, "SELECT dataset, cursor, snapshot FROM sync_cursors") == [("barcodes", "40", "41")]
        assert _rows(db, "SELECT gtin, product_code, in_pull FROM staged_barcodes") == [("G1", "P9", 0)]
        assert _rows(db, "SELECT code, in_pull FROM staged_products") == [("P8", 0)]
        assert _rows(db, "SELECT * FROM staged_cursors") == []

        data = ReferenceData(db)
        staged = Cursor("45", "50")
        with data.staging("hub A") as staging:  # a page of a pull that then failed
            staging.stage("barcodes", [("G2", SHAMPOO.code, 0)], cursor=staged)
        assert data.resume_points("hub A")["barcodes"].cursor == staged
        data.apply({"barcodes": staged}, NOW)
        assert SqlCatalog(db).by_barcode("G2") == SHAMPOO
        assert _rows(db, "SELECT gtin, in_pull FROM staged_barcodes") == [("G1", 0)]  # still waiting for P9
        assert data.cursors()["barcodes"] == staged


def test_migration_0004_can_be_undone_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_database(path) as db:
        with ReferenceData(db).staging("hub A") as staging:
            staging.stage("taxes", [("A", "20", 0)], cursor=Cursor("3", "3"))
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with db.writing() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
        assert schema_version(db) == "0003"
        assert _rows(db, "SELECT * FROM staged_taxes") == [("A", "20", 0)]
