"""Cashier sign-in with argon2 PIN hashes, and the demo store."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from argon2 import Type, extract_parameters

from local_db import cashiers as cashiers_module
from local_db.cashiers import SqlCashiers, add_cashier
from local_db.catalog import SqlCatalog, product_count
from local_db.database import Database
from local_db.demo_store import create_demo_store
from pos.barcode import ScannedBarcode, parse_scan
from pos.demo_catalog import DEMO_VAT_RATES, generate_catalog
from pos.sale import Cashier


def test_a_cashier_signs_in_with_the_right_pin_only(db: Database) -> None:
    add_cashier(db, "7", "Nino", "2468")
    cashiers = SqlCashiers(db)
    assert cashiers.sign_in("7", "2468") == Cashier("7", "Nino")
    assert cashiers.sign_in(" 7 ", "2468") == Cashier("7", "Nino")
    assert cashiers.sign_in("7", "2469") is None
    assert cashiers.sign_in("8", "2468") is None


def test_pins_are_stored_only_as_argon2_hashes(db: Database) -> None:
    add_cashier(db, "7", "Nino", "2468")
    with db.lookup() as conn:
        stored = conn.exec_driver_sql("SELECT pin_hash FROM cashiers").scalar_one()
    assert stored.startswith("$argon2id$") and "2468" not in stored


def test_a_new_pin_replaces_the_old_one(db: Database) -> None:
    add_cashier(db, "7", "Nino", "2468")
    add_cashier(db, "7", "Nino B.", "1357")
    cashiers = SqlCashiers(db)
    assert cashiers.sign_in("7", "2468") is None
    assert cashiers.sign_in("7", "1357") == Cashier("7", "Nino B.")


def test_a_pin_must_be_four_to_twelve_digits(db: Database) -> None:
    for bad in ("123", "12a4", "", "1234567890123"):
        with pytest.raises(ValueError):
            add_cashier(db, "7", "Nino", bad)


def test_signing_in_costs_one_modest_argon2_hash_known_cashier_or_not(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-in cost on any machine: the PIN is kept with the modest parameters (19 MiB, two
    passes, one lane: tens of milliseconds on a small till PC), and an unknown cashier number
    costs exactly one hash check too, like a wrong PIN."""
    add_cashier(db, "7", "Nino", "2468")
    with db.lookup() as conn:
        stored = conn.exec_driver_sql("SELECT pin_hash FROM cashiers WHERE code = '7'").scalar_one()
    parameters = extract_parameters(stored)
    assert (parameters.type, parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
        Type.ID, 19 * 1024, 2, 1)
    checks: list[str] = []
    verify = cashiers_module._verify
    monkeypatch.setattr(cashiers_module, "_verify", lambda pin_hash, pin: checks.append(pin) or verify(pin_hash, pin))
    cashiers = SqlCashiers(db)
    assert cashiers.sign_in("7", "2468") is not None
    assert cashiers.sign_in("7", "1111") is None
    assert cashiers.sign_in("9", "2222") is None
    assert checks == ["2468", "1111", "2222"]


def test_the_demo_catalog_is_the_same_for_the_same_seed_and_count_does_not_change_it() -> None:
    first = list(generate_catalog(300))
    assert first == list(generate_catalog(300))
    assert first[:100] == list(generate_catalog(100))
    assert first != list(generate_catalog(300, seed=7))
    assert first[0].code == "100001"


def test_the_demo_catalog_looks_like_a_real_shop() -> None:
    items = list(generate_catalog(5000))
    assert len({p.code for p in items}) == 5000
    counted = [p for p in items if not p.sold_by_weight]
    weighed = [p for p in items if p.sold_by_weight]
    assert len({p.barcode for p in counted}) == len(counted)
    assert all(isinstance(parse_scan(p.barcode), ScannedBarcode) and p.barcode.startswith("482") for p in counted)
    assert len(weighed) == 50 and weighed[0].code == "20001"
    assert all(len(p.code) == 5 and p.barcode == "" for p in weighed)
    assert all(p.price.amount == p.price.amount.quantize(Decimal("0.01")) > 0 for p in items)
    assert {p.vat for p in items} == set(DEMO_VAT_RATES)
    scripts = Counter(_script(p.name) for p in items)
    assert 0.35 < scripts["uk"] / 5000 < 0.45
    assert 0.12 < scripts["ka"] / 5000 < 0.18
    assert any(ch in "əğışçöü" for p in items for ch in p.name.lower())


def _script(name: str) -> str:
    if any("\u10d0" <= ch <= "\u10ff" for ch in name):
        return "ka"
    if any("\u0400" <= ch <= "\u04ff" for ch in name):
        return "uk"
    return "latin"


def test_the_demo_store_is_created_once(db: Database) -> None:
    assert create_demo_store(db, items=600) is True
    assert create_demo_store(db, items=600) is False
    assert product_count(db) == 600
    catalog = SqlCatalog(db)
    first = next(iter(generate_catalog(1)))
    assert catalog.by_code("100001") == first
    assert catalog.by_barcode(first.barcode) == first
    assert SqlCashiers(db).sign_in("1", "1234") == Cashier("1", "Olena")
    assert SqlCashiers(db).sign_in("2", "4321") == Cashier("2", "Rashad")
