"""A return reaches Tryton as a posted POS sale of negative quantities, once, beside its sale."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from central.erp import delivery
from tests.central.store_day_documents import a_day, of_return, post, set_up_tills, statuses
from tests.erp.hub_side import TrytonReader, connector, hub_with_shop
from tests.erp.tryton_server import TrytonDatabase
from tests.erp.tryton_template import ADMIN_PASSWORD, STORES
from tests.pos.store_day.day import STORE


def add_point_of_sale(tryton: TrytonDatabase, name: str) -> None:
    from dataclasses import replace

    admin = connector(replace(tryton, login="admin", password=ADMIN_PASSWORD))
    if not admin.call("sale.point", "search", [("name", "=", name)], 0, 1, None):
        (model,) = admin.call("sale.point", "search", [("name", "=", STORES[0])], 0, 1, None)
        admin.call("sale.point", "copy", [model], {"name": name})
    admin.close()


def test_a_return_lands_in_tryton_as_a_posted_sale_of_negative_quantities_once(
        tmp_path: Path, tryton: TrytonDatabase) -> None:
    add_point_of_sale(tryton, STORE)
    with hub_with_shop(f"sqlite:///{tmp_path / 'hub.sqlite3'}") as (db, shop):
        till, _ = set_up_tills(shop)
        day = a_day()
        shop.push(till, *day.sales)
        (taken,) = day.numbered_returns()
        assert statuses(post(shop, till, of_return(taken))) == ["accepted"]
        erp = connector(tryton)
        done = delivery.deliver_due(db, erp)
        again = delivery.deliver_due(db, erp)
        erp.close()
    assert (done.delivered, done.failed) == (len(day.sales) + 1, 0), done.describe()
    assert again.claimed == 0
    reader = TrytonReader(tryton)
    (found,) = reader.sales(str(taken.return_id))
    lines = reader.lines(found["id"])
    payments = reader.payments(found["id"])
    reader.close()
    assert found["state"] == "posted" and found["total"] == -taken.total.amount
    assert [(line["product."]["code"], Decimal(str(line["quantity"]))) for line in lines] == [
        (line.product_code, -line.quantity) for line in taken.lines]
    assert sum(p["amount"] for p in payments) == -taken.total.amount
