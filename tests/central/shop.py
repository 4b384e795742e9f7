"""A store on the hub for the tests: the fakes' catalog imported, tills enrolled through
the API, and sales made the way the till makes them (tests.fakes.make_till)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Protocol

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.database import HubDatabase
from central.enrolment import make_enrolment_code
from central.stores import TillIdentity, add_store
from pos.codec import sale_to_dict
from pos.sale import Sale
from tests.fakes import CREAM, DEMO_PRODUCTS, SHAMPOO, VITAMINS, make_till

STORE_ID = "UA-KYIV-014"


class Http(Protocol):
    def post(self, url: str, **kw: Any) -> Any: ...
    def get(self, url: str, **kw: Any) -> Any: ...


def make_sales(count: int, till: TillIdentity, *, first_seq: int = 1, clock_offset: timedelta = timedelta(0)) -> list[Sale]:
    """``count`` sales as the till records them, numbered from ``first_seq``."""
    pos_till = make_till()
    pos_till.start()
    pos_till.sign_in("1", "1234")
    goods = (SHAMPOO, CREAM, VITAMINS)
    made = []
    for n in range(count):
        for product in goods[: 1 + n % 3]:
            pos_till.scan(product.barcode)
        sale = pos_till.pay_cash("500").sale
        assert sale is not None
        made.append(replace(sale, store_id=till.store_id, till_id=till.till_id, receipt_number=first_seq + n,
                            completed_at=sale.completed_at + clock_offset))
    return made


def batch(*sales: Sale | dict[str, Any]) -> dict[str, Any]:
    documents = [s if isinstance(s, dict) else sale_to_dict(s) for s in sales]
    return {"sales": [{"seq": d["receipt_number"], "sale": d} for d in documents]}


@dataclass
class Shop:
    db: HubDatabase
    http: Http
    tills: dict[str, str] = field(default_factory=dict)  # till id -> credential

    @classmethod
    def set_up(cls, db: HubDatabase, http: Http, store_id: str = STORE_ID) -> Shop:
        add_store(db, store_id, "Kyiv, Khreshchatyk 14")
        import_catalog(db, rows_from_products(DEMO_PRODUCTS))
        return cls(db, http)

    def enrol(self, till_id: str = "T01", store_id: str = STORE_ID) -> TillIdentity:
        if store_id != STORE_ID:
            add_store(self.db, store_id, store_id)
        till = TillIdentity(store_id, till_id)
        code = make_enrolment_code(self.db, till)
        answer = self.http.post("/v1/enrolments", json={"code": code, "device": f"pc-{till_id}"})
        assert answer.status_code == 201, answer.text
        self.tills[f"{store_id}/{till_id}"] = answer.json()["credential"]
        return till

    def auth(self, till: TillIdentity) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tills[str(till)]}"}

    def push(self, till: TillIdentity, *sales: Sale | dict[str, Any]) -> list[dict[str, Any]]:
        answer = self.http.post("/v1/sales/batch", json=batch(*sales), headers=self.auth(till))
        assert answer.status_code == 200, answer.text
        return list(answer.json()["results"])

    def pull(self, till: TillIdentity, dataset: str, after: str = "0", limit: int = 1000) -> dict[str, Any]:
        answer = self.http.get(f"/v1/datasets/{dataset}", params={"after": after, "limit": limit}, headers=self.auth(till))
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def pull_all(self, till: TillIdentity, dataset: str, after: str = "0", limit: int = 1000) -> tuple[list[dict[str, Any]], str]:
        """Every page until ``more`` is false: the items and the cursor to resume from."""
        items: list[dict[str, Any]] = []
        while True:
            page = self.pull(till, dataset, after, limit)
            items += page["items"]
            after = page["cursor"]
            if not page["more"]:
                return items, after


assert {p.code for p in DEMO_PRODUCTS} >= {SHAMPOO.code, CREAM.code, VITAMINS.code}
