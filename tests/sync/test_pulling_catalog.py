"""Pulling the hub's catalog into the till: complete pulls apply at once, bad ones not at all."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.stores import add_cashier
from local_db.cashiers import SqlCashiers
from local_db.catalog import SqlCatalog, product_count
from local_db.database import Database
from local_db.reference_data import ReferenceData
from pos.money import Money
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from sync.errors import BadAnswer, HubUnreachable
from sync.hub_client import HubClient
from sync.pull import CatalogPuller, PullOutcome
from tests.fakes import CREAM, DEMO_PRODUCTS, SHAMPOO, STORE, VITAMINS, MemoryCashiers, StepClock
from tests.local_db.conftest import sell
from tests.sync.conftest import FAST_RETRY, Hub, connect
from tests.sync.fake_hub import fake_hub, page


def test_a_first_pull_fills_the_catalog_and_the_cashiers_from_the_hub(hub: Hub, till_db: Database) -> None:
    add_cashier(hub.db, STORE.store_id, "7", "Iryna", "2468")
    sync = connect(hub.url, till_db, hub)

    outcome = sync.pull()

    assert isinstance(outcome, PullOutcome) and outcome.items["products"] == len(DEMO_PRODUCTS)
    catalog = SqlCatalog(till_db)
    assert catalog.by_barcode(SHAMPOO.barcode) == SHAMPOO
    assert catalog.by_code(VITAMINS.code) == VITAMINS
    assert [p.code for p in catalog.search("шамп")] == [SHAMPOO.code]
    assert SqlCashiers(till_db).sign_in("7", "2468") is not None
    assert sync.monitor.status().last_pull_at is not None


def test_the_next_pull_brings_only_the_changes(hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    sync.pull()
    dearer = replace(SHAMPOO, price=Money.of("99.90", "UAH"))
    import_catalog(hub.db, rows_from_products([dearer, CREAM, VITAMINS]))

    outcome = sync.pull()

    assert isinstance(outcome, PullOutcome)
    assert outcome.items["prices"] == 1 and outcome.items["products"] == 0
    assert SqlCatalog(till_db).by_barcode(SHAMPOO.barcode) == dearer
    assert sync.pull().items == {d: 0 for d in outcome.items}  # type: ignore[union-attr]


def test_a_product_removed_at_the_hub_leaves_the_till_catalog_and_its_search(hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    sync.pull()
    import_catalog(hub.db, rows_from_products([p for p in DEMO_PRODUCTS if p != CREAM]), full=True)

    sync.pull()

    catalog = SqlCatalog(till_db)
    assert catalog.by_code(CREAM.code) is None and catalog.by_barcode(CREAM.barcode) is None
    assert catalog.search("крем") == []
    assert product_count(till_db) == len(DEMO_PRODUCTS) - 1


def test_a_sale_scanned_before_a_price_change_keeps_the_price_it_was_scanned_at(hub: Hub, till_db: Database, journal) -> None:
    sync = connect(hub.url, till_db, hub)
    sync.pull()
    till = Till(TillSettings(STORE, CashPolicy()), catalog=SqlCatalog(till_db), journal=journal, baskets=journal,
                cashiers=MemoryCashiers(), clock=StepClock())
    till.start()
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    import_catalog(hub.db, rows_from_products([replace(SHAMPOO, price=Money.of("99.90", "UAH")), CREAM, VITAMINS]))

    sync.pull()  # the swap happens while the basket is open
    sale = sell(till, SHAMPOO.barcode)

    assert [line.unit_price.amount for line in sale.lines] == [Decimal("89.90"), Decimal("99.90")]


def _good_catalog(fake) -> None:  # noqa: ANN001
    fake.answers = {
        "taxes": page("taxes", [{"code": "A", "percent": "20", "deleted": False}], 1),
        "products": page("products", [{"code": "1001", "name": "Шампунь", "brand": "B", "category": "C",
                                       "vat_code": "A", "sold_by_weight": False, "deleted": False}], 2),
        "prices": page("prices", [{"product_code": "1001", "price": "89.90", "currency": "UAH", "deleted": False}], 3),
        "barcodes": page("barcodes", [{"gtin": SHAMPOO.barcode, "product_code": "1001", "deleted": False}], 4),
    }


BAD_PRICE_PAGES = {
    "a float price": page("prices", [{"product_code": "1001", "price": 99.9, "currency": "UAH", "deleted": False}], 9),
    "a missing field": page("prices", [{"product_code": "1001", "currency": "UAH", "deleted": False}], 9),
    "a price finer than the currency": page("prices", [{"product_code": "1001", "price": "99.901", "currency": "UAH",
                                                        "deleted": False}], 9),
    "a cursor that is not a number": page("prices", [], 9).replace(b'"cursor": "9"', b'"cursor": "nine"'),
    "another dataset's page": page("barcodes", [], 9),
    "cut-off JSON": page("prices", [{"product_code": "1001", "price": "99.90", "currency": "UAH", "deleted": False}], 9)[:-20],
    "not JSON at all": b"<html>proxy error</html>",
    "an oversized answer": page("prices", [{"product_code": "1001", "price": "99.90", "currency": "UAH",
                                            "deleted": False, "padding": "x" * 300_000}], 9),
}


@pytest.mark.parametrize("problem", list(BAD_PRICE_PAGES))
def test_a_bad_page_is_refused_and_the_old_catalog_stays(problem: str, till_db: Database) -> None:
    with fake_hub() as (url, fake), HubClient(url, "kt1.x.y", retry=FAST_RETRY, max_answer_bytes=200_000) as client:
        _good_catalog(fake)
        puller = CatalogPuller(client, ReferenceData(till_db))
        puller.pull()
        before = SqlCatalog(till_db).by_code("1001")
        cursors = ReferenceData(till_db).cursors()
        fake.answers["products"] = page("products", [{"code": "1001", "name": "Новий шампунь", "brand": "B",
                                                      "category": "C", "vat_code": "A", "sold_by_weight": False,
                                                      "deleted": False}], 8)
        fake.answers["prices"] = BAD_PRICE_PAGES[problem]

        with pytest.raises(BadAnswer) as refused:
            puller.pull()

    assert refused.value.reason
    assert ReferenceData(till_db).cursors() == cursors
    assert SqlCatalog(till_db).by_code("1001") == before
    assert before is not None and before.name == "Шампунь" and before.price == Money.of("89.90", "UAH")


def test_an_answer_cut_short_of_its_length_is_refused_and_the_old_catalog_stays(till_db: Database) -> None:
    with fake_hub() as (url, fake), HubClient(url, "kt1.x.y", retry=FAST_RETRY) as client:
        _good_catalog(fake)
        fake.truncate = {"prices"}
        with pytest.raises(HubUnreachable):
            CatalogPuller(client, ReferenceData(till_db)).pull()
    assert product_count(till_db) == 0 and ReferenceData(till_db).cursors() == {}
