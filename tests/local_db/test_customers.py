"""Customers at the till on real SQLite files: found by phone number (typed any way, hashed
the hub's way) or by loyalty card, registered offline with their outbox document, and the
pulled dataset applied page by page with its cursor."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from local_db.catalog import load_products
from local_db.customers import CUSTOMERS, KEYS, SqlCustomers, apply_customer_page, customer_cursor
from local_db.database import Database
from local_db.outbox import SqlOutbox
from pos.customers import CustomerProblem, phone_key
from pos.phone import PhoneNumberProblem
from tests.fakes import CREAM, DEMO_PRODUCTS, SHAMPOO, STORE

KEY = bytes(range(32))
NOW = datetime(2026, 12, 2, 11, 0, tzinfo=timezone.utc)


def olena(**changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "customer_id": "c-olena", "phone_key": phone_key("+380501234567", KEY), "card": "2900000000017",
        "name": "Olena K.", "tier": "gold", "segment": "families", "group": "vip", "birthday": "03-14",
        "offers": ["P-VIP-10"], "wishlist": ["NOT-HERE", SHAMPOO.code, CREAM.code], "deleted": False}
    item.update(changes)
    return item


@pytest.fixture
def customers(db: Database) -> SqlCustomers:
    load_products(db, DEMO_PRODUCTS)
    apply_customer_page(db, KEYS, [{"key_id": 1, "key": KEY.hex(), "deleted": False}], cursor="1", snapshot="2",
                        pulled_at=NOW)
    apply_customer_page(db, CUSTOMERS, [olena()], cursor="2", snapshot="2", pulled_at=NOW)
    return SqlCustomers(db, region="UA", store_id=STORE.store_id, till_id=STORE.till_id)


@pytest.mark.parametrize("typed", ["050 123 45 67", "+380 (50) 123-45-67", "380501234567", "0501234567"])
def test_a_customer_is_found_by_their_phone_number_typed_any_way(customers: SqlCustomers, typed: str) -> None:
    found = customers.find(typed)
    assert found is not None and found.facts.customer_id == "c-olena"
    assert (found.display_name, found.facts.tier, found.facts.segment, found.facts.group) == (
        "Olena K.", "gold", "families", "vip")
    assert found.facts.birthday == date(2000, 3, 14)


def test_a_customer_is_found_by_their_loyalty_card_and_sees_only_the_wishlist_this_store_carries(
        customers: SqlCustomers) -> None:
    found = customers.find("2900000000017")
    assert found is not None and found.facts.customer_id == "c-olena"
    assert found.wishlist == (SHAMPOO.code, CREAM.code)
    assert found.wishlist_names == (SHAMPOO.name, CREAM.name)
    assert found.personal_offers == ("P-VIP-10",)


def test_an_unknown_number_is_nobody_and_text_that_is_no_number_says_why(customers: SqlCustomers) -> None:
    assert customers.find("067 000 00 00") is None
    assert customers.find("2900000000999") is None  # an unknown card
    with pytest.raises(PhoneNumberProblem):
        customers.find("Olena")


def test_a_customer_registered_offline_is_found_at_once_and_queued_for_the_hub_once(
        customers: SqlCustomers, db: Database) -> None:
    made, new = customers.register("067 111 22 33", "  Taras   Shevchuk ", "2900000000024", now=NOW)
    assert new and made.registered_here and made.display_name == "Taras S."
    assert customers.find("+380671112233") == made
    assert customers.find("2900000000024") == made
    [document] = SqlOutbox(db).pending_documents()
    body = json.loads(document.document.payload)
    assert (document.document.kind, document.document.series, str(document.document.document_id)) == (
        "kassa.customer.v1", "customer", made.facts.customer_id)
    assert (body["phone"], body["name"], body["card"], body["till_id"]) == (
        "+380671112233", "Taras Shevchuk", "2900000000024", STORE.till_id)


def test_registering_a_known_number_identifies_that_customer_and_makes_no_second_one(
        customers: SqlCustomers, db: Database) -> None:
    found, new = customers.register("050 123 45 67", "Olena Kovalenko", "", now=NOW)
    assert not new and found.facts.customer_id == "c-olena"
    again, new_again = customers.register("067 111 22 33", "Taras", "", now=NOW)
    assert new_again
    assert customers.register("+380671112233", "Taras Shevchuk", "", now=NOW) == (again, False)
    assert len(SqlOutbox(db).pending_documents()) == 1


def test_a_card_another_customer_holds_is_refused_at_registration(customers: SqlCustomers, db: Database) -> None:
    with pytest.raises(CustomerProblem, match="another customer"):
        customers.register("067 111 22 33", "Taras", "2900000000017", now=NOW)
    assert SqlOutbox(db).pending_documents() == []


def test_the_hubs_customer_wins_over_this_tills_registration_of_the_same_number(
        customers: SqlCustomers, db: Database) -> None:
    mine, _ = customers.register("067 111 22 33", "Taras Shevchuk", "", now=NOW)
    merged = olena(customer_id="c-taras", phone_key=phone_key("+380671112233", KEY), card="", name="Taras S.",
                   tier="silver")
    apply_customer_page(db, CUSTOMERS, [merged], cursor="3", snapshot="3", pulled_at=NOW)
    found = customers.find("067 111 22 33")
    assert found is not None and found.facts.customer_id == "c-taras" and not found.registered_here
    assert mine.facts.customer_id != "c-taras"


def test_a_deleted_customer_is_gone_and_the_cursor_moves_with_each_page(customers: SqlCustomers, db: Database) -> None:
    assert customer_cursor(db, CUSTOMERS) == "2"
    apply_customer_page(db, CUSTOMERS, [olena(deleted=True)], cursor="7", snapshot="7", pulled_at=NOW)
    assert customers.find("050 123 45 67") is None
    assert customer_cursor(db, CUSTOMERS) == "7"


def test_without_the_chains_key_only_this_tills_registrations_are_found_by_phone(db: Database) -> None:
    here = SqlCustomers(db, region="UA", store_id=STORE.store_id, till_id=STORE.till_id)
    assert here.find("050 123 45 67") is None
    made, _ = here.register("050 123 45 67", "Olena Kovalenko", "", now=NOW)
    assert here.find("0501234567") == made


def test_the_demo_till_holds_the_demo_customers_with_a_birthday_today_until_a_hub_sends_its_own(db: Database) -> None:
    from local_db.customers import load_demo_customers

    today = date(2026, 2, 28)
    assert load_demo_customers(db, today) == 4
    here = SqlCustomers(db, region="UA", store_id=STORE.store_id, till_id=STORE.till_id)
    olena = here.find("050 123 45 67")
    assert olena is not None and olena.display_name == "Olena K." and olena.facts.group == "vip"
    assert (olena.facts.birthday.month, olena.facts.birthday.day) == (2, 28)
    assert {here.find(card).facts.group for card in ("2900000000018", "2900000000025", "2900000000032")} == {
        "vip", "staff", "regular"}
    apply_customer_page(db, KEYS, [{"key_id": 1, "key": KEY.hex(), "deleted": False}], cursor="1", snapshot="2",
                        pulled_at=NOW)
    apply_customer_page(db, CUSTOMERS, [olena_item()], cursor="2", snapshot="2", pulled_at=NOW)
    assert here.find("2900000000025") is None  # the demo's are gone, the hub's are kept
    assert load_demo_customers(db, today) == 0


def olena_item() -> dict[str, object]:
    return olena()


def test_the_points_balance_the_hub_sent_comes_with_the_customer_and_its_cursor(customers: SqlCustomers,
                                                                                 db: Database) -> None:
    apply_customer_page(db, CUSTOMERS, [olena(points_balance=120)], cursor="9", snapshot="9", pulled_at=NOW)
    found = customers.find("050 123 45 67")
    assert found is not None and (found.points_balance, found.balance_version) == (120, "9")


@pytest.mark.parametrize("condition", ["BY_PHONE_KEY", "BY_CARD"])
def test_finding_a_customer_reads_an_index_not_the_whole_table(db: Database, condition: str) -> None:
    import local_db.customers as module

    plan = db.read(lambda conn: " ".join(str(row[-1]) for row in conn.exec_driver_sql(
        "EXPLAIN QUERY PLAN " + module._COLUMNS + getattr(module, condition), ("x",))), "plan")
    assert plan.startswith("SEARCH customers USING INDEX customers_by_") and "SCAN" not in plan
