"""A pull that stops part-way (requests failing, the till restarted or killed) goes on from the
pages it staged, and gives exactly the catalog a pull that never stopped gives, also when the
hub's catalog changes between two attempts (items changed again, items deleted).  Pages staged
from another hub, enrolment or schema are never applied."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from central.catalog_import import import_catalog
from central.database import HubDatabase, open_hub_database
from central.stores import add_cashier, add_store
from local_db.catalog import SqlCatalog
from local_db.database import Database, open_database
from local_db.reference_data import DATASETS, Cursor, ReferenceData
from sync.errors import HubUnreachable
from sync.pull import CatalogPuller
from tests.fakes import STORE
from tests.sync.loopback_hub import CODES, NAMES, Catalog, Killed, LoopbackHub, catalog_rows

SOAK = bool(os.environ.get("KASSA_SOAK"))
VAT = {"A": "20", "B": "7"}
VAT_CHANGED = {"A": "20", "B": "14"}
MAIN = "main barcodes"

_product = st.tuples(st.sampled_from(NAMES), st.integers(1, 99_999), st.sampled_from(["A", "B"]), st.booleans(),
                     st.sets(st.integers(0, 2), max_size=2))
catalogs = st.dictionaries(st.sampled_from(CODES), _product, max_size=len(CODES))
request_numbers = st.dictionaries(st.sampled_from(DATASETS), st.sets(st.integers(0, 6), max_size=5))


@dataclass(frozen=True)
class Templates:
    hub: Path
    till: Path


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """A migrated hub database with a store and two cashiers, and a new till database: each
    example works on copies."""
    folder = tmp_path_factory.mktemp("templates")
    hub = open_hub_database(f"sqlite:///{folder / 'hub.sqlite3'}", migrate_schema=True)
    try:
        add_store(hub, STORE.store_id, "Kassa Demo")
        add_cashier(hub, STORE.store_id, "7", "Iryna", "2468")
        add_cashier(hub, STORE.store_id, "8", "Oleh", "1357", active=False)
    finally:
        hub.close()
    open_database(folder / "till.sqlite3").close()
    return Templates(folder / "hub.sqlite3", folder / "till.sqlite3")


def contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    queries = {
        "products": "SELECT code, name, brand, category, price_minor, currency, vat_code, sold_by_weight, "
                    "plain_spelling FROM products ORDER BY code",
        # which barcode is a product's main one depends on the order its barcodes came in
        MAIN: "SELECT code, barcode FROM products ORDER BY code",
        "products whose main barcode is not theirs": "SELECT code FROM products p WHERE NOT EXISTS (SELECT 1 FROM "
            "barcodes b WHERE b.gtin = p.barcode AND b.product_code = p.code) AND (p.barcode != '' "
            "OR EXISTS (SELECT 1 FROM barcodes b WHERE b.product_code = p.code))",
        "barcodes": "SELECT gtin, product_code FROM barcodes ORDER BY gtin",
        "vat_rates": "SELECT code, percent FROM vat_rates ORDER BY code",
        "cashiers": "SELECT code, name, active FROM cashiers ORDER BY code",
        "cursors": "SELECT dataset, cursor FROM sync_cursors ORDER BY dataset",
        "staged cursors": "SELECT * FROM staged_cursors",
        **{table: f"SELECT * FROM {table} ORDER BY 1" for table in
           ("staged_products", "staged_prices", "staged_barcodes", "staged_taxes", "staged_cashiers")},
        "search": "SELECT p.code FROM product_search JOIN products p ON p.product_id = product_search.rowid "
                  "WHERE product_search MATCH '\"gulnare\"* OR \"мило\"* OR \"крем\"*' ORDER BY p.code",
    }
    with db.reading() as conn:
        return {name: [tuple(row) for row in conn.exec_driver_sql(sql)] for name, sql in queries.items()}


def clean_pull(templates: Templates, hub: LoopbackHub, path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """A new till's pull over a link that never fails: what every resumed pull must give."""
    shutil.copy(templates.till, path)
    with open_database(path) as db:
        CatalogPuller(hub.clean(), ReferenceData(db), page_size=1000).pull()
        return contents(db)


@dataclass
class Attempts:
    """How a till pulled through a link that fails: attempts made, requests failed, whether
    the hub's catalog changed before the pull completed."""

    made: int = 0
    failed: int = 0
    restarts: int = 0
    changed_during: bool = False


def pull_until_done(hub: LoopbackHub, path: Path, *, page: int, stage_rows: int, swap: bool, change: Any,
                    change_before: int, restart_after: set[int]) -> Attempts:
    """Pull, and pull again after each failure (a new till process after a kill or when
    ``restart_after`` says), until a pull completes; ``change`` runs before attempt ``change_before``."""
    limit = sum(map(len, hub.failing.values())) + sum(map(len, hub.killing.values())) + 1
    attempts = Attempts()
    db = open_database(path)
    try:
        while True:
            if attempts.made == change_before:
                change()
                attempts.changed_during = True
            data = ReferenceData(db, big_pull=0 if swap else 10**9, chunk=3)
            attempts.made += 1
            try:
                CatalogPuller(hub, data, page_size=page, stage_rows=stage_rows).pull()
                break
            except HubUnreachable:
                restart = attempts.made - 1 in restart_after
            except Killed:
                restart = True
            assert attempts.made <= limit, "an attempt failed without a failing request"
            if restart:  # the till process starts again on the same file
                db.close()
                db = open_database(path)
                attempts.restarts += 1
    finally:
        db.close()
    attempts.failed = hub.failed
    return attempts


@settings(max_examples=400 if SOAK else 30, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(first=catalogs, second=catalogs, full=st.booleans(), vat_changes=st.booleans(),
       failing=request_numbers, killing=st.dictionaries(st.sampled_from(DATASETS), st.sets(st.integers(0, 9), max_size=1),
                                                        max_size=2),
       change_before=st.integers(1, 3), restart_after=st.sets(st.integers(0, 8), max_size=3),
       page=st.integers(1, 3), stage_rows=st.sampled_from([1, 4, 40_000]), swap=st.booleans())
def test_a_resumed_pull_gives_the_catalog_of_a_pull_that_never_stopped(
        templates: Templates, first: Catalog, second: Catalog, full: bool, vat_changes: bool,
        failing: dict[str, set[int]], killing: dict[str, set[int]], change_before: int, restart_after: set[int],
        page: int, stage_rows: int, swap: bool) -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        shutil.copy(templates.hub, folder / "hub.sqlite3")
        shutil.copy(templates.till, folder / "till.sqlite3")
        hub_db = open_hub_database(f"sqlite:///{folder / 'hub.sqlite3'}")
        try:
            import_catalog(hub_db, catalog_rows(first, VAT))
            hub = LoopbackHub(hub_db, failing=failing, killing=killing)
            changed = False

            def change() -> None:
                nonlocal changed
                import_catalog(hub_db, catalog_rows(second, VAT_CHANGED if vat_changes else VAT), full=full)
                changed = True

            attempts = pull_until_done(hub, folder / "till.sqlite3", page=page, stage_rows=stage_rows, swap=swap,
                                       change=change, change_before=change_before, restart_after=restart_after)
            event(f"attempts: {attempts.made}")
            event("the hub changed between two attempts" if attempts.changed_during else "the hub did not change")
            if not changed:  # no change while pulling: the resumed pull alone gives the catalog
                with open_database(folder / "till.sqlite3") as db:
                    assert contents(db) == clean_pull(templates, hub, folder / "clean-before.sqlite3")
                change()
            with open_database(folder / "till.sqlite3") as db:  # the next pull, over a good link
                CatalogPuller(hub.clean(), ReferenceData(db), page_size=page).pull()
                resumed = contents(db)
                resumed.pop(MAIN)  # a delta keeps a product's main barcode while it has it
        finally:
            hub_db.close()
            hub_db = open_hub_database(f"sqlite:///{folder / 'hub.sqlite3'}")
        try:
            clean = clean_pull(templates, LoopbackHub(hub_db), folder / "clean.sqlite3")
            clean.pop(MAIN)
            assert resumed == clean
        finally:
            hub_db.close()
