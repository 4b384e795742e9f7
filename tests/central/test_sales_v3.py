"""``kassa.sale.v3`` at the hub: a sale whose lines carry the promotions' discounts (the line's
total its net) is stored and read back as received; its arithmetic is the till's (each
discount more than zero in whole cents, a line's total its gross less its discounts and never
below zero, the sale's total, VAT on the nets and payments as before), and each sum that does
not add up is rejected naming its field.  A v1 or v2 sale carries no discounts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from pos.codec import sale_to_dict
from tests.central.shop import Shop
from tests.central.store_day_documents import set_up_tills
from tests.pos.discounted_sale import discounted_sale
from tests.pos.store_day.day import STORE, TILL

Change = Callable[[dict[str, Any]], None]


def v3_document(number: int = 1) -> dict[str, Any]:
    """Shampoo 3 for 2 (269.70 - 89.90), creams -10.90 and -4.91, vitamins, apples -0.35."""
    sale = replace(discounted_sale(receipt_number=number), store_id=STORE, till_id=TILL)
    document = sale_to_dict(sale)
    assert document["schema"] == "kassa.sale.v3" and document["lines"][0]["total"] == "179.80"
    return document


def test_a_v3_sale_is_stored_once_and_another_till_reads_it_back_as_received(shop: Shop) -> None:
    till, other = set_up_tills(shop)
    document = v3_document()
    assert [r["status"] for r in shop.push(till, document)] == ["accepted"]
    assert [r["status"] for r in shop.push(till, document)] == ["duplicate"]
    answer = shop.http.get(f"/v1/sales/{document['sale_id']}", headers=shop.auth(other))
    assert answer.status_code == 200, answer.text
    assert answer.json()["sale"] == document
    assert answer.json()["sale"]["lines"][1]["discounts"] == [
        {"promotion_id": "P-CREAM-10", "name": "Креми -10 %", "amount": "10.90"},
        {"promotion_id": "P-VIP", "name": "VIP -5 %", "amount": "4.91"}]


def line(n: int, **fields: Any) -> Change:
    def change(d: dict[str, Any]) -> None:
        d["lines"][n].update(fields)
    return change


def discount(n: int, k: int, **fields: Any) -> Change:
    def change(d: dict[str, Any]) -> None:
        d["lines"][n]["discounts"][k].update(fields)
    return change


def both(*changes: Change) -> Change:
    def change(d: dict[str, Any]) -> None:
        for c in changes:
            c(d)
    return change


def sale_total(value: str) -> Change:
    return lambda d: d.update(total=value)


@pytest.mark.parametrize(("change", "reason", "says"), [
    (discount(0, 0, amount="89.91"), "totals",
     "lines.0.total: 179.80 is not 3 x 89.90 = 269.70 less its discounts 89.91 = 179.79"),
    (line(0, total="269.70"), "totals", "lines.0.total: 269.70 is not 3 x 89.90 = 269.70 less its discounts 89.90"),
    (discount(0, 0, amount="0.00"), "totals", "lines.0.discounts.0.amount: 0.00 is not more than zero"),
    (discount(1, 1, amount="-4.91"), "totals", "lines.1.discounts.1.amount: -4.91 is not more than zero"),
    (discount(3, 0, amount="0.345"), "totals", "lines.3.discounts.0.amount 0.345 is not a whole number of minor"),
    (line(2, discounts=[{"promotion_id": "P-X", "name": "X", "amount": "130.00"}], total="-10.00"), "totals",
     "lines.2.total: the discounts 130.00 take the line's 120.00 below zero"),
    (line(2, voided=True, discounts=[{"promotion_id": "P-X", "name": "X", "amount": "1.00"}], total="119.00"),
     "totals", "lines.2.discounts: a voided line has no discounts"),
    # the line adds up, the sale's total does not; then the total does, the VAT (on the nets) does not
    (both(discount(0, 0, amount="89.80"), line(0, total="179.90")), "totals",
     "total 404.19 is not the sum of the lines 404.29"),
    (both(discount(0, 0, amount="89.80"), line(0, total="179.90"), sale_total("404.29")), "totals",
     "the VAT breakdown does not match the lines"),
    (discount(0, 0, promotion_id=""), "schema", "lines.0.discounts.0.promotion_id"),
    (line(0, discounts=[{"promotion_id": "P-3FOR2", "amount": "89.90"}]), "schema", "lines.0.discounts.0.name"),
    (line(0, discounts="89.90"), "schema", "lines.0.discounts"),
])
def test_a_v3_sale_whose_discounts_do_not_add_up_is_rejected_naming_the_field(
        shop: Shop, change: Change, reason: str, says: str) -> None:
    till, _ = set_up_tills(shop)
    document = v3_document()
    change(document)
    [result] = shop.push(till, document)
    assert (result["status"], result["reason"]) == ("rejected", reason), result
    assert says in result["detail"], result["detail"]


@pytest.mark.parametrize("schema", ["kassa.sale.v1", "kassa.sale.v2"])
def test_discounts_a_customer_or_promo_codes_on_a_v1_or_v2_sale_are_rejected(shop: Shop, schema: str) -> None:
    till, _ = set_up_tills(shop)
    with_discounts = v3_document(1) | {"schema": schema}
    without = copy.deepcopy(with_discounts)
    for written in without["lines"]:
        del written["discounts"]
    results = shop.push(till, with_discounts, without)
    assert [(r["status"], r.get("reason")) for r in results] == [("rejected", "schema")] * 2
    assert f"lines.0.discounts: a {schema} sale carries no discounts (kassa.sale.v3 does)" in results[0]["detail"]
    assert f"customer_id: a {schema} sale carries none" in results[1]["detail"]
