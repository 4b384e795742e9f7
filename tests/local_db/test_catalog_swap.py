"""A big pull is built beside the live catalog and swapped in: it must give exactly the
catalog an in-place apply gives, never keep a sale from being written for long, and leave
the live catalog whole when a build is cut short."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sqlalchemy import Connection

from local_db import catalog_swap
from local_db.catalog import SqlCatalog, load_products, product_count
from local_db.database import BulkWriter, Database, open_database
from local_db.journal import SqlJournal
from local_db.reference_data import Cursor, ReferenceData
from tests.fakes import DEMO_PRODUCTS, SHAMPOO, STORE, VAT_A, VAT_B, product
from tests.local_db.conftest import make_sql_till, sell

ROOT = Path(__file__).resolve().parents[2]
SOAK = bool(os.environ.get("KASSA_SOAK"))
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
CURSORS = {"products": Cursor("10", "10"), "prices": Cursor("10", "10"), "barcodes": Cursor("10", "10")}
CODES = [f"P{n:02d}" for n in range(12)]
GTINS = [f"G{n:02d}" for n in range(16)]

_product = st.tuples(st.sampled_from(CODES), st.sampled_from(["Мило", "Gülnarə", "Herbal"]),
                     st.sampled_from(["", "Garnier"]), st.just("Догляд"), st.sampled_from(["A", "B", "X"]),
                     st.sampled_from([0, 1]), st.sampled_from([0, 0, 1]))
_price = st.tuples(st.sampled_from(CODES), st.integers(0, 10_000), st.just("UAH"), st.sampled_from([0, 0, 1]))
_barcode = st.tuples(st.sampled_from(GTINS), st.sampled_from(CODES), st.sampled_from([0, 0, 1]))
_tax = st.tuples(st.sampled_from(["A", "B", "X"]), st.sampled_from(["20", "7", "14"]), st.sampled_from([0, 0, 1]))
staged_pulls = st.fixed_dictionaries({
    "taxes": st.lists(_tax, max_size=3), "products": st.lists(_product, max_size=14),
    "prices": st.lists(_price, max_size=14), "barcodes": st.lists(_barcode, max_size=18),
})
live_catalogs = st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 999), st.sampled_from(GTINS)),
                         max_size=8, unique_by=(lambda p: p[0], lambda p: p[2]))


def _catalog(db: Database, live: list[tuple[str, int, str]]) -> None:
    load_products(db, [product(code, f"Товар {code}", f"{minor / 100:.2f}", barcode=gtin) for code, minor, gtin in live],
                  [VAT_A, VAT_B])


def _stage(data: ReferenceData, pulls: list[dict[str, list[tuple[Any, ...]]]]) -> None:
    for pull in pulls:
        for dataset in ("taxes", "products", "prices", "barcodes"):
            data.stage(dataset, pull[dataset])


def _contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    queries = {
        "products": "SELECT code, name, brand, category, price_minor, currency, vat_code, barcode, sold_by_weight, "
                    "plain_spelling FROM products ORDER BY code",
        "barcodes": "SELECT gtin, product_code FROM barcodes ORDER BY gtin",
        # the main barcode is one of the product's own, or '' when it has none
        "products whose main barcode is not theirs": "SELECT code, barcode FROM products p WHERE NOT EXISTS "
            "(SELECT 1 FROM barcodes b WHERE b.gtin = p.barcode AND b.product_code = p.code) AND (p.barcode != '' "
            "OR EXISTS (SELECT 1 FROM barcodes b WHERE b.product_code = p.code))",
        "vat_rates": "SELECT code, percent FROM vat_rates ORDER BY code",
        "cursors": "SELECT dataset, cursor, snapshot FROM sync_cursors ORDER BY dataset",
        **{table: f"SELECT * FROM {table} ORDER BY 1" for table in
           ("staged_products", "staged_prices", "staged_barcodes", "staged_taxes")},
        "leftovers": "SELECT name FROM sqlite_master WHERE name LIKE 'next_%' OR name LIKE 'old_%'",
        "search": "SELECT p.code FROM product_search JOIN products p ON p.product_id = product_search.rowid "
                  "WHERE product_search MATCH '\"gulnare\"* OR \"мило\"* OR \"garn\"*' ORDER BY p.code",
        "triggers": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products' ORDER BY name",
        "indexes": "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        "barcodes' keys": "SELECT * FROM pragma_foreign_key_list('barcodes')",
        "products' keys": "SELECT * FROM pragma_foreign_key_list('products')",
        "broken keys": "PRAGMA foreign_key_check",
    }
    with db.reading() as conn:
        conn.exec_driver_sql("INSERT INTO product_search (product_search) VALUES ('integrity-check')")
        return {name: [tuple(row) for row in conn.exec_driver_sql(sql)] for name, sql in queries.items()}


@settings(max_examples=400 if SOAK else 40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(live=live_catalogs, pulls=st.lists(staged_pulls, min_size=1, max_size=2))
def test_a_catalog_built_beside_the_live_one_equals_the_catalog_applied_in_place(live, pulls) -> None:  # noqa: ANN001
    """Barcodes move between products and go (staged for any product, deleted under any):
    each product's main barcode stays one of its own, or '' when it has none, on both paths."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, big_pull in (("in-place", 10**9), ("swapped", 0)):
            with open_database(Path(folder) / f"{name}.sqlite3") as db:
                _catalog(db, live)
                data = ReferenceData(db, big_pull=big_pull, chunk=3)
                for pull in pulls:  # each pull applied before the next is staged
                    _stage(data, [pull])
                    data.apply(CURSORS, NOW)
                results.append(_contents(db))
    in_place, swapped = results
    mains = {row[0]: row[7] for row in in_place["products"]}
    event("a product lost its main barcode" if any(code in mains and mains[code] != gtin for code, _, gtin in live)
          else "no product lost its main barcode")
    assert in_place["products whose main barcode is not theirs"] == []
    assert swapped == in_place


def test_a_sale_is_written_while_a_big_pull_is_built_and_the_till_sells_from_the_old_catalog_until_the_swap(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    load_products(db, DEMO_PRODUCTS, [VAT_A, VAT_B])
    data = ReferenceData(db, big_pull=1000, chunk=500)
    _stage_products(data, 30_000)
    journal = SqlJournal(db, STORE.till_id)
    till = make_sql_till(journal)
    catalog = SqlCatalog(db)
    counts: set[int] = set()
    failures: list[BaseException] = []

    half_built, sold_meanwhile = threading.Event(), threading.Event()

    def apply() -> None:
        try:
            data.apply(CURSORS, NOW)
        except BaseException as error:  # reported by the test thread
            failures.append(error)
        finally:
            half_built.set()

    builder = threading.Thread(target=apply, daemon=True)
    watcher = sqlite3.connect(db.path, check_same_thread=False)
    transaction = BulkWriter.transaction

    @contextmanager
    def waits_for_a_sale(self: BulkWriter) -> Iterator[Connection]:
        """The builder, once half its products are in, waits until a sale is written: a sale
        and the build overlap on any machine, however fast the build."""
        with transaction(self) as conn:
            yield conn
        if (threading.current_thread() is builder and not sold_meanwhile.is_set()
                and _count(watcher, "next_products") >= 15_000):
            half_built.set()
            sold_meanwhile.wait()

    monkeypatch.setattr(BulkWriter, "transaction", waits_for_a_sale)
    builder.start()
    half_built.wait()
    try:
        assert not failures, failures
        assert product_count(db) == len(DEMO_PRODUCTS)  # half built: the till sells from the old catalog
        sell(till, SHAMPOO.barcode)  # the open basket and the sale: the till's own writes, which would
    finally:  # fail with DatabaseInUse if the build kept them out for the busy timeout
        sold_meanwhile.set()
    sold = 1
    while builder.is_alive():
        counts.add(product_count(db))
        sell(till, SHAMPOO.barcode)
        sold += 1
    builder.join()
    watcher.close()

    assert not failures, failures
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM sales").scalar_one() == sold > 0
    assert counts <= {len(DEMO_PRODUCTS), len(DEMO_PRODUCTS) + 30_000}  # old or new catalog, never between
    assert product_count(db) == len(DEMO_PRODUCTS) + 30_000
    assert catalog.by_barcode(f"2{29_999:012d}") is not None


@pytest.mark.parametrize("next_pull", ["big", "small"])
def test_a_build_cut_short_leaves_the_live_catalog_and_the_next_pull_completes(db: Database, next_pull: str) -> None:
    load_products(db, DEMO_PRODUCTS, [VAT_A, VAT_B])
    with db.writing() as conn:  # what a till killed during a build leaves behind
        catalog_swap._create_next_tables(conn, catalog_swap.Schema.read(conn))
        conn.exec_driver_sql("INSERT INTO next_products SELECT * FROM products")
    assert SqlCatalog(db).by_barcode(SHAMPOO.barcode) == SHAMPOO
    data = ReferenceData(db, big_pull=0 if next_pull == "big" else 10**9, chunk=2)
    data.stage("products", [(SHAMPOO.code, "Шампунь новий", "", "", "A", 0, 0)])

    data.apply(CURSORS, NOW)

    renamed = replace(SHAMPOO, name="Шампунь новий", brand="", category="")
    assert SqlCatalog(db).by_barcode(SHAMPOO.barcode) == renamed
    contents = _contents(db)
    assert contents["leftovers"] == [] and ("barcodes_by_product", "barcodes") in contents["indexes"]


KILL_WHEN = {  # what the watching test has seen of the child's build when it kills it
    "new tables made": "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'next_products')",
    "half the products in": "SELECT count(*) >= 10000 FROM next_products",
    "search index half built": "SELECT count(*) >= 10000 FROM next_product_search_docsize",
    "old catalog being dropped": "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'old_products')",
}
LIVE = [*DEMO_PRODUCTS, *(product(f"L{n:05d}", f"Старий {n}", "5.00", barcode=f"3{n:012d}") for n in range(20_000))]


@pytest.mark.parametrize("moment", list(KILL_WHEN))
def test_a_till_killed_while_it_builds_a_big_pull_keeps_the_whole_old_catalog_and_the_next_pull_completes(
        db: Database, moment: str) -> None:
    load_products(db, LIVE, [VAT_A, VAT_B])
    _stage_products(ReferenceData(db), 20_000)
    child = subprocess.Popen([sys.executable, "-m", "tests.local_db.build_child", str(db.path), moment], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:  # the child stops dead inside its first transaction after the moment, and says so
        said = child.stdout.readline()  # type: ignore[union-attr]
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert said == "paused\n", f"the build ended before '{moment}' was reached: {said!r}"

    count = product_count(db)
    staged = ReferenceData(db).waiting_rows()
    assert (count, staged) in {(len(LIVE), 60_001), (len(LIVE) + 20_000, 0)}  # the old catalog or the new, whole
    assert SqlCatalog(db).by_barcode(SHAMPOO.barcode) == SHAMPOO
    ReferenceData(db, big_pull=0, chunk=5000).apply(CURSORS, NOW)  # the restarted till's next pull
    assert product_count(db) == len(LIVE) + 20_000
    assert SqlCatalog(db).by_barcode(f"2{19_999:012d}") is not None
    contents = _contents(db)  # the search index's integrity is checked here too
    assert contents["leftovers"] == [] and ("barcodes_by_product", "barcodes") in contents["indexes"]
    assert contents["broken keys"] == []


def _stage_products(data: ReferenceData, count: int) -> None:
    data.stage("taxes", [("A", "20", 0)])
    data.stage("products", [(f"{n:06d}", f"Товар {n}", "", "", "A", 0, 0) for n in range(count)])
    data.stage("prices", [(f"{n:06d}", 100 + n, "UAH", 0) for n in range(count)])
    data.stage("barcodes", [(f"2{n:012d}", f"{n:06d}", 0) for n in range(count)])


def _count(conn: sqlite3.Connection, table: str) -> int:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # not there (yet, or any more)
        return 0


@pytest.mark.parametrize(("changed", "built_beside"), [(20, True), (19, False)])
def test_new_prices_for_a_fifth_of_the_catalog_are_built_beside_it_not_rewritten_in_place(
        db: Database, changed: int, built_beside: bool, caplog: pytest.LogCaptureFixture) -> None:
    load_products(db, [product(f"{n:04d}", f"Товар {n}", "10.00") for n in range(100)], [VAT_A])
    data = ReferenceData(db, big_pull=10)
    data.stage("prices", [(f"{n:04d}", 1100, "UAH", 0) for n in range(changed)])

    with caplog.at_level("INFO", logger="local_db.catalog_swap"):
        data.apply(CURSORS, NOW)

    assert ("built beside the live one" in caplog.text) is built_beside
    assert SqlCatalog(db).by_code(f"{changed - 1:04d}").price.amount == 11  # type: ignore[union-attr]
