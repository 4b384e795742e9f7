"""Customers at the hub: head office adds them, the tills receive only what they need, and a
customer registered at a till (kassa.customer.v1) is merged by phone number, exactly once."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from central.customer_tables import customer_registrations, customers
from central.customers import NewCustomer, customers_from_json, save_customers
from central.database import HubDatabase
from central.errors import AdminProblem
from pos.customers import Registration, phone_key, registration_to_dict
from tests.central.shop import Shop
from tests.central.store_day_documents import post, statuses

OLENA = NewCustomer("050 123 45 67", "Olena Kovalenko", card="2900000000017", tier="gold", segment="families",
                    group="vip", birthday=date(1990, 3, 14), offers=("P-VIP-10",), wishlist=("SHAMPOO-1",))


def registration(till: Any, phone: str = "+380671112233", name: str = "Taras Shevchuk",
                 card: str = "") -> dict[str, Any]:
    r = Registration(uuid.uuid4(), phone, name, card, till.store_id, till.till_id,
                     datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc))
    body = registration_to_dict(r)
    return {"schema": body["schema"], "document_id": body["registration_id"], "series": "customer", "number": 0,
            "body": body}


def all_customers(hub_db: HubDatabase) -> list[Any]:
    with hub_db.reading() as conn:
        return conn.execute(select(customers).order_by(customers.c.name)).all()


def test_the_customers_dataset_holds_only_what_a_till_needs(shop: Shop, hub_db: HubDatabase) -> None:
    till = shop.enrol()
    save_customers(hub_db, [OLENA], region="UA")
    [item] = shop.pull(till, "customers")["items"]
    [key] = shop.pull(till, "customer_keys")["items"]
    assert set(item) == {"customer_id", "phone_key", "card", "name", "tier", "segment", "group", "birthday", "offers",
                         "wishlist", "points_balance", "deleted"}
    assert item["points_balance"] == 0
    assert item["name"] == "Olena K."
    assert item["birthday"] == "03-14"  # no year
    assert item["phone_key"] == phone_key("+380501234567", bytes.fromhex(key["key"]))
    assert "0501234567" not in json.dumps(item) and "Kovalenko" not in json.dumps(item)
    assert (item["card"], item["tier"], item["segment"], item["group"], item["offers"], item["wishlist"]) == (
        "2900000000017", "gold", "families", "vip", ["P-VIP-10"], ["SHAMPOO-1"])


def test_one_phone_number_is_one_customer_however_it_is_typed(hub_db: HubDatabase) -> None:
    assert save_customers(hub_db, [OLENA], region="UA") == (1, 0)
    again = NewCustomer("+38 (050) 123-45-67", "Olena Kovalenko-Shevchuk", tier="platinum")
    assert save_customers(hub_db, [again], region="UA") == (0, 1)
    [row] = all_customers(hub_db)
    assert (row.phone, row.name, row.tier) == ("+380501234567", "Olena Kovalenko-Shevchuk", "platinum")


def test_a_card_another_customer_holds_is_refused(hub_db: HubDatabase) -> None:
    save_customers(hub_db, [OLENA], region="UA")
    with pytest.raises(AdminProblem, match="card 2900000000017 belongs to another customer"):
        save_customers(hub_db, [NewCustomer("067 000 11 22", "Ivan P.", card="2900000000017")], region="UA")


@pytest.mark.parametrize(("text", "says"), [
    ("{}", "a JSON list"),
    ('[{"phone": "050 123 45 67"}]', "customer 0.name: required text"),
    ('[{"phone": "050 123 45 67", "name": "A", "bday": "1990-01-01"}]', "unknown field 'bday'"),
    ('[{"phone": "050 123 45 67", "name": "A", "birthday": "14.03.1990"}]', "customer 0.birthday"),
    ('[{"phone": "050 123", "name": "A"}]', "too short"),
    ('[{"phone": "050 123 45 67", "name": "A", "offers": "P1"}]', "customer 0.offers must be a list"),
    ('[{"phone": "050 123 45 67", "name": "A"}, {"phone": "+380501234567", "name": "B"}]',
     "phone \\+380501234567 is given twice"),
    ('[{"phone": "050 123 45 67", "name": "A", "card": "29001"}, '
     '{"phone": "067 111 22 33", "name": "B", "card": "29001"}]',
     "card 29001 is given twice"),
])
def test_an_import_file_with_a_mistake_names_the_customer_and_field(hub_db: HubDatabase, text: str, says: str) -> None:
    with pytest.raises(AdminProblem, match=says):
        save_customers(hub_db, customers_from_json(text), region="UA")
    assert all_customers(hub_db) == []


def test_a_registration_at_a_till_is_a_new_customer_with_the_registrations_id(shop: Shop, hub_db: HubDatabase) -> None:
    till = shop.enrol()
    sent = registration(till, card="2900000000024")
    [answer] = post(shop, till, sent)
    assert answer["status"] == "accepted" and answer["detail"].startswith("new customer")
    [row] = all_customers(hub_db)
    assert (row.customer_id, row.phone, row.name, row.card) == (
        sent["document_id"], "+380671112233", "Taras Shevchuk", "2900000000024")
    assert shop.pull(till, "customers")["items"][0]["name"] == "Taras S."


def test_a_registration_sent_again_is_a_duplicate_and_no_second_customer(shop: Shop, hub_db: HubDatabase) -> None:
    till = shop.enrol()
    sent = registration(till)
    assert statuses(post(shop, till, sent)) == ["accepted"]
    assert statuses(post(shop, till, sent, sent)) == ["duplicate", "duplicate"]
    assert len(all_customers(hub_db)) == 1


def test_a_registration_of_a_known_phone_joins_that_customer_and_says_so(shop: Shop, hub_db: HubDatabase) -> None:
    first, second = shop.enrol("T01"), shop.enrol("T02")
    save_customers(hub_db, [OLENA], region="UA")
    [answer] = post(shop, first, registration(first, phone="+380501234567", name="Olena K"))
    assert "joined" in answer["detail"]
    [other] = post(shop, second, registration(second, phone="+380671112233", card="2900000000031"))
    [same] = post(shop, first, registration(first, phone="+380671112233", name="Taras S", card="2900000000048"))
    assert "joined" in same["detail"] and "card 2900000000048 not given" in same["detail"]
    rows = all_customers(hub_db)
    assert [(r.phone, r.name, r.card) for r in rows] == [
        ("+380501234567", "Olena Kovalenko", "2900000000017"), ("+380671112233", "Taras Shevchuk", "2900000000031")]
    with hub_db.reading() as conn:
        outcomes = sorted(r.outcome for r in conn.execute(select(customer_registrations)))
    assert outcomes == ["joined", "joined", "new"]


def test_a_registration_that_is_not_one_a_till_makes_is_rejected_naming_why(shop: Shop) -> None:
    till = shop.enrol()
    sent = registration(till)
    sent["body"]["phone"] = "050 123 45 67"
    bad_id = registration(till)
    bad_id["document_id"] = str(uuid.uuid4())
    other_till = registration(till)
    other_till["body"]["till_id"] = "T99"
    answers = post(shop, till, sent, bad_id, other_till)
    assert statuses(answers) == ["rejected:schema", "rejected:schema", "rejected:wrong_till"]
    assert "phone" in answers[0]["detail"]


def test_the_demo_customers_import_into_the_hub_one_per_group_with_a_vip_tier(hub_db: HubDatabase) -> None:
    from pos.demo_customers import demo_customers

    assert save_customers(hub_db, customers_from_json(json.dumps(demo_customers(date(2026, 12, 2)))),
                          region="UA") == (4, 0)
    rows = all_customers(hub_db)
    assert {r.customer_group for r in rows} == {"staff", "regular", "vip"}
    assert any(r.tier == "vip" for r in rows)
    assert any(r.birthday is not None and (r.birthday.month, r.birthday.day) == (12, 2) for r in rows)


def test_kassa_hub_adds_imports_and_lists_customers_and_explains_a_bad_file_in_one_line(
        hub_db: HubDatabase, database_url: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from central.cli import main

    assert main(["add-customer", "--database", database_url, "--phone", "050 123 45 67", "--name", "Olena Kovalenko",
                 "--tier", "vip", "--group", "vip", "--birthday", "1988-12-02", "--offer", "P-VIP-5"]) == 0
    good = tmp_path / "customers.json"
    good.write_text(json.dumps([{"phone": "+994 50 222 33 44", "name": "Rashad Aliyev", "group": "staff"},
                                {"phone": "0501234567", "name": "Olena Kovalenko", "tier": "gold"}]), encoding="utf-8")
    assert main(["import-customers", "--database", database_url, str(good)]) == 0
    assert main(["customers", "--database", database_url]) == 0
    out = capsys.readouterr().out
    assert "1 customer(s) added, 1 changed" in out and "2 customer(s)" in out
    assert "+380501234567" in out and "gold" in out and "+994502223344" in out
    bad = tmp_path / "bad.json"
    bad.write_text('[{"phone": "050 123", "name": "A"}]', encoding="utf-8")
    assert main(["import-customers", "--database", database_url, str(bad)]) == 1
    assert capsys.readouterr().err.strip() == "kassa-hub: phone '050 123': That phone number is too short."


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=10), inner, max_size=3),
                    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({}, optional={
    "registration_id": st.uuids().map(str) | JSON, "phone": st.sampled_from(["+380671112233", "050 123 45 67"]) | JSON,
    "name": st.text(max_size=120) | JSON, "card": st.text(max_size=70) | JSON, "registered_at": JSON,
    "store_id": st.just("S1") | JSON, "till_id": st.just("T1") | JSON}))
@example({"registration_id": "0b0c4e7e-55d2-4f0e-9d43-3c9a4a0c1d2e", "phone": "+380671112233", "name": "Taras",
          "card": "", "registered_at": "2026-12-02T10:00:00+00:00", "store_id": "S1", "till_id": "T1"})
def test_any_registration_body_is_read_or_rejected_with_a_reason_never_an_error(body: dict[str, Any]) -> None:
    from central.document_checks import DocumentProblem, check_document
    from central.stores import TillIdentity

    body = {"schema": "kassa.customer.v1", **body}
    document_id = body.get("registration_id") if isinstance(body.get("registration_id"), str) else str(uuid.uuid4())
    try:
        checked = check_document(0, document_id, "kassa.customer.v1", "customer", 0, body, TillIdentity("S1", "T1"))
    except DocumentProblem as problem:
        assert problem.reason in ("schema", "wrong_till") and problem.detail
        return
    assert checked.read.phone == "+380671112233" and checked.document_id == document_id


def test_points_of_sales_that_arrived_before_the_registration_become_the_customers(
        shop: Shop, hub_db: HubDatabase) -> None:
    from dataclasses import replace

    from central.loyalty_tables import loyalty_movements
    from tests.central.shop import make_sales

    till = shop.enrol()
    save_customers(hub_db, [OLENA], region="UA")
    new, joined = registration(till), registration(till, phone="+380501234567", name="Olena K")
    first, second = make_sales(2, till)  # a till pushes its sales before its other documents
    shop.push(till, replace(first, customer_id=new["document_id"], points_earned=40),
              replace(second, customer_id=joined["document_id"], points_earned=25))
    answers = post(shop, till, new, joined)
    assert [a["detail"].split("; ")[-1] for a in answers] == [
        "40 point(s) of sales made before the registration arrived",
        "25 point(s) of sales made before the registration arrived"]
    with hub_db.reading() as conn:
        balances = dict(conn.execute(select(customers.c.name, customers.c.points_balance)).all())
        owners = sorted(conn.execute(select(loyalty_movements.c.customer_id)).scalars())
    assert balances == {"Taras Shevchuk": 40, "Olena Kovalenko": 25}
    olena_id = next(r.customer_id for r in all_customers(hub_db) if r.name == "Olena Kovalenko")
    assert owners == sorted([new["document_id"], olena_id])


def test_an_unchanged_customer_imported_again_keeps_its_version_so_the_tills_pull_nothing(
        hub_db: HubDatabase) -> None:
    assert save_customers(hub_db, [OLENA], region="UA") == (1, 0)
    [before] = all_customers(hub_db)
    assert save_customers(hub_db, [OLENA], region="UA") == (0, 0)
    assert all_customers(hub_db)[0].version == before.version
    assert save_customers(hub_db, [NewCustomer(OLENA.phone, OLENA.name, card=OLENA.card, tier="platinum")],
                          region="UA") == (0, 1)
    assert all_customers(hub_db)[0].version > before.version


def test_points_of_sales_that_arrive_after_a_joined_registration_go_to_the_customer_it_joined(
        shop: Shop, hub_db: HubDatabase) -> None:
    from dataclasses import replace

    from central.loyalty_tables import loyalty_movements
    from tests.central.shop import make_sales

    till = shop.enrol()
    save_customers(hub_db, [OLENA], region="UA")
    joined = registration(till, phone="+380501234567", name="Olena K")
    post(shop, till, joined)  # the registration first, then a sale the till made under its id
    [sale] = make_sales(1, till)
    shop.push(till, replace(sale, customer_id=joined["document_id"], points_earned=30))
    olena_id = next(r.customer_id for r in all_customers(hub_db) if r.name == "Olena Kovalenko")
    with hub_db.reading() as conn:
        assert conn.execute(select(customers.c.points_balance).where(customers.c.customer_id == olena_id)
                            ).scalar_one() == 30
        assert set(conn.execute(select(loyalty_movements.c.customer_id)).scalars()) == {olena_id}
