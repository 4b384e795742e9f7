"""The master-data pull's rules on the hub's own databases (SQLite and PostgreSQL), given what an
ERP reader brought: prices, VAT codes, units, barcodes, customers, what stops selling."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.customer_tables import customers
from central.database import HubDatabase
from central.erp.master_data import store_batch
from central.erp.master_records import ErpCustomer, ErpProduct, ErpTax, MasterBatch, OrphanPrice
from central.tables import barcodes, prices, products
from pos.barcode import with_check_digit
from tests.central.conftest import (database_url, fresh_postgresql_url, hub_db, migrated_postgresql_template,  # noqa: F401
                                    migrated_postgresql_url, migrated_sqlite)  # fixtures
from tests.fakes import DEMO_PRODUCTS

VAT_20 = ErpTax("VAT 20%", Decimal("0.20"))
GTIN = with_check_digit("482077700001")


@pytest.fixture
def hub(hub_db: HubDatabase) -> HubDatabase:  # noqa: F811
    import_catalog(hub_db, rows_from_products(DEMO_PRODUCTS))  # the hub knows VAT A 20, B 7, E 0
    return hub_db


def erp(code: str, **given: Any) -> ErpProduct:
    values: dict[str, Any] = dict(ref=f"product.product {code}", code=code, name=f"Product {code}", active=True,
                                  gross_price=Decimal("10.00"), taxes=(VAT_20,))
    return ErpProduct(**{**values, **given})


def batch(*items: ErpProduct, selling: set[str] | None = None, **given: Any) -> MasterBatch:
    return MasterBatch(products=list(items), currency="UAH", selling_codes=selling, **given)


def row(db: HubDatabase, table: Any, key: Any, value: str) -> Any:
    with db.reading() as conn:
        return conn.execute(select(table).where(key == value)).one_or_none()


def test_a_list_price_gets_its_tax_added_rounded_half_up_to_the_kopiyka(hub: HubDatabase) -> None:
    report = store_batch(hub, batch(erp("L1", gross_price=None, list_price=Decimal("74.9125")),
                                    erp("L2", gross_price=None, list_price=Decimal("10.0375"))))

    assert row(hub, prices, prices.c.product_code, "L1").price_minor == 8990  # 89.895 -> 89.90
    assert row(hub, prices, prices.c.product_code, "L2").price_minor == 1205  # 12.045 -> 12.05 (not 12.04)
    assert row(hub, products, products.c.code, "L1").vat_code == "A" and report.skipped == []


def test_the_erp_s_own_gross_price_is_taken_as_it_is(hub: HubDatabase) -> None:
    store_batch(hub, batch(erp("G1", gross_price=Decimal("89.9000"), list_price=Decimal("1"))))

    assert row(hub, prices, prices.c.product_code, "G1").price_minor == 8990


@pytest.mark.parametrize(("product", "says"), [
    (erp("T1", taxes=(ErpTax("VAT 13%", Decimal("0.13")),)), "tax 'VAT 13%' (13%) is not known to the hub"),
    (erp("T2", taxes=(VAT_20, ErpTax("Excise", Decimal("0.05")))), "has 2 customer taxes (VAT 20%, Excise)"),
    (erp("T3", taxes=(ErpTax("Eco fee", None, usable=False, why="a fixed tax"),)),
     "'Eco fee' is not known to the hub (a fixed tax)"),
    (erp("T4", gross_price=None, list_price=None), "has no price"),
    (erp("T5", unit="l"), "is sold in 'l'"),
    (erp("", name="Nameless code"), "has no code"),
    (erp("T6", name=""), "name is empty"),
])
def test_a_product_the_hub_cannot_sell_is_skipped_with_its_reason_and_the_rest_go_in(
        hub: HubDatabase, product: ErpProduct, says: str) -> None:
    report = store_batch(hub, batch(product, erp("OK1")))

    assert len(report.skipped) == 1 and says in report.skipped[0] and product.ref in report.skipped[0]
    assert row(hub, products, products.c.code, "OK1") is not None
    assert product.code == "" or row(hub, products, products.c.code, product.code) is None


def test_a_rate_two_hub_codes_share_must_be_declared_and_a_declared_code_is_taken(hub: HubDatabase) -> None:
    zero = ErpTax("Exempt", Decimal("0"))
    store_batch(hub, batch(erp("Z1", taxes=(zero,))), vat={"Z": "0"})  # now the hub has E and Z at 0 %

    report = store_batch(hub, batch(erp("Z2", taxes=(zero,))))

    assert row(hub, products, products.c.code, "Z1").vat_code == "Z"
    assert "matches the hub's VAT codes E, Z" in report.skipped[0]


def test_a_wrong_check_digit_drops_that_barcode_only_and_a_barcode_filed_twice_goes_to_the_first(hub: HubDatabase) -> None:
    wrong = GTIN[:-1] + str((int(GTIN[-1]) + 1) % 10)

    report = store_batch(hub, batch(erp("B1", barcodes=(wrong, GTIN)), erp("B2", barcodes=(GTIN,))))

    assert row(hub, barcodes, barcodes.c.gtin, GTIN).product_code == "B1"
    assert row(hub, barcodes, barcodes.c.gtin, wrong) is None
    assert [line for line in report.skipped if "B1" in line and wrong in line and "wrong check digit" in line]
    assert [line for line in report.skipped if "B2" in line and "also filed for product B1" in line]


def test_a_product_by_the_kg_is_sold_by_weight(hub: HubDatabase) -> None:
    store_batch(hub, batch(erp("K1", unit="kg")))

    assert row(hub, products, products.c.code, "K1").sold_by_weight is True


def test_what_the_erp_no_longer_sells_stops_selling_with_its_price_and_barcodes(hub: HubDatabase) -> None:
    store_batch(hub, batch(erp("S1", barcodes=(GTIN,)), erp("S2")))
    selling = {p.code for p in DEMO_PRODUCTS} | {"S2"}

    report = store_batch(hub, batch(erp("S2", active=False), selling=selling))

    assert report.stopped == 2
    for code in ("S1", "S2"):
        assert row(hub, products, products.c.code, code).deleted and row(hub, prices, prices.c.product_code, code).deleted
    assert row(hub, barcodes, barcodes.c.gtin, GTIN).deleted
    assert not row(hub, products, products.c.code, DEMO_PRODUCTS[0].code).deleted


def test_an_erp_that_sells_nothing_stops_nothing_and_says_so(hub: HubDatabase) -> None:
    report = store_batch(hub, batch(selling=set()))

    assert report.stopped == 0 and "sells no product at all" in report.skipped[0]


def test_a_price_with_no_product_is_named(hub: HubDatabase) -> None:
    report = store_batch(hub, batch(orphan_prices=[OrphanPrice("product.template 9", "'Sugar'")]))

    assert report.skipped == ["price of 'Sugar' (product.template 9) skipped: no product sells at it"]


def test_customers_are_saved_by_phone_and_a_bad_or_repeated_phone_is_named(hub: HubDatabase) -> None:
    report = store_batch(hub, batch(customers=[
        ErpCustomer("party.party 1", "Олена Коваль", "067 123 45 67"),
        ErpCustomer("party.party 2", "Двійник", "+380671234567"),
        ErpCustomer("party.party 3", "Hello", "12"),
        ErpCustomer("party.party 4", "", "+380501112233"),
    ]))

    with hub.reading() as conn:
        assert [tuple(r) for r in conn.execute(select(customers.c.phone, customers.c.name))] == [
            ("+380671234567", "Олена Коваль")]
    assert report.customers_added == 1 and len(report.skipped) == 3
    assert "(party.party 2) skipped: has the phone number of party.party 1" in report.skipped[0]


def test_a_flagged_sale_of_a_product_the_pull_brings_is_released_to_the_erp(hub: HubDatabase) -> None:
    from datetime import datetime, timezone

    from central.flagged_sales import flag_sale, held

    with hub.writing() as conn:
        flag_sale(conn, "3f1c0a52-0000-4000-8000-000000000001", "S001", "T01", 7, ["NEW1"], datetime.now(timezone.utc))

    report = store_batch(hub, batch(erp("NEW1")))

    assert report.released == 1 and "1 flagged sale(s) released" in str(report)
    with hub.reading() as conn:
        assert not held(conn, "3f1c0a52-0000-4000-8000-000000000001")
