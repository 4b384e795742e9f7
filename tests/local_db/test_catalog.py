"""The SQLite catalog: scans, typed codes and word-prefix search in the shop's languages."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sqlalchemy import event

from local_db.catalog import SqlCatalog, add_barcode, load_products, product_count
from local_db.database import Database
from local_db.search_text import plain_spelling, search_expression
from pos.barcode import with_check_digit
from pos.catalog import Product
from pos.errors import StorageProblem
from pos.money import Money
from tests.fakes import APPLES, CREAM, SHAMPOO, VAT_A, VAT_B, VAT_E, VITAMINS, product
from tests.local_db.conftest import make_sql_till, sell

GEORGIAN_SOAP = product("1004", "თხევადი საპონი ლავანდა 500 მლ", "65.00")
AZERI_SHAMPOO = product("1005", "Şampun Gülnarə çobanyastığı ilə 400 ml", "99.00")
ENGLISH_PERFUME = replace(product("1006", "Eau de parfum Rose 50 ml", "2450.00"), brand="Lancôme")
PRODUCTS = (SHAMPOO, CREAM, VITAMINS, APPLES, GEORGIAN_SOAP, AZERI_SHAMPOO, ENGLISH_PERFUME)


@pytest.fixture
def catalog(db: Database) -> SqlCatalog:
    load_products(db, PRODUCTS, (VAT_A, VAT_B, VAT_E))
    return SqlCatalog(db)


def codes(found: list[Product]) -> list[str]:
    return sorted(p.code for p in found)


def test_a_product_reads_back_exactly_by_barcode_and_by_code(catalog: SqlCatalog) -> None:
    for original in PRODUCTS:
        assert catalog.by_code(original.code) == original
        if original.barcode:
            assert catalog.by_barcode(original.barcode) == original
    assert catalog.by_barcode("4820000000000") is None
    assert catalog.by_code("999") is None


def test_a_code_typed_with_leading_zeros_finds_the_product(catalog: SqlCatalog) -> None:
    assert catalog.by_code("001001") == SHAMPOO
    assert catalog.by_code("020001") == APPLES
    assert catalog.by_code("000") is None


def test_a_product_may_have_several_barcodes(catalog: SqlCatalog, db: Database) -> None:
    second = with_check_digit("590123412345")
    add_barcode(db, "1002", second)
    assert catalog.by_barcode(second) == CREAM
    assert catalog.by_barcode(CREAM.barcode) == CREAM
    with pytest.raises(StorageProblem, match="no product"):
        add_barcode(db, "nope", with_check_digit("590123412346"))


def test_search_finds_by_word_prefixes_in_ukrainian_and_georgian(catalog: SqlCatalog) -> None:
    assert codes(catalog.search("шамп")) == ["1001"]
    assert codes(catalog.search("шамп herb")) == ["1001"]
    assert codes(catalog.search("крем рук")) == ["1002"]
    assert codes(catalog.search("საპ ლავ")) == ["1004"]
    assert codes(catalog.search("თხევ")) == ["1004"]
    assert catalog.search("амп") == []  # a word must begin with what was typed
    assert catalog.search("шамп крем") == []  # every word must match


def test_search_ignores_case_and_diacritics_in_cyrillic_latin_and_azerbaijani(catalog: SqlCatalog) -> None:
    assert codes(catalog.search("ШАМПУНЬ")) == ["1001"]
    assert codes(catalog.search("ВІТАМ")) == ["1003"]
    assert codes(catalog.search("şampun")) == ["1005"]
    assert codes(catalog.search("SAMPUN gulnare")) == ["1005"]
    assert codes(catalog.search("çoban")) == ["1005"]
    assert codes(catalog.search("lancome")) == ["1006"]
    assert codes(catalog.search("ᲡᲐᲞ")) == ["1004"]  # Georgian Mtavruli capitals


def test_a_word_typed_in_cyrillic_also_finds_latin_brands(catalog: SqlCatalog) -> None:
    assert codes(catalog.search("шамп херб")) == ["1001"]  # "Шампунь Herbal"
    assert codes(catalog.search("еау парф")) == ["1006"]  # "Eau de parfum"


def test_search_finds_by_brand_and_by_code(catalog: SqlCatalog) -> None:
    assert codes(catalog.search("brand")) == codes(list(PRODUCTS[:-1]))
    assert codes(catalog.search("100")) == ["1001", "1002", "1003", "1004", "1005", "1006"]
    assert len(catalog.search("brand", limit=2)) == 2


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=30) | st.sampled_from(['"', '*', 'NEAR(a b)', 'name:x', 'a OR', '(', '^x', '"шамп', '- -', "AND"]))
def test_search_treats_any_text_as_words_never_as_query_syntax(catalog_db: SqlCatalog, text: str) -> None:
    found = catalog_db.search(text)
    assert isinstance(found, list)


@pytest.fixture(scope="module")
def catalog_db(tmp_path_factory: pytest.TempPathFactory) -> SqlCatalog:
    from local_db.database import open_database

    db = open_database(tmp_path_factory.mktemp("search") / "till.sqlite3")
    load_products(db, PRODUCTS)
    return SqlCatalog(db)


def test_search_expressions_quote_every_word() -> None:
    assert search_expression('ab"c NEAR') == '"ab""c"* AND "near"*'
    assert search_expression("  * - ") is None
    assert search_expression("херб") == '("херб"* OR "herb"*)'


def test_loading_again_updates_products_and_their_search_words(catalog: SqlCatalog, db: Database) -> None:
    renamed = replace(SHAMPOO, name="Бальзам Herbal 200 мл", price=Money.of("79.90", "UAH"))
    assert load_products(db, [renamed]) == 1
    assert catalog.by_barcode(SHAMPOO.barcode) == renamed
    assert catalog.search("шамп") == []
    assert codes(catalog.search("бальз")) == ["1001"]
    assert product_count(db) == len(PRODUCTS)


def test_a_big_load_rebuilds_the_search_index_once(db: Database) -> None:
    many = [product(str(5000 + n), f"Мило дитяче {n}", "12.50", VAT_A) for n in range(12_000)]
    assert load_products(db, many) == 12_000
    catalog = SqlCatalog(db)
    assert len(catalog.search("мило дит", limit=500)) == 200  # MAX_SEARCH_RESULTS
    assert codes(catalog.search("16999")) == ["16999"]
    with db.lookup() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM catalog_loading").scalar() == 0
        conn.exec_driver_sql("INSERT INTO product_search (product_search) VALUES ('integrity-check')")


def test_a_load_with_a_bad_price_or_vat_leaves_the_catalog_as_it_was(catalog: SqlCatalog, db: Database) -> None:
    fine = product("2001", "Крем новий", "10.00")
    too_fine = replace(product("2002", "Крем дорогий", "10.00"), price=Money(Decimal("10.005"), "UAH"))
    with pytest.raises(StorageProblem, match="2002"):
        load_products(db, [fine, too_fine])
    clashing = product("2003", "Крем", "10.00", replace(VAT_A, percent=Decimal("18")))
    with pytest.raises(StorageProblem, match="VAT A"):
        load_products(db, [fine, clashing])
    assert catalog.by_code("2001") is None
    assert product_count(db) == len(PRODUCTS)


def test_the_till_sells_from_the_sqlite_catalog(db: Database) -> None:
    from local_db.journal import SqlJournal

    load_products(db, PRODUCTS)
    till = make_sql_till(SqlJournal(db, "T01"))
    till.catalog = SqlCatalog(db)
    scale_label = with_check_digit("222000100500")  # PLU 20001, 500 g
    sale = sell(till, SHAMPOO.barcode, SHAMPOO.barcode, "1004", scale_label, "0.25*20001")
    assert [(line.product_code, line.quantity) for line in sale.lines] == [
        ("1001", 2), ("1004", 1), ("20001", Decimal("0.500")), ("20001", Decimal("0.250")),
    ]


def test_a_scan_is_answered_by_index_lookups_alone(catalog: SqlCatalog, db: Database) -> None:
    """What keeps a scan fast on any machine and any catalog size: SQLite's plan for every
    statement of a lookup searches an index (a SEARCH), never reads a whole table (a SCAN)."""
    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert catalog.by_barcode(SHAMPOO.barcode) == SHAMPOO
        assert catalog.by_code("00001003") == VITAMINS  # typed with leading zeros: two lookups
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(statements) >= 3
    with db.lookup() as conn:
        for statement, parameters in statements:
            plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            assert plan and all(step.startswith("SEARCH") for step in plan), (statement, plan)


@given(st.text(alphabet="abcəƏıİüШамп ", max_size=30))
def test_the_plain_spelling_replaces_exactly_the_letters_a_plain_keyboard_lacks(name: str) -> None:
    replaced = name.replace("ə", "e").replace("Ə", "E").replace("ı", "i").replace("İ", "I")
    assert plain_spelling(name) == (replaced if replaced != name else "")
