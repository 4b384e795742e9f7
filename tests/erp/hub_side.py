"""The hub's side of the ERP tests: a hub on SQLite (or PostgreSQL) with the test shop, sales pushed
by an enrolled till through the real API, and a small Tryton reader to check what Tryton holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from central.app import create_app
from central.database import HubDatabase, open_hub_database
from central.erp.tryton import TrytonConnector
from central.erp.tryton_settings import PASSWORD_VARIABLE, TrytonSettings
from pos.sale import Sale
from tests.central.shop import Shop, make_sales
from tests.erp.tryton_server import TrytonDatabase


@contextmanager
def hub_with_shop(url: str) -> Iterator[tuple[HubDatabase, Shop]]:
    db = open_hub_database(url, migrate_schema=True)
    app = create_app(url)
    with TestClient(app) as client:
        yield db, Shop.set_up(db, client)
    app.state.db.close()
    db.close()


def push_sales(shop: Shop, count: int, *, store_id: str | None = None, till_id: str = "T01") -> list[Sale]:
    till = shop.enrol(till_id, store_id) if store_id else shop.enrol(till_id)
    sales = make_sales(count, till)
    assert all(r["status"] == "accepted" for r in shop.push(till, *sales))
    return sales


def connector(tryton: TrytonDatabase, *, user: str | None = None, password: str | None = None) -> TrytonConnector:
    settings = TrytonSettings(tryton.url, tryton.name, user or tryton.login,
                              environ={PASSWORD_VARIABLE: password or tryton.password}, timeout=60)
    return TrytonConnector(settings)


class TrytonReader:
    """Reads Tryton as its administrator would, to check what the connector left there."""

    def __init__(self, tryton: TrytonDatabase) -> None:
        self.tryton = tryton
        self.connector = connector(tryton)

    def sales(self, reference: str) -> list[dict[str, Any]]:
        return list(self.connector.call("sale.point.sale", "search_read", [("kassa_reference", "=", reference)],
                                        0, None, None, ["id", "state", "number", "total", "point.name", "move"]))

    def lines(self, sale_id: int) -> list[dict[str, Any]]:
        return list(self.connector.call("sale.point.sale.line", "search_read", [("sale", "=", sale_id)], 0, None,
                                        [("id", "ASC")], ["product.code", "quantity", "unit_gross_price", "amount"]))

    def payments(self, sale_id: int) -> list[dict[str, Any]]:
        return list(self.connector.call("sale.point.payment", "search_read", [("sale", "=", sale_id)], 0, None,
                                        None, ["method.name", "amount"]))

    def close(self) -> None:
        self.connector.close()
