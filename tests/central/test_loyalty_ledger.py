"""The hub's loyalty points: the rules set by kassa-hub set-loyalty (refused naming the field),
pulled as the loyalty dataset; the ledger exactly once on a retried batch; an overdraw reported;
a return taking back its sale's points pro rata, and giving back the points refunded."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from central.cli import main
from central.customer_tables import customers
from central.loyalty_ledger import balances, overdrawn, take_back_for_returns
from central.loyalty_tables import loyalty_movements
from central.tables import documents, returned_lines
from pos.loyalty.earning import POINTS
from pos.money import Money
from pos.tender import Payment
from central.versions import VersionClock
from pos.loyalty.rules import read_rules
from tests.central.shop import STORE_ID, Shop, make_sales

RULES = {"format": "kassa.loyalty.v1", "earn": {"default": "1", "gold": "2"}, "point_value": "0.01",
         "min_redeem": 100, "offline_cap_per_sale": 5000, "offline_cap_per_day": 10000}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def add_customer(shop: Shop, customer_id: str) -> None:
    with shop.db.writing() as conn, VersionClock(conn) as clock:
        conn.execute(customers.insert().values(customer_id=customer_id, name="Olena Koval", version=clock.next(),
                                               deleted=False, created_at=datetime.now(timezone.utc)))


def version_of(shop: Shop, customer_id: str) -> int:
    with shop.db.reading() as conn:
        return int(conn.execute(select(customers.c.version).where(customers.c.customer_id == customer_id)).scalar_one())


def test_set_loyalty_stores_rules_the_tills_pull_and_refuses_a_bad_field_by_name(
        shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**RULES, "point_value": "0.001"}), encoding="utf-8")
    status, _, err = run(capsys, "set-loyalty", str(bad), "--database", database_url)
    assert status == 1 and "point_value" in err and "nothing changed" in err

    good = tmp_path / "rules.json"
    good.write_text(json.dumps(RULES), encoding="utf-8")
    status, out, _ = run(capsys, "set-loyalty", str(good), "--database", database_url)
    assert status == 0 and "saved (version" in out
    assert "unchanged" in run(capsys, "set-loyalty", str(good), "--database", database_url)[1]

    till = shop.enrol()
    items = shop.pull(till, "loyalty")["items"]
    assert [(i["name"], i["deleted"]) for i in items] == [("rules", False)]
    assert read_rules(items[0]["body"]).earn["gold"] == 2


def test_the_points_of_a_retried_batch_are_recorded_once_and_the_customer_row_takes_a_new_version(shop: Shop) -> None:
    till = shop.enrol()
    add_customer(shop, "C-1")
    before = version_of(shop, "C-1")
    sale = replace(make_sales(1, till)[0], customer_id="C-1", points_earned=120, points_redeemed=50)

    assert [r["status"] for r in shop.push(till, sale)] == ["accepted"]
    assert [r["status"] for r in shop.push(till, sale, sale)] == ["duplicate", "duplicate"]

    with shop.db.reading() as conn:
        assert conn.execute(select(func.count()).select_from(loyalty_movements)).scalar_one() == 2
        assert balances(conn) == {"C-1": 70}
    assert version_of(shop, "C-1") > before  # the version is what makes a till pull the row again
    with shop.db.reading() as conn:
        assert conn.execute(select(customers.c.points_balance).where(customers.c.customer_id == "C-1")).scalar() == 70


def test_a_sale_without_a_customer_moves_no_points(shop: Shop) -> None:
    till = shop.enrol()
    shop.push(till, replace(make_sales(1, till)[0], points_earned=5))
    with shop.db.reading() as conn:
        assert balances(conn) == {}


def test_two_tills_redeeming_offline_beyond_the_balance_are_stored_and_reported_overdrawn(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    one, two = shop.enrol("T01"), shop.enrol("T02")
    earned = replace(make_sales(1, one)[0], customer_id="C-9", points_earned=1000)
    shop.push(one, earned)
    spent_here = replace(make_sales(2, one)[1], customer_id="C-9", points_redeemed=800)
    spent_there = replace(make_sales(1, two)[0], customer_id="C-9", points_redeemed=700)

    assert [r["status"] for r in shop.push(one, spent_here)] == ["accepted"]
    assert [r["status"] for r in shop.push(two, spent_there)] == ["accepted"]  # never a refused sale

    assert [(o.customer_id, o.balance, o.tills) for o in overdrawn(shop.db)] == [
        ("C-9", -500, (f"{STORE_ID}/T01", f"{STORE_ID}/T02"))]
    status, out, _ = run(capsys, "loyalty", "--overdrawn", "--database", database_url)
    assert status == 0 and f"C-9: -500 points (redeemed at {STORE_ID}/T01, {STORE_ID}/T02)" in out
    status, out, _ = run(capsys, "loyalty", "--customer", "C-9", "--database", database_url)
    assert [line.split()[2:5] for line in out.splitlines()] == [
        ["earned", "+1000", "="], ["redeemed", "-800", "="], ["redeemed", "-700", "="]]
    assert out.splitlines()[-1].split()[5] == "-500"


def test_returns_take_back_the_points_their_sale_earned_pro_rata_once_per_return(shop: Shop) -> None:
    till = shop.enrol()
    add_customer(shop, "C-5")
    sale = replace(make_sales(1, till)[0], customer_id="C-5", points_earned=101)
    shop.push(till, sale)
    total = sale.total.minor_units()
    received = datetime.now(timezone.utc)

    def returned(return_id: str, refunded: int) -> int:
        with shop.db.writing() as conn:
            conn.execute(returned_lines.insert().values(
                return_id=return_id, line_id=f"{return_id}-1", store_id=STORE_ID, till_id="T01",
                sale_id=str(sale.sale_id), sold_line_id=str(sale.lines[0].line_id), quantity="1",
                refunded_minor=refunded, currency="UAH"))
            return take_back_for_returns(conn, [return_id], received)

    third = total // 3
    assert returned("R-1", third) == 101 * third // total  # a third of the sale: a third of its points, rounded down
    with shop.db.writing() as conn:
        assert take_back_for_returns(conn, ["R-1"], received) == 0  # the same return again takes nothing more
    assert returned("R-2", total - third) == 101 - 101 * third // total  # the rest: every point it earned
    with shop.db.reading() as conn:
        assert balances(conn) == {"C-5": 0}
        assert conn.execute(select(customers.c.points_balance).where(customers.c.customer_id == "C-5")).scalar() == 0


def test_a_return_stored_before_its_sale_takes_the_points_back_when_the_sale_arrives(shop: Shop) -> None:
    till = shop.enrol()
    sale = replace(make_sales(1, till)[0], customer_id="C-6", points_earned=40)
    with shop.db.writing() as conn:  # the return's lines, counted against a sale the hub does not hold yet
        conn.execute(returned_lines.insert().values(
            return_id="R-9", line_id="R-9-1", store_id=STORE_ID, till_id="T02", sale_id=str(sale.sale_id),
            sold_line_id=str(sale.lines[0].line_id), quantity="1", refunded_minor=sale.total.minor_units(),
            currency="UAH"))
    shop.push(till, sale)
    with shop.db.reading() as conn:
        assert balances(conn) == {"C-6": 0}


def test_a_refund_to_the_points_tender_gives_the_customer_those_points_back_once(shop: Shop) -> None:
    till = shop.enrol()
    made = make_sales(1, till)[0]
    cash = made.payments[0]
    five = Money.of("5.00", "UAH")
    paid_with_points = Payment(uuid.uuid4(), POINTS, five, five, Money.zero("UAH"))
    rest = replace(cash, amount=cash.amount - five, tendered=cash.tendered - five)
    sale = replace(made, customer_id="C-7", points_redeemed=500, payments=(paid_with_points, rest))
    assert [r["status"] for r in shop.push(till, sale)] == ["accepted"]
    body = {"original_sale_id": str(sale.sale_id),
            "refunds": [{"payment": {"method": POINTS, "amount": "2.50"}}, {"payment": {"method": "cash", "amount": "1"}}]}
    received = datetime.now(timezone.utc)
    with shop.db.writing() as conn:
        conn.execute(documents.insert().values(document_id="R-P", schema="kassa.return.v1", store_id=STORE_ID,
                                               till_id="T01", series="return", number=1, body=json.dumps(body),
                                               received_at=received))
        take_back_for_returns(conn, ["R-P"], received)
        take_back_for_returns(conn, ["R-P"], received)
    with shop.db.reading() as conn:
        assert balances(conn) == {"C-7": -500 + 250}
