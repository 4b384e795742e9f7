"""Two hub processes serving one database, two tills returning the last pieces of one sale at
the same moment: exactly one return is accepted, whichever comes first.  And a document the
database refuses although it passed every check is rejected alone, the others stored."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal
from typing import Any

import httpx

from central.database import HubDatabase
from tests.central.hub_process import running_hub
from tests.central.shop import Shop
from tests.central.store_day_documents import a_day, approval, give_back, of_approval, of_return, set_up_tills
from tests.pos.store_day.day import OTHER_TILL

ROUNDS = 6


def test_two_tills_returning_the_same_pieces_at_once_through_two_hubs_get_them_once(
        database_url: str, hub_db: HubDatabase) -> None:
    with running_hub(database_url) as first, running_hub(database_url) as second, \
            httpx.Client(base_url=first, timeout=60) as http_a, httpx.Client(base_url=second, timeout=60) as http_b:
        shop = Shop.set_up(hub_db, http_a)
        till, other = set_up_tills(shop)
        for n in range(ROUNDS):
            sale = replace(a_day().sales[0], receipt_number=n + 1)  # two shampoos and a cream
            assert [r["status"] for r in shop.push(till, sale)] == ["accepted"]
            line = next(line.line_id for line in sale.lines if not line.voided)
            sent = [(http_a, till, of_return(give_back(sale, {line: Decimal(2)}, n + 1))),
                    (http_b, other, of_return(give_back(sale, {line: Decimal(2)}, n + 1, till=OTHER_TILL)))]
            answers = at_once(*[lambda http=http, who=who, document=document: http.post(
                "/v1/documents", json={"documents": [document]}, headers=shop.auth(who))
                for http, who, document in sent])
            results = [a.json()["results"][0] for a in answers]
            assert sorted((r["status"], r.get("reason")) for r in results) == [
                ("accepted", None), ("rejected", "over_return")], results
            back = http_b.get(f"/v1/sales/{sale.sale_id}/returned", headers=shop.auth(other)).json()
            assert back["lines"][0]["quantity"] == "2"


def at_once(*calls: Any) -> list[Any]:
    """Run the calls in threads released together; their results in order."""
    start, answers = threading.Barrier(len(calls)), [None] * len(calls)

    def run(k: int) -> None:
        start.wait()
        answers[k] = calls[k]()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_one_document_sent_through_two_hubs_at_once_is_stored_once(database_url: str, hub_db: HubDatabase) -> None:
    with running_hub(database_url) as first, running_hub(database_url) as second, \
            httpx.Client(base_url=first, timeout=60) as http_a, httpx.Client(base_url=second, timeout=60) as http_b:
        shop = Shop.set_up(hub_db, http_a)
        till, _ = set_up_tills(shop)
        for _round in range(ROUNDS):
            body = {"documents": [of_approval(approval())]}
            answers = at_once(*[lambda http=http: http.post("/v1/documents", json=body, headers=shop.auth(till))
                                for http in (http_a, http_b)])
            assert sorted(a.json()["results"][0]["status"] for a in answers) == ["accepted", "duplicate"]


def test_a_document_the_database_refuses_is_rejected_alone(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    first = give_back(day.sales[0], {day.sales[0].lines[0].line_id: Decimal(1)}, 1)
    second = give_back(day.sales[1], {day.sales[1].lines[0].line_id: Decimal(1)}, 2)
    clash = replace(second, lines=(replace(second.lines[0], line_id=first.lines[0].line_id),))  # one line id twice
    sent = [of_approval(approval()), of_return(first), of_return(clash), of_approval(approval())]
    answer = shop.http.post("/v1/documents", json={"documents": sent}, headers=shop.auth(till))
    results = answer.json()["results"]
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("accepted", None), ("accepted", None), ("rejected", "schema"), ("accepted", None)]
    assert "the hub's database cannot store this document" in results[2]["detail"]
