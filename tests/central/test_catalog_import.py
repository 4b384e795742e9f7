"""Importing catalog files: versions for changed rows only, bad rows by line, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from central.catalog_files import BadRow, read_catalog_file, rows_from_products
from central.catalog_import import import_catalog
from central.database import HubDatabase
from central.tables import barcodes, prices, products
from central.versions import current_version
from pos.demo_catalog import generate_catalog

HEADER = "code,name,brand,category,price,currency,vat_code,vat_percent,sold_by_weight,barcodes\n"
SHAMPOO = "1001,Шампунь Herbal 250 мл,Herbal,Hair care,89.90,UAH,A,20,no,4820000010016|4820000010023\n"
APPLES = "20001,Яблука Голден,,Fruit,32.99,UAH,E,0,yes,\n"


def write(tmp_path: Path, text: str, name: str = "catalog.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reimporting_the_same_file_changes_no_version(hub_db: HubDatabase, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + SHAMPOO + APPLES)
    first = import_catalog(hub_db, read_catalog_file(path))
    second = import_catalog(hub_db, read_catalog_file(path))

    assert (first.products, first.prices, first.barcodes, first.taxes) == (2, 2, 2, 2)
    assert (second.products, second.prices, second.barcodes, second.taxes) == (0, 0, 0, 0)
    assert second.version == first.version == 8


def test_prices_are_kept_in_minor_units(hub_db: HubDatabase, tmp_path: Path) -> None:
    import_catalog(hub_db, read_catalog_file(write(tmp_path, HEADER + SHAMPOO)))
    with hub_db.reading() as conn:
        assert conn.execute(select(prices.c.price_minor)).scalar_one() == 8990


@pytest.mark.parametrize(("row", "message"), [
    ("1002,Cream,,,12.345,UAH,A,20,no,\n", "line 3: price 12.345 has more decimals than UAH has"),
    ("1002,Cream,,,abc,UAH,A,20,no,\n", "line 3:"),
    ("1002,,,,1.00,UAH,A,20,no,\n", "line 3: name is empty"),
    ("1002,Cream,,,1.00,UAH,A,7,no,\n", "line 3: VAT A is 7% here but 20% on line 2"),
    ("1002,Cream,,,1.00,UAH,A,20,no,4820000010017\n", "line 3: barcode 4820000010017 has a wrong check digit"),
    ("1002,Cream,,,1.00,UAH,A,20,no,4820000010016\n", "line 3: barcode 4820000010016 is listed for two products"),
    ("1001,Cream,,,1.00,UAH,A,20,no,\n", "line 3: product 1001 is also on line 2"),
    ("1002,Cream,,,1.00,UAH,A,20,maybe,\n", "line 3: sold_by_weight 'maybe'"),
    ("1002,Cream,,,1.00\n", "line 3: 5 fields, the header has 10"),
])
def test_a_bad_csv_row_is_reported_with_its_line_number_and_nothing_is_imported(
        hub_db: HubDatabase, tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path, HEADER + SHAMPOO + row)
    with pytest.raises(BadRow) as raised:
        import_catalog(hub_db, read_catalog_file(path))
    assert message in raised.value.detail
    with hub_db.reading() as conn:
        assert conn.execute(select(products)).all() == []
        assert current_version(conn) == 0


def test_a_barcode_moves_to_the_product_that_now_lists_it(hub_db: HubDatabase, tmp_path: Path) -> None:
    import_catalog(hub_db, read_catalog_file(write(tmp_path, HEADER + SHAMPOO)))
    moved = HEADER + SHAMPOO.replace("|4820000010023", "") + "1002,Шампунь 400 мл,Herbal,Hair care,99.00,UAH,A,20,no,4820000010023\n"
    report = import_catalog(hub_db, read_catalog_file(write(tmp_path, moved)))

    with hub_db.reading() as conn:
        owners = dict(conn.execute(select(barcodes.c.gtin, barcodes.c.product_code).where(barcodes.c.deleted.is_(False))).all())
    assert owners == {"4820000010016": "1001", "4820000010023": "1002"}
    assert report.barcodes == 1


def test_a_barcode_a_product_no_longer_lists_is_deleted(hub_db: HubDatabase, tmp_path: Path) -> None:
    import_catalog(hub_db, read_catalog_file(write(tmp_path, HEADER + SHAMPOO)))
    import_catalog(hub_db, read_catalog_file(write(tmp_path, HEADER + SHAMPOO.replace("|4820000010023", ""))))
    with hub_db.reading() as conn:
        rows = dict(conn.execute(select(barcodes.c.gtin, barcodes.c.deleted)).all())
    assert rows == {"4820000010016": False, "4820000010023": True}


def test_json_and_csv_files_import_the_same_catalog(hub_db: HubDatabase, tmp_path: Path) -> None:
    items = [{"code": "1001", "name": "Шампунь Herbal 250 мл", "brand": "Herbal", "category": "Hair care",
              "price": "89.90", "currency": "UAH", "vat_code": "A", "vat_percent": "20", "sold_by_weight": False,
              "barcodes": ["4820000010016", "4820000010023"]},
             {"code": "20001", "name": "Яблука Голден", "brand": "", "category": "Fruit", "price": "32.99",
              "currency": "UAH", "vat_code": "E", "vat_percent": "0", "sold_by_weight": True, "barcodes": []}]
    import_catalog(hub_db, read_catalog_file(write(tmp_path, json.dumps(items), "catalog.json")))
    again = import_catalog(hub_db, read_catalog_file(write(tmp_path, HEADER + SHAMPOO + APPLES)))
    assert (again.products, again.prices, again.barcodes, again.taxes) == (0, 0, 0, 0)


def test_a_json_file_that_is_not_a_list_of_products_is_refused(hub_db: HubDatabase, tmp_path: Path) -> None:
    with pytest.raises(BadRow, match="item 1: not an object"):
        import_catalog(hub_db, read_catalog_file(write(tmp_path, "[1]", "catalog.json")))


def test_a_big_import_leaves_postgresql_with_fresh_statistics_for_the_tills_pulls(hub_db: HubDatabase) -> None:
    import_catalog(hub_db, rows_from_products(generate_catalog(4_000, seed=3)))  # 12,000 changed rows

    with hub_db.reading() as conn:
        if hub_db.is_sqlite:  # nothing to do: SQLite walks the version index without statistics
            return
        analysed = conn.exec_driver_sql(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND last_vacuum IS NOT NULL "
            "AND relname IN ('products', 'barcodes', 'prices') ORDER BY relname").scalars().all()
        plan = "\n".join(conn.exec_driver_sql(
            "EXPLAIN SELECT * FROM products WHERE version > 100 AND version <= 100000 ORDER BY version "
            "LIMIT 5001").scalars())
    assert analysed == ["barcodes", "prices", "products"]
    assert "Index Scan using ix_products_version" in plan and "Sort" not in plan
