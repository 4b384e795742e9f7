"""The reader of the hub's ``GET /v1/sales/{id}`` answer (sync.sale_for_return), fuzzed: whatever
bytes come, it gives the sale that was asked with figures only about that sale's lines and
payments, never negative, in the sale's currency, or refuses (the protocol's models or
``UnusableSale``) - never another exception.  A good answer reads back exactly."""

from __future__ import annotations

import copy
import json
import os
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pos.codec import sale_to_dict
from pos.money import Money
from sync.answers import SaleForReturnAnswer
from sync.sale_for_return import UnusableSale, read_sale_for_return
from tests.fakes import CREAM, SHAMPOO
from tests.pos.store_day.day import CARD_OK, basket_of, paid_sale

EXAMPLES = 2000 if os.environ.get("KASSA_SOAK") else 150
SALE = paid_sale(basket_of([(SHAMPOO, Decimal(2)), (CREAM, Decimal(1))]), card="50")
CARD = next(p for p in SALE.payments if p.method == "card")
GOOD: dict[str, Any] = {
    "sale_id": str(SALE.sale_id),
    "sale": sale_to_dict(SALE, {CARD.payment_id: CARD_OK}),
    "returned": [{"sold_line_id": str(SALE.lines[0].line_id), "quantity": "1", "refunded": "89.90"}],
    "refunded": [{"payment_id": str(CARD.payment_id), "amount": "50.00"},
                 {"payment_id": str(SALE.payments[1].payment_id), "amount": "39.90"}],
}


def read(body: bytes) -> Any:
    return read_sale_for_return(SaleForReturnAnswer.model_validate_json(body), SALE.sale_id)


def test_a_good_answer_reads_back_the_sale_and_its_figures() -> None:
    sale, returned, refunded = read(json.dumps(GOOD).encode())
    assert sale == SALE and returned == {SALE.lines[0].line_id: Decimal(1)}
    assert refunded == {CARD.payment_id: Money.of("50.00", "UAH"),
                        SALE.payments[1].payment_id: Money.of("39.90", "UAH")}


def test_figures_about_lines_or_payments_the_sale_does_not_have_are_left_out() -> None:
    answer = copy.deepcopy(GOOD)
    answer["returned"].append({"sold_line_id": str(uuid.uuid4()), "quantity": "5", "refunded": "1.00"})
    answer["refunded"].append({"payment_id": str(uuid.uuid4()), "amount": "1.00"})
    _sale, returned, refunded = read(json.dumps(answer).encode())
    assert set(returned) == {SALE.lines[0].line_id} and set(refunded) == {p.payment_id for p in SALE.payments}


@pytest.mark.parametrize("change, reason", [
    (("sale_id",), "asked for sale"),
    (("sale", "sale_id"), "the answer holds sale"),
    (("returned", 0, "sold_line_id"), "not a UUID"),
])
def test_an_answer_about_another_sale_or_with_a_bad_id_is_unusable(change: tuple[Any, ...], reason: str) -> None:
    answer = copy.deepcopy(GOOD)
    target = answer
    for key in change[:-1]:
        target = target[key]
    target[change[-1]] = str(uuid.uuid4()) if reason != "not a UUID" else "line-1"
    with pytest.raises(UnusableSale, match=reason):
        read(json.dumps(answer).encode())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["-1", "1e9999", "NaN", "0.000001", str(uuid.uuid4()), "kassa.sale.v2", "9" * 40]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*here, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            found += _paths(inner, (*here, n))
    return found


PATHS = _paths(GOOD)[1:]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), json_values), min_size=1, max_size=3))
@example(changes=[(("returned", 0, "quantity"), "-1")])
@example(changes=[(("refunded", 0, "amount"), "1e9999")])
@example(changes=[(("sale", "currency"), "EUR")])
def test_whatever_the_answer_holds_the_reader_gives_a_consistent_sale_or_refuses(changes: list[Any]) -> None:
    answer = copy.deepcopy(GOOD)
    for path, value in changes:
        target: Any = answer
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change moved this path away
    try:
        sale, returned, refunded = read(json.dumps(answer).encode())
    except (ValidationError, UnusableSale):
        return
    assert sale.sale_id == SALE.sale_id
    assert set(returned) <= {line.line_id for line in sale.lines} and all(q >= 0 for q in returned.values())
    assert set(refunded) <= {p.payment_id for p in sale.payments}
    assert all(m.currency == sale.currency and m.amount >= 0 for m in refunded.values())


@settings(max_examples=EXAMPLES, deadline=None)
@given(body=st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_never_crash(body: bytes) -> None:
    try:
        read(body)
    except (ValidationError, UnusableSale):
        pass
