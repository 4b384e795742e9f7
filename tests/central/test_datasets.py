"""GET /v1/datasets/{dataset}: pages in version order, changes only, per-store cashiers."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.datasets import _amount
from central.stores import add_cashier
from pos.money import CURRENCY_EXPONENTS, Money
from tests.central.shop import STORE_ID, Shop
from tests.fakes import APPLES, CREAM, DEMO_PRODUCTS, SHAMPOO, product


def test_pulls_page_through_a_dataset_with_a_cursor(shop: Shop) -> None:
    till = shop.enrol()
    more = [product(str(5000 + n), f"Soap {n}", "10.00") for n in range(25)]
    import_catalog(shop.db, rows_from_products([*DEMO_PRODUCTS, *more]))

    pages, after = [], "0"
    while True:
        page = shop.pull(till, "products", after, limit=10)
        pages.append(page)
        after = page["cursor"]
        if not page["more"]:
            break

    codes = [item["code"] for page in pages for item in page["items"]]
    assert [len(page["items"]) for page in pages] == [10, 10, 9]
    assert sorted(codes) == sorted({p.code for p in (*DEMO_PRODUCTS, *more)})
    assert len(codes) == len(set(codes))
    cursors = [int(page["cursor"]) for page in pages]
    assert cursors == sorted(cursors) and cursors[-1] <= int(pages[-1]["snapshot"])
    assert shop.pull(till, "products", after)["items"] == []


def test_a_price_change_appears_in_the_next_pull_only(shop: Shop) -> None:
    till = shop.enrol()
    prices, cursor = shop.pull_all(till, "prices")
    assert {p["product_code"]: p["price"] for p in prices}[SHAMPOO.code] == "89.90"

    dearer = replace(SHAMPOO, price=Money(Decimal("94.50"), "UAH"))
    report = import_catalog(shop.db, rows_from_products([dearer, *DEMO_PRODUCTS[1:]]))
    changes, _ = shop.pull_all(till, "prices", cursor)

    assert (report.products, report.prices, report.barcodes) == (0, 1, 0)
    assert changes == [{"product_code": SHAMPOO.code, "price": "94.50", "currency": "UAH", "deleted": False}]
    assert shop.pull_all(till, "products", cursor)[0] == []


def test_the_datasets_carry_the_fields_the_protocol_names(shop: Shop) -> None:
    till = shop.enrol()
    add_cashier(shop.db, STORE_ID, "7", "Olena", "2468")
    firsts = {name: shop.pull(till, name)["items"][0] for name in ("products", "barcodes", "prices", "taxes", "cashiers")}

    assert set(firsts["products"]) == {"code", "name", "brand", "category", "vat_code", "sold_by_weight", "deleted"}
    assert set(firsts["barcodes"]) == {"gtin", "product_code", "deleted"}
    assert set(firsts["prices"]) == {"product_code", "price", "currency", "deleted"}
    assert set(firsts["taxes"]) == {"code", "percent", "deleted"}
    assert set(firsts["cashiers"]) == {"code", "name", "pin_hash", "active", "deleted", "role"}
    assert firsts["cashiers"]["pin_hash"].startswith("$argon2id$")
    weighed = [p for p in shop.pull_all(till, "products")[0] if p["code"] == APPLES.code]
    assert weighed[0]["sold_by_weight"] is True


def test_a_till_reads_only_its_own_stores_cashiers(shop: Shop) -> None:
    here, elsewhere = shop.enrol("T01"), shop.enrol("T01", store_id="UA-LVIV-002")
    add_cashier(shop.db, here.store_id, "1", "Olena", "1234")
    add_cashier(shop.db, elsewhere.store_id, "1", "Taras", "4321")

    assert [c["name"] for c in shop.pull_all(here, "cashiers")[0]] == ["Olena"]
    assert [c["name"] for c in shop.pull_all(elsewhere, "cashiers")[0]] == ["Taras"]


def test_a_product_dropped_from_a_full_import_comes_as_deleted_with_its_price_and_barcode(shop: Shop) -> None:
    till = shop.enrol()
    cursors = {name: shop.pull_all(till, name)[1] for name in ("products", "prices", "barcodes")}

    report = import_catalog(shop.db, rows_from_products([p for p in DEMO_PRODUCTS if p != CREAM]), full=True)
    changes = {name: shop.pull_all(till, name, cursors[name])[0] for name in cursors}

    assert report.deleted_products == 1
    assert [(p["code"], p["deleted"]) for p in changes["products"]] == [(CREAM.code, True)]
    assert [(p["product_code"], p["deleted"]) for p in changes["prices"]] == [(CREAM.code, True)]
    assert [(b["gtin"], b["deleted"]) for b in changes["barcodes"]] == [(CREAM.barcode, True)]


def test_a_hub_with_no_promotions_or_loyalty_rules_answers_those_datasets_with_no_items(shop: Shop) -> None:
    till = shop.enrol()
    for name in ("promotions", "loyalty"):
        page = shop.pull(till, name)
        assert (page["items"], page["more"]) == ([], False)


def test_bad_pull_requests_are_refused_with_the_error_body(shop: Shop, client: TestClient) -> None:
    till = shop.enrol()
    cases = {"/v1/datasets/recipes": (404, "unknown_dataset"),
             "/v1/datasets/products?limit=5001": (400, "bad_request"),
             "/v1/datasets/products?limit=ten": (400, "bad_request"),
             "/v1/datasets/products?after=-1": (400, "bad_request")}
    for url, expected in cases.items():
        answer = client.get(url, headers=shop.auth(till))
        assert (answer.status_code, answer.json()["error"]) == expected, url


@given(minor=st.integers(min_value=0, max_value=10**15), currency=st.sampled_from(sorted(CURRENCY_EXPONENTS)))
def test_a_price_is_written_as_the_same_decimal_string_money_would_give(minor: int, currency: str) -> None:
    assert _amount(minor, currency) == str(Money.from_minor(minor, currency).amount)
