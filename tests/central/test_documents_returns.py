"""The hub is the arbiter of returns across tills: what is back of a sale never exceeds what
was sold, whichever till takes it back; GET /v1/sales/{id}/returned says how much is back."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from central.database import HubDatabase
from central.tables import documents
from pos.sale import Sale
from tests.central.shop import Shop
from tests.central.store_day_documents import OTHER_TILL, a_day, give_back, of_return, post, set_up_tills, statuses
from tests.pos.store_day.day import EXAMPLES, STORE


def first_line(sale: Sale) -> uuid.UUID:
    return next(line.line_id for line in sale.lines if not line.voided)


def returned(shop: Shop, till: object, sale_id: object) -> dict[str, tuple[str, str]]:
    answer = shop.http.get(f"/v1/sales/{sale_id}/returned", headers=shop.auth(till))  # type: ignore[arg-type]
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["sale_id"] == str(sale_id)
    return {line["sold_line_id"]: (line["quantity"], line["refunded"]) for line in body["lines"]}


def test_a_second_till_cannot_return_what_the_first_already_took_back(shop: Shop) -> None:
    till, other = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    sale = day.sales[0]  # two shampoos and a cream
    shampoo = first_line(sale)
    assert returned(shop, other, sale.sale_id) == {}
    one = give_back(sale, {shampoo: Decimal(1)}, 1)
    assert statuses(post(shop, till, of_return(one))) == ["accepted"]
    assert returned(shop, other, sale.sale_id) == {str(shampoo): ("1", str(one.total.amount))}
    two = give_back(sale, {shampoo: Decimal(2)}, 1, till=OTHER_TILL)
    result = post(shop, other, of_return(two))[0]
    assert (result["status"], result["reason"]) == ("rejected", "over_return")
    assert "only 1 of 2 sold is left" in result["detail"]
    last = give_back(sale, {shampoo: Decimal(1)}, 1, till=OTHER_TILL)
    assert statuses(post(shop, other, of_return(last))) == ["accepted"]
    assert returned(shop, till, sale.sale_id)[str(shampoo)] == ("2", str((one.total + last.total).amount))


def test_two_returns_in_one_request_are_counted_together(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    sale = day.sales[2]  # three creams
    line = first_line(sale)
    returns = [give_back(sale, {line: Decimal(2)}, n) for n in (1, 2)]
    assert statuses(post(shop, till, *map(of_return, returns))) == ["accepted", "rejected:over_return"]


def test_a_return_of_a_sale_the_hub_does_not_hold_yet_is_accepted_flagged_and_counted_later(
        shop: Shop, hub_db: HubDatabase) -> None:
    till, other = set_up_tills(shop)
    day = a_day()
    sale = day.sales[0]
    early = give_back(sale, {first_line(sale): Decimal(2)}, 1)
    result = post(shop, till, of_return(early))[0]
    assert (result["status"], result["reason"]) == ("accepted", "sale_unknown")
    assert str(sale.sale_id) in result["detail"]
    with hub_db.reading() as conn:
        assert conn.execute(select(documents.c.flag)).scalar_one() == "sale_unknown"
    assert shop.http.get(f"/v1/sales/{sale.sale_id}/returned", headers=shop.auth(other)).status_code == 404
    shop.push(till, *day.sales)
    assert returned(shop, other, sale.sale_id) == {str(first_line(sale)): ("2", str(early.total.amount))}
    more = give_back(sale, {first_line(sale): Decimal(1)}, 1, till=OTHER_TILL)
    assert statuses(post(shop, other, of_return(more))) == ["rejected:over_return"]


def test_a_line_the_sale_does_not_have_is_refused(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    document = give_back(day.sales[0], {first_line(day.sales[0]): Decimal(1)}, 1)
    foreign = replace(document, lines=(replace(document.lines[0], sold_line_id=first_line(day.sales[1])),))
    result = post(shop, till, of_return(foreign))[0]
    assert (result["status"], result["reason"]) == ("rejected", "not_in_sale")


def test_another_stores_sale_is_neither_returned_nor_shown(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    elsewhere = shop.enrol("T9", store_id="S2")
    day = a_day()
    foreign_sales = [replace(s, store_id="S2", till_id="T9") for s in day.sales]
    assert [r["status"] for r in shop.push(elsewhere, *foreign_sales)] == ["accepted"] * 3
    sale = foreign_sales[0]
    assert shop.http.get(f"/v1/sales/{sale.sale_id}/returned", headers=shop.auth(till)).status_code == 404
    document = give_back(replace(sale, store_id=STORE), {first_line(sale): Decimal(1)}, 1)
    result = post(shop, till, of_return(document))[0]
    assert (result["status"], result["reason"]) == ("rejected", "other_store")
    assert returned(shop, elsewhere, sale.sale_id) == {}


def test_the_arbiter_wants_a_till_credential_and_a_sale_id(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    sale_id = uuid.uuid4()
    assert shop.http.get(f"/v1/sales/{sale_id}/returned").status_code == 401
    unknown = shop.http.get(f"/v1/sales/{sale_id}/returned", headers=shop.auth(till))
    assert (unknown.status_code, unknown.json()["error"]) == (404, "not_found")
    assert shop.http.get("/v1/sales/not-a-sale/returned", headers=shop.auth(till)).status_code == 404


PICKS = st.lists(st.tuples(st.booleans(), st.integers(0, 1), st.integers(1, 3)), min_size=1, max_size=8)


def test_random_partial_returns_at_two_tills_never_exceed_what_was_sold(shop: Shop) -> None:
    """A model keeps what is back per line; the hub accepts a return exactly when it fits."""
    tills = set_up_tills(shop)
    numbers = {tills[0]: 0, tills[1]: 0}
    receipts = [0]

    @settings(max_examples=max(10, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(picks=PICKS)
    def run(picks: list[tuple[bool, int, int]]) -> None:
        day = a_day()
        sale = replace(day.sales[0], receipt_number=receipts[0] + 1)  # two shampoos and a cream
        receipts[0] += 1
        assert [r["status"] for r in shop.push(tills[0], sale)] == ["accepted"]
        lines = [line for line in sale.lines if not line.voided]
        back = {line.line_id: Decimal(0) for line in lines}
        for at_other, pick, quantity in picks:
            till = tills[at_other]
            line = lines[pick % len(lines)]
            fits = back[line.line_id] + quantity <= line.quantity
            wanted = min(Decimal(quantity), line.quantity)  # the till itself never asks for more than was sold
            document = give_back(sale, {line.line_id: wanted}, numbers[till] + 1, till=till.till_id)
            status = post(shop, till, of_return(document))[0]
            assert statuses([status]) == (["accepted"] if back[line.line_id] + wanted <= line.quantity
                                          else ["rejected:over_return"]), (picks, fits)
            if status["status"] == "accepted":
                numbers[till] += 1
                back[line.line_id] += wanted
        hub = returned(shop, tills[1], sale.sale_id)
        assert {k: Decimal(q) for k, (q, _) in hub.items()} == {str(k): q for k, q in back.items() if q}
        assert all(back[line.line_id] <= line.quantity for line in lines)

    run()
