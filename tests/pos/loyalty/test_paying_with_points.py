"""Loyalty points on a real till: earned on every sale with a customer, paid as a tender within
the last known balance less what this till took since (counted from its own outbox), under the
central caps; the sale and its outbox message carry both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from local_db.database import Database
from local_db.loyalty import SqlLoyalty
from pos.loyalty.earning import POINTS
from pos.loyalty.paying import pay_points, points_offer
from pos.loyalty.redeeming import (
    AbovePointsPerSale,
    NoCustomerForPoints,
    NoLoyaltyRules,
    NotEnoughPoints,
    PointsAboveRest,
)
from pos.money import Money
from pos.pricing.promotion import CustomerFacts
from pos.store_day import checkout
from pos.till import Till
from shell.wiring import build_services
from tests.fakes import CREAM, SHAMPOO
from tests.paying_till import settings_for, till_database

RULES = {"format": "kassa.loyalty.v1", "earn": {"default": "1", "gold": "2"}, "point_value": "0.01",
         "min_redeem": 100, "offline_cap_per_sale": 5000, "offline_cap_per_day": 6000}
GOLD = CustomerFacts("C-1", tier="gold")
BALANCES = {"C-1": 1000}  # the hub's balances as the till last pulled them


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    db = till_database(tmp_path / "till.sqlite3")
    yield db
    db.close()


def balances(conn: object, customer_id: str) -> int | None:
    return BALANCES.get(customer_id)


@pytest.fixture
def till(db: Database, monkeypatch: pytest.MonkeyPatch) -> Till:
    monkeypatch.setitem(BALANCES, "C-1", 1000)
    till = build_services(settings_for(db.path), db).till
    assert isinstance(till.loyalty, SqlLoyalty)  # the wiring gives every till its points
    till.loyalty = SqlLoyalty(db, balance_of=balances)  # type: ignore[arg-type]  # the hub's balance, as pulled
    till.loyalty.keep_rules(json.dumps(RULES))
    till.start()
    till.sign_in("1", "1234")
    return till


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def outbox_message(db: Database, receipt: int) -> dict:  # type: ignore[type-arg]
    with db.lookup() as conn:
        body = conn.exec_driver_sql("SELECT payload FROM outbox WHERE series = 'receipt' AND number = ?",
                                    (receipt,)).scalar_one()
    return dict(json.loads(body))


def sell_with_points(till: Till, points: str) -> None:
    till.add_product(SHAMPOO, Decimal(2))  # 179.80
    till.identify_customer(GOLD)
    checkout.begin(till)
    pay_points(till, points)


def test_part_of_a_sale_paid_with_points_records_them_and_earns_on_the_money_paid(till: Till, db: Database) -> None:
    sell_with_points(till, "500")
    view = checkout.add_cash(till, "")
    assert view.settled and [t.payment.method for t in view.tenders] == [POINTS, "cash"]
    assert view.tenders[0].payment.amount == uah("5.00") and view.tenders[0].payment.change == uah("0")

    sale = checkout.finish(till).sale
    assert sale is not None
    assert (sale.customer_id, sale.points_redeemed, sale.points_earned) == ("C-1", 500, 348)  # floor(174.80) * 2
    message = outbox_message(db, sale.receipt_number)
    assert (message["points_redeemed"], message["points_earned"], message["customer_id"]) == (500, 348, "C-1")


def test_a_cash_sale_with_a_customer_earns_points_and_one_without_earns_none(till: Till, db: Database) -> None:
    till.add_product(CREAM)
    till.identify_customer(CustomerFacts("C-2"))
    first = till.pay_cash("100").sale
    till.add_product(CREAM)
    second = till.pay_cash("100").sale
    assert first is not None and second is not None
    assert (first.points_earned, first.points_redeemed) == (54, 0)  # 54.50 at 1 point per unit
    assert (second.customer_id, second.points_earned) == ("", 0)


def test_the_next_sale_may_use_only_the_balance_less_what_this_till_took_since(till: Till, db: Database) -> None:
    sell_with_points(till, "700")
    checkout.add_cash(till, "")
    checkout.finish(till)

    till.add_product(SHAMPOO)
    till.identify_customer(GOLD)
    checkout.begin(till)
    offer = points_offer(till)
    assert (offer.balance, offer.available, offer.most, offer.most_worth) == (1000, 300, 300, uah("3.00"))
    with pytest.raises(NotEnoughPoints) as refused:
        pay_points(till, "400")
    assert refused.value.fields == {"available": 300, "balance": 1000, "used": 700}
    pay_points(till, "300")


def test_a_sale_the_hub_acknowledged_before_the_balance_was_pulled_is_in_that_balance(
        till: Till, db: Database) -> None:
    sell_with_points(till, "700")
    checkout.add_cash(till, "")
    sale = checkout.finish(till).sale
    assert sale is not None
    acked = datetime.now(timezone.utc)
    with db.writing() as conn:
        conn.exec_driver_sql("UPDATE outbox SET acked_at = ? WHERE number = ?", (acked.isoformat(), sale.receipt_number))
        conn.exec_driver_sql("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) VALUES ('customers', "
                             "'9', '9', ?)", ((acked + timedelta(seconds=1)).isoformat(),))
    day_start = acked - timedelta(hours=1)
    assert till.loyalty is not None
    account = till.loyalty.account("C-1", day_start)
    assert (account.used_since, account.used_today) == (0, 700)  # in the balance; still today's

    with db.writing() as conn:  # the balance came from a pull that began before the hub had the sale
        conn.exec_driver_sql("UPDATE sync_cursors SET pulled_at = ?", ((acked - timedelta(seconds=1)).isoformat(),))
    assert till.loyalty.account("C-1", day_start).used_since == 700


def test_points_are_refused_without_a_customer_without_rules_above_a_cap_or_above_the_rest(
        till: Till, db: Database) -> None:
    till.add_product(CREAM)
    checkout.begin(till)
    with pytest.raises(NoCustomerForPoints):
        pay_points(till, "100")
    till.identify_customer(GOLD)
    BALANCES["C-1"] = 9000
    with pytest.raises(AbovePointsPerSale):
        pay_points(till, "5001")
    checkout.add_cash(till, "50")
    with pytest.raises(PointsAboveRest) as refused:
        pay_points(till, "500")  # 5.00 for the 4.50 left: points give no change
    assert refused.value.fields["most"] == 450
    assert till.loyalty is not None
    till.loyalty.keep_rules(None)
    with pytest.raises(NoLoyaltyRules):
        pay_points(till, "100")
