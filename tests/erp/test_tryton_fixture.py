"""The tests' Tryton: a real trytond with the chain's books, our kassa_pos module and its rule."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.erp.tryton_server import TrytonDatabase
from tests.erp.tryton_template import CLERK_LOGIN, CLERK_PASSWORD, STORES


def rpc(database: TrytonDatabase, method: str, *params: Any, login: str | None = None, password: str | None = None) -> Any:
    login, password = login or database.login, password or database.password
    user_id, session, _ = httpx.post(database.rpc_url, json={"id": 1, "method": "common.db.login",
                                                             "params": [login, {"password": password}, "en"]},
                                     timeout=60).json()["result"]
    token = base64.b64encode(f"{login}:{user_id}:{session}".encode()).decode()
    headers = {"Authorization": f"Session {token}"}
    context = httpx.post(database.rpc_url, json={"id": 2, "method": "model.res.user.get_preferences",
                                                 "params": [True, {}]}, headers=headers, timeout=60).json()["result"]
    answer = httpx.post(database.rpc_url, json={"id": 3, "method": method, "params": [*params, context]},
                        headers=headers, timeout=60)
    return answer.json()


def test_the_template_has_a_point_of_sale_per_store_and_the_four_payment_methods(tryton: TrytonDatabase) -> None:
    points = rpc(tryton, "model.sale.point.search_read", [], 0, None, None, ["name", "tax_included"])["result"]
    assert {p["name"] for p in points} >= set(STORES)  # (tests on the shared server may add their own)
    assert all(p["tax_included"] for p in points)
    methods = rpc(tryton, "model.sale.point.payment.method.search_read", [], 0, None, None, ["name", "cash"])["result"]
    assert {m["name"]: m["cash"] for m in methods} == {"Cash": True, "Card": False, "Points": False, "Gift card": False}


def test_a_kassa_reference_is_unique_in_tryton(tryton: TrytonDatabase) -> None:
    point = rpc(tryton, "model.sale.point.search", [("name", "=", STORES[0])])["result"][0]
    first = rpc(tryton, "model.sale.point.sale.create", [{"point": point, "kassa_reference": "fixture-ref-1"}])
    assert "result" in first, first
    second = rpc(tryton, "model.sale.point.sale.create", [{"point": point, "kassa_reference": "fixture-ref-1"}])
    assert "Kassa reference already exists" in str(second["error"])


def test_the_clerk_may_not_create_point_of_sale_sales(tryton: TrytonDatabase) -> None:
    point = rpc(tryton, "model.sale.point.search", [("name", "=", STORES[0])])["result"][0]
    answer = rpc(tryton, "model.sale.point.sale.create", [{"point": point}], login=CLERK_LOGIN, password=CLERK_PASSWORD)
    assert "error" in answer
