"""Loyalty points through a real hub process, two tills of a store: the chain's rules and the
customer pulled; points earned offline at one till reach the hub's ledger once; the balance
comes back to both tills with the customers dataset; both redeem it offline (each within its
own limit: the last known balance less what it took since), both sales stand, and the hub
reports the customer overdrawn.  (The balance reaches the tills with the customers dataset:
central/customers.py, sync/customer_pull.py, local_db/customers.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.customers import NewCustomer, save_customers
from central.loyalty_ledger import balances, overdrawn, set_rules
from local_db.customers import SqlCustomers
from local_db.database import open_database
from pos.loyalty.paying import pay_points, points_offer
from pos.loyalty.redeeming import NotEnoughPoints
from pos.sale import Sale
from pos.store_day import checkout
from sync.credentials import FileStore
from sync.enrolment import enrol_till
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from tests.fakes import STORE
from tests.sync.conftest import FAST_RETRY, Hub
from tests.ui.returns.till_world import GOODS, SENIOR, RealTill, make_store_file, real_till

RULES = {"format": "kassa.loyalty.v1", "earn": {"default": "1"}, "point_value": "1.00", "min_redeem": 1,
         "offline_cap_per_sale": 100_000, "offline_cap_per_day": 100_000}
PHONE = "+380 67 123 45 67"
OLENA = "C-OLENA"


@dataclass
class PointsTill:
    real: RealTill
    sync: TillSync
    customers: SqlCustomers

    def identify(self) -> int:
        """The customer made the sale's, by phone number; their balance as this till knows it."""
        record = self.customers.find(PHONE)
        assert record is not None
        self.real.till.identify_customer(record.facts)
        return record.points_balance

    def sell(self, *, points: str = "") -> Sale:
        till = self.real.till
        till.add_product(GOODS[0], Decimal(3))
        self.identify()
        checkout.begin(till)
        if points:
            pay_points(till, points)
        checkout.add_cash(till, "")
        sale = checkout.finish(till).sale
        assert sale is not None
        return sale


def _enrolled(hub: Hub, path: Path, till_id: str) -> PointsTill:
    make_store_file(path, till_id, STORE.store_id)
    real = real_till(path, till_id, store_id=STORE.store_id, who=SENIOR)
    with HubClient(hub.url, retry=FAST_RETRY) as enrolling:
        enrolment = enrol_till(real.db, enrolling, hub.enrolment_code(STORE.store_id, till_id),
                               FileStore(path.parent), store_id=STORE.store_id, till_id=till_id)
    config = SyncConfig(hub.url, push_interval_seconds=0.5, pull_interval_seconds=3600, retry=FAST_RETRY)
    sync = TillSync(real.db, HubClient(hub.url, enrolment.credential, timeout=5, retry=FAST_RETRY), config)
    return PointsTill(real, sync, SqlCustomers(real.db, region="UA", store_id=STORE.store_id, till_id=till_id))


@pytest.fixture
def two_tills(hub: Hub, tmp_path: Path) -> Iterator[tuple[PointsTill, PointsTill]]:
    import_catalog(hub.db, rows_from_products(GOODS[:2]))
    set_rules(hub.db, json.dumps(RULES))
    save_customers(hub.db, [NewCustomer(PHONE, "Olena Koval", tier="gold", customer_id=OLENA)], region="UA")
    tills = (_enrolled(hub, tmp_path / "a" / "till.sqlite3", "T01"), _enrolled(hub, tmp_path / "b" / "till.sqlite3", "T02"))
    yield tills
    for till in tills:
        till.sync.client.close()
        till.real.db.close()


def pull(*tills: PointsTill) -> None:
    for till in tills:
        pulled = till.sync.pull()
        assert not isinstance(pulled, Exception), pulled


def test_points_earned_offline_reach_the_hub_once(hub: Hub, two_tills: tuple[PointsTill, PointsTill]) -> None:
    first, _second = two_tills
    pull(first)
    assert first.real.till.loyalty is not None and first.real.till.loyalty.rules() is not None  # pulled

    sale = first.sell()  # the hub is away: the sale waits in the outbox with its points
    expected = int((GOODS[0].price.amount * 3) // 1)
    assert (sale.customer_id, sale.points_earned) == (OLENA, expected)

    first.sync.push()
    first.sync.push()  # nothing is sent twice; the hub would answer duplicate anyway
    with hub.db.reading() as conn:
        assert balances(conn) == {OLENA: expected}


def test_two_tills_redeem_offline_beyond_the_balance_both_sales_stand_and_the_hub_reports_the_overdraw(
        hub: Hub, two_tills: tuple[PointsTill, PointsTill]) -> None:
    first, second = two_tills
    pull(first, second)
    earned = first.sell()
    first.sync.push()
    pull(first, second)
    balance = earned.points_earned
    assert first.identify() == second.identify() == balance  # the hub's balance at both tills

    spent = []
    for till in (first, second):  # the hub is away now: each till redeems what it may
        till.real.till.add_product(GOODS[0], Decimal(3))
        till.identify()
        checkout.begin(till.real.till)
        offer = points_offer(till.real.till)
        assert offer.most == balance
        if not pay_points(till.real.till, str(offer.most)).settled:
            checkout.add_cash(till.real.till, "")
        sale = checkout.finish(till.real.till).sale
        assert sale is not None and sale.points_redeemed == balance
        spent.append(sale)

    first.real.till.add_product(GOODS[0], Decimal(3))  # this till already took the whole balance
    first.identify()
    checkout.begin(first.real.till)
    with pytest.raises(NotEnoughPoints):
        pay_points(first.real.till, "1")
    checkout.cancel(first.real.till)

    first.sync.push()
    second.sync.push()
    assert hub.sale_count() == 3  # never a refused sale
    final = balance - 2 * balance + sum(s.points_earned for s in spent)
    assert final < 0
    [found] = overdrawn(hub.db)
    assert (found.customer_id, found.balance, found.tills) == (OLENA, final, (f"{STORE.store_id}/T01",
                                                                            f"{STORE.store_id}/T02"))
