"""A product's main barcode after a pull moves or deletes barcodes: the one it had if it
still has it, else the smallest of its barcodes, else '' - on both ways of applying a pull
(in place, and built beside the live catalog), and found without scanning the products."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from local_db import catalog_changes as changes
from local_db import catalog_swap
from local_db.catalog import SqlCatalog, load_products
from local_db.database import Database, open_database
from local_db.reference_data import Cursor, ReferenceData
from tests.fakes import VAT_A, product

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=timezone.utc)
CURSORS = {"products": Cursor("10", "10"), "prices": Cursor("10", "10"), "barcodes": Cursor("10", "10")}
PATHS = {"in place": 10**9, "built beside": 0}  # ReferenceData's big_pull

# the live catalog (each product's barcodes, its main one first), the barcodes of the pull
# (gtin, product, deleted) and each product's main barcode after it
CASES = {
    "a barcode moved to another product leaves its old product with none": (
        {"1005": ["4820000000055"], "1010": ["4820000000062"]},
        [("4820000000062", "1005", 0)],
        {"1005": "4820000000055", "1010": ""}),
    "a barcode moved to a product that had none is its main one": (
        {"1005": [], "1010": ["4820000000062"]},
        [("4820000000062", "1005", 0)],
        {"1005": "4820000000062", "1010": ""}),
    "a product whose main barcode moved takes the smallest one it keeps": (
        {"1005": ["4820000000055"], "1010": ["4820000000062", "4820000000099", "4820000000079"]},
        [("4820000000062", "1005", 0)],
        {"1005": "4820000000055", "1010": "4820000000079"}),
    "a product whose main barcode moved takes the smallest of those it keeps and gets": (
        {"1005": ["4820000000055"], "1010": ["4820000000062", "4820000000079"]},
        [("4820000000062", "1005", 0), ("4820000000011", "1010", 0)],
        {"1005": "4820000000055", "1010": "4820000000011"}),
    "barcodes swapped between two products": (
        {"1005": ["4820000000055"], "1010": ["4820000000062"]},
        [("4820000000062", "1005", 0), ("4820000000055", "1010", 0)],
        {"1005": "4820000000062", "1010": "4820000000055"}),
    "a main barcode moved away while its other barcodes move away too": (
        {"1005": ["4820000000055"], "1010": ["4820000000062", "4820000000079"]},
        [("4820000000062", "1005", 0), ("4820000000079", "1005", 0)],
        {"1005": "4820000000055", "1010": ""}),
    "a main barcode deleted under the product that has it": (
        {"1005": ["4820000000055"], "1010": ["4820000000062", "4820000000079"]},
        [("4820000000062", "1010", 1)],
        {"1005": "4820000000055", "1010": "4820000000079"}),
    "a main barcode deleted under a product that is not its last owner": (
        {"1005": ["4820000000055"], "1010": ["4820000000062"]},
        [("4820000000062", "1005", 1)],
        {"1005": "4820000000055", "1010": ""}),
    "a main barcode deleted under a product the till does not know": (
        {"1005": ["4820000000055"], "1010": ["4820000000062", "4820000000079"]},
        [("4820000000062", "9999", 1)],
        {"1005": "4820000000055", "1010": "4820000000079"}),
    "a barcode staged for a product the till does not know yet stays where it is": (
        {"1005": ["4820000000055"], "1010": ["4820000000062"]},
        [("4820000000062", "9999", 0)],
        {"1005": "4820000000055", "1010": "4820000000062"}),
    "a product keeps its main barcode when it gets a smaller one": (
        {"1005": ["4820000000055"], "1010": ["4820000000062"]},
        [("4820000000011", "1010", 0), ("4820000000055", "1010", 0)],
        {"1005": "", "1010": "4820000000062"}),
}


def _catalog(db: Database, live: dict[str, list[str]]) -> None:
    load_products(db, [product(code, f"Товар {code}", "10.00", barcode=gtins[0] if gtins else "")
                       for code, gtins in live.items()], [VAT_A])
    more = [(gtin, code, 0) for code, gtins in live.items() for gtin in gtins[1:]]
    if more:  # a product's other barcodes, from an earlier pull
        data = ReferenceData(db, big_pull=10**9)
        data.stage("barcodes", more)
        data.apply(CURSORS, NOW)


def _mains(db: Database) -> dict[str, str]:
    with db.reading() as conn:
        return {str(code): str(barcode) for code, barcode in conn.exec_driver_sql(
            "SELECT code, barcode FROM products ORDER BY code")}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("case", list(CASES))
def test_a_products_main_barcode_is_one_of_its_own_after_barcodes_move_or_go(
        tmp_path: Path, case: str, path: str) -> None:
    live, pulled, expected = CASES[case]
    with open_database(tmp_path / "till.sqlite3") as db:
        _catalog(db, live)
        data = ReferenceData(db, big_pull=PATHS[path], chunk=1)
        data.stage("barcodes", pulled)

        data.apply(CURSORS, NOW)

        assert _mains(db) == expected
        catalog = SqlCatalog(db)
        for code, main in expected.items():
            if main:  # scanning the main barcode finds the product that shows it
                assert catalog.by_barcode(main).code == code  # type: ignore[union-attr]


def _plan(db: Database, statement: str, parameters: tuple[str, ...] = ()) -> list[str]:
    with db.reading() as conn:
        return [str(row[3]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]


def test_the_products_that_lose_their_main_barcode_are_found_by_gtin_not_by_scanning_the_products(
        db: Database) -> None:
    load_products(db, [product(f"{n:04d}", f"Товар {n}", "10.00") for n in range(50)], [VAT_A])
    in_place = _plan(db, changes.sql(changes.LOST_MAIN_BARCODES))
    with db.writing() as conn:  # the tables a big pull builds (the live barcodes keep their index meanwhile)
        catalog_swap._create_next_tables(conn, catalog_swap.Schema.read(conn))
    built = _plan(db, changes.sql(changes.LOST_MAIN_BARCODES, products="next_products", barcodes="next_barcodes",
                                  ranged=True), ("", "~"))
    print("in place:", *in_place, "built beside:", *built, sep="\n  ")
    for plan in (in_place, built):
        scans = [step for step in plan if step.startswith("SCAN")]
        assert all(step.startswith("SCAN sb") for step in scans), plan  # at most the staged barcodes: the delta
        assert any("SEARCH b USING PRIMARY KEY (gtin=?)" in step for step in plan), plan
        assert any("barcodes_by_product" in step for step in plan), plan
        assert any("staged_barcodes_by_product" in step for step in plan), plan
