"""Two hub processes deliver one PostgreSQL hub's queue at once: each sale goes once (row claims)."""

from __future__ import annotations

import threading

from central.erp import delivery
from tests.central.conftest import scratch_postgresql_url
from tests.erp.hub_side import TrytonReader, connector, hub_with_shop, push_sales
from tests.erp.tryton_server import TrytonDatabase


def test_two_workers_on_postgresql_share_the_queue_and_deliver_each_sale_once(tryton: TrytonDatabase) -> None:
    with scratch_postgresql_url("erp_test") as url, hub_with_shop(url) as (db, shop):
        sales = push_sales(shop, 6)
        rounds: dict[str, delivery.Round] = {}

        def work(name: str) -> None:
            erp = connector(tryton)
            rounds[name] = delivery.deliver_due(db, erp, worker=name, batch=3)
            erp.close()

        workers = [threading.Thread(target=work, args=(name,)) for name in ("hub-a", "hub-b")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(300)
        assert [rounds[name].delivered for name in ("hub-a", "hub-b")] == [3, 3]
        assert sum(r.already_there for r in rounds.values()) == 0  # no row was delivered by both
        reader = TrytonReader(tryton)
        assert [len(reader.sales(str(sale.sale_id))) for sale in sales] == [1] * 6
        reader.close()


