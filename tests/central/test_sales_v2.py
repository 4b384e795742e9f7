"""``kassa.sale.v2`` at the hub: a sale whose card payments carry their approvals is checked
with the till's own codec, stored once with its approvals, and anything that looks like a
card number in a payment (v1 or v2, in any field) is rejected and never stored.  And
``GET /v1/sales/{id}``: a sale of the till's store with what is already back of it."""

from __future__ import annotations

import itertools
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from central.card_approvals import sale_card_approvals
from central.stores import TillIdentity
from central.tables import sales
from pos.codec import sale_to_dict
from pos.payment_terminal import CARD_NUMBER
from pos.sale import Sale
from pos.store_day.tenders import CardApproval
from tests.central.shop import Shop
from tests.central.store_day_documents import give_back, of_return, post, set_up_tills, statuses
from tests.fakes import CREAM, SHAMPOO
from tests.pos.store_day.day import CARD_OK, EXAMPLES, OTHER_TILL, STORE, TILL, basket_of, paid_sale

CARD_NUMBERS = ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "card 5500000000000004 ok"]


def card_sale(number: int = 1, till: str = TILL) -> tuple[Sale, dict[uuid.UUID, CardApproval]]:
    sale = paid_sale(basket_of([(SHAMPOO, Decimal(2)), (CREAM, Decimal(1))]), card="50", till=till, number=number)
    card = next(p for p in sale.payments if p.method == "card")
    return sale, {card.payment_id: CARD_OK}


def stored(shop: Shop) -> tuple[int, list[tuple[str, str, str, str]]]:
    with shop.db.reading() as conn:
        count = conn.execute(select(func.count()).select_from(sales)).scalar_one()
        rows = conn.execute(select(sale_card_approvals.c.payment_id, sale_card_approvals.c.sale_id,
                                   sale_card_approvals.c.approval_code, sale_card_approvals.c.masked_reference)).all()
    return count, [tuple(r) for r in rows]


def test_a_v2_sale_is_stored_once_with_its_card_approval_and_a_v1_sale_beside_it(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    sale, cards = card_sale(1)
    cash_sale = paid_sale(basket_of([(CREAM, Decimal(1))]), number=2)
    v2, v1 = sale_to_dict(sale, cards), sale_to_dict(cash_sale)
    assert (v2["schema"], v1["schema"]) == ("kassa.sale.v2", "kassa.sale.v1")
    assert [r["status"] for r in shop.push(till, v2, v1)] == ["accepted", "accepted"]
    assert [r["status"] for r in shop.push(till, v2)] == ["duplicate"]
    [payment_id] = cards
    assert stored(shop) == (2, [(str(payment_id), str(sale.sale_id), "A1B2C3", "**** **** **** 4242")])


@pytest.mark.parametrize("where", ["masked_reference", "terminal_reference", "approval_code", "unknown_field",
                                   "v1_unknown_field", "nested"])
def test_anything_like_a_card_number_in_a_payment_is_rejected_and_never_stored(shop: Shop, where: str) -> None:
    till, _ = set_up_tills(shop)
    sale, cards = card_sale()
    for number in CARD_NUMBERS:
        document = sale_to_dict(sale, cards)
        payment = document["payments"][0]
        if where == "unknown_field":
            payment["pan"] = number
        elif where == "v1_unknown_field":
            document = sale_to_dict(sale)
            document["payments"][0]["note"] = number
        elif where == "nested":
            payment["card"]["extra"] = {"track": [number]}
        else:
            payment["card"][where] = number
        [result] = shop.push(till, document)
        assert (result["status"], result["reason"]) == ("rejected", "card_data"), result
        assert "looks like a card number" in result["detail"]
        assert not CARD_NUMBER.search(result["detail"]) and "1111" not in result["detail"]
    assert stored(shop) == (0, [])


def test_a_card_approval_on_a_cash_payment_or_one_that_does_not_read_is_rejected(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    sale, cards = card_sale()
    on_cash = sale_to_dict(sale, cards)
    cash = next(p for p in on_cash["payments"] if p["method"] == "cash")
    cash["card"] = {"approval_code": "X1", "masked_reference": "", "terminal_reference": "manual"}
    bad_code = sale_to_dict(sale, cards)
    bad_code["payments"][0]["card"]["approval_code"] = "no spaces!"
    missing = sale_to_dict(sale, cards)
    del missing["payments"][0]["card"]["terminal_reference"]
    results = shop.push(till, on_cash, bad_code, missing)
    assert [(r["status"], r["reason"]) for r in results] == [("rejected", "schema")] * 3
    assert "a cash payment has no card approval" in results[0]["detail"]
    assert stored(shop) == (0, [])


codes = st.text(min_size=0, max_size=14)
receipt_numbers = itertools.count(1)


@settings(max_examples=min(EXAMPLES, 30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(approval_code=codes, masked=codes, terminal=codes)
def test_whatever_a_card_approval_holds_the_hub_answers_and_stores_no_card_number(
        shop: Shop, approval_code: str, masked: str, terminal: str) -> None:
    if f"{STORE}/{TILL}" not in shop.tills:
        set_up_tills(shop)
    number = next(receipt_numbers)
    sale = paid_sale(basket_of([(CREAM, Decimal(1))]), card="10", number=number)
    document = sale_to_dict(sale, {next(p for p in sale.payments if p.method == "card").payment_id: CARD_OK})
    document["payments"][0]["card"] = {"approval_code": approval_code, "masked_reference": masked,
                                       "terminal_reference": terminal}
    [result] = shop.push(TillIdentity(STORE, TILL), document)
    assert result["status"] in ("accepted", "rejected") and result.get("reason") != "seq_conflict"
    with shop.db.reading() as conn:
        kept = conn.execute(select(sales.c.payload)).scalars().all()
        approvals = conn.execute(select(sale_card_approvals.c.approval_code, sale_card_approvals.c.masked_reference,
                                        sale_card_approvals.c.terminal_reference)).all()
    cards = [payment.get("card") for p in kept for payment in json.loads(p)["payments"]]
    assert not any(CARD_NUMBER.search(json.dumps(card, ensure_ascii=False)) for card in cards)
    # each text the till sent, on its own (ids and amounts side by side are not a card number)
    assert not any(CARD_NUMBER.search(text) for row in approvals for text in row)


# -- GET /v1/sales/{id} ---------------------------------------------------------------------------------------
def get_sale(shop: Shop, till: Any, sale_id: object) -> Any:
    return shop.http.get(f"/v1/sales/{sale_id}", headers=shop.auth(till))


def test_another_till_of_the_store_gets_the_sale_with_its_approvals_and_what_is_back_of_it(shop: Shop) -> None:
    till, other = set_up_tills(shop)
    sale, cards = card_sale()
    shop.push(till, sale_to_dict(sale, cards))
    answer = get_sale(shop, other, sale.sale_id)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"sale_id": str(sale.sale_id), "sale": sale_to_dict(sale, cards), "returned": [],
                             "refunded": []}
    shampoo = sale.lines[0].line_id
    returned = give_back(sale, {shampoo: Decimal(1)}, 1)
    assert statuses(post(shop, till, of_return(returned))) == ["accepted"]
    body = get_sale(shop, other, sale.sale_id).json()
    assert body["returned"] == [{"sold_line_id": str(shampoo), "quantity": "1",
                                 "refunded": str(returned.total.amount)}]
    expected: dict[str, Decimal] = {}
    for refund in returned.refunds:
        key = str(refund.original_payment_id)
        expected[key] = expected.get(key, Decimal(0)) + refund.payment.amount.amount
    assert {r["payment_id"]: Decimal(r["amount"]) for r in body["refunded"]} == expected and expected


def test_a_sale_of_another_store_or_one_the_hub_does_not_hold_is_404_saying_which(shop: Shop) -> None:
    till, _ = set_up_tills(shop)
    stranger = shop.enrol("T9", store_id="S-OTHER")
    sale, cards = card_sale()
    shop.push(till, sale_to_dict(sale, cards))
    answer = get_sale(shop, stranger, sale.sale_id)
    assert answer.status_code == 404 and answer.json()["error"] == "sale_of_another_store"
    assert "another store" in answer.json()["detail"] and "A1B2C3" not in answer.text
    for unknown in (uuid.uuid4(), "not-a-sale", "batch"):
        answer = get_sale(shop, till, unknown)
        assert (answer.status_code, answer.json()["error"]) == (404, "sale_not_found"), answer.text
    assert shop.http.get(f"/v1/sales/{sale.sale_id}").status_code == 401


@settings(max_examples=min(EXAMPLES, 25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sends=st.lists(st.tuples(st.integers(0, 2), st.booleans()), min_size=1, max_size=8))
def test_any_order_of_v1_and_v2_sends_keeps_one_sale_each_and_the_approvals_of_the_first_stored(
        shop: Shop, sends: list[tuple[int, bool]]) -> None:
    """Three card sales sent in any order, any number of times, each as v1 or v2: one sale per
    sale_id, and its approval stored exactly when its first accepted send was v2."""
    if f"{STORE}/{TILL}" not in shop.tills:
        set_up_tills(shop)
    made = [card_sale(next(receipt_numbers)) for _ in range(3)]
    first_as_v2: dict[str, bool] = {}
    for which, as_v2 in sends:
        sale, cards = made[which]
        [result] = shop.push(TillIdentity(STORE, TILL), sale_to_dict(sale, cards if as_v2 else None))
        assert result["status"] == ("duplicate" if str(sale.sale_id) in first_as_v2 else "accepted"), result
        first_as_v2.setdefault(str(sale.sale_id), as_v2)
    with shop.db.reading() as conn:
        kept = conn.execute(select(sales.c.sale_id).where(sales.c.sale_id.in_(list(first_as_v2)))).scalars().all()
        approved = conn.execute(select(sale_card_approvals.c.sale_id)
                                .where(sale_card_approvals.c.sale_id.in_(list(first_as_v2)))).scalars().all()
    assert sorted(kept) == sorted(first_as_v2)
    assert sorted(approved) == sorted(sale_id for sale_id, v2 in first_as_v2.items() if v2)
