"""The real hub process on loopback: what a till meets in a shop."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from central.database import HubDatabase, open_hub_database
from central.sales_report import received_sales
from central.tables import sales
from tests.central.hub_process import running_hub
from tests.central.shop import Shop, batch, make_sales


def test_a_till_enrols_pushes_and_pulls_through_a_real_hub_process(database_url: str, hub_db: HubDatabase) -> None:
    with running_hub(database_url) as base, httpx.Client(base_url=base) as http:
        shop = Shop.set_up(hub_db, http)
        till = shop.enrol("T01")
        made = make_sales(30, till)

        answers = shop.push(till, *made[:20]) + shop.push(till, *made[10:])
        products, cursor = shop.pull_all(till, "products", limit=2)

    assert [a["status"] for a in answers] == ["accepted"] * 20 + ["duplicate"] * 10 + ["accepted"] * 10
    assert [s.seq for s in received_sales(hub_db)] == list(range(1, 31))
    assert len(products) == 4 and int(cursor) > 0


def test_the_hub_keeps_order_by_seq_when_the_till_clock_is_far_off(database_url: str, hub_db: HubDatabase) -> None:
    with running_hub(database_url) as base, httpx.Client(base_url=base) as http:
        shop = Shop.set_up(hub_db, http)
        till = shop.enrol("T01")
        on_time = make_sales(3, till, first_seq=1)
        # the till's clock jumped back two years (a flat CMOS battery), then was fixed
        far_behind = make_sales(3, till, first_seq=4, clock_offset=-timedelta(days=730))
        fixed = make_sales(3, till, first_seq=7)
        shop.push(till, *fixed)
        shop.push(till, *far_behind)
        shop.push(till, *on_time)

    listed = list(received_sales(hub_db, till.store_id, till.till_id))
    assert [s.seq for s in listed] == list(range(1, 10))
    assert [s.sale_id for s in listed] == [str(s.sale_id) for s in (*on_time, *far_behind, *fixed)]
    assert listed[3].till_completed_at < listed[0].till_completed_at - timedelta(days=700)
    assert listed[0].hub_received_at > listed[8].hub_received_at  # arrival order is not the order


def test_two_hub_processes_on_one_postgresql_store_each_sale_once(fresh_postgresql_url: str) -> None:
    url = fresh_postgresql_url
    db = open_hub_database(url, migrate_schema=True)
    try:
        with running_hub(url) as first, running_hub(url) as second, \
                httpx.Client(base_url=first, timeout=30) as one, httpx.Client(base_url=second, timeout=30) as two:
            shop = Shop.set_up(db, one)
            tills = [shop.enrol(f"T{n:02}") for n in range(1, 5)]
            work = []
            for till in tills:
                made = make_sales(120, till)
                for start in range(0, 120, 40):
                    body = batch(*made[start:start + 40])
                    work += [(one, till, body), (two, till, body), (one, till, body)]  # each batch three times

            def push(job: tuple[httpx.Client, object, dict]) -> list[str]:
                http, till, body = job
                answer = http.post("/v1/sales/batch", json=body, headers=shop.auth(till))  # type: ignore[arg-type]
                assert answer.status_code == 200, answer.text
                return [r["status"] if r["status"] != "rejected" else f"{r['reason']}: {r['detail']}" for r in answer.json()["results"]]

            with ThreadPoolExecutor(max_workers=12) as pool:
                statuses = [s for result in pool.map(push, work) for s in result]

        with db.reading() as conn:
            stored = conn.execute(select(func.count(), func.count(sales.c.sale_id.distinct())).select_from(sales)).one()
        assert tuple(stored) == (480, 480)
        assert statuses.count("accepted") == 480, sorted(set(statuses))
        assert statuses.count("duplicate") == 960, sorted(set(statuses))
    finally:
        db.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_health_needs_no_credential_and_names_the_database(database_url: str, hub_db: HubDatabase) -> None:
    with running_hub(database_url) as base:
        answer = httpx.get(f"{base}/v1/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok" and answer.json()["database"] == "sqlite"
