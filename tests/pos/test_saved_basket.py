"""The open basket saved on disk is a file like any other: whatever numbers a damaged or
edited snapshot holds, the till starts, either with a basket it could have built itself or
with a new one; never decimal.InvalidOperation, Overflow or a negative line."""

from __future__ import annotations

import copy
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.quantity import check_quantity
from tests.fakes import APPLES, SHAMPOO, MemoryJournal, make_till
from tests.pos.typed_inputs import NASTY, typed_numbers

EXAMPLES = 2000 if os.environ.get("KASSA_SOAK") else 150


def saved_basket() -> dict:
    journal = MemoryJournal()
    till = make_till(journal)
    till.start()
    till.sign_in("1", "1234")
    till.scan("3*" + SHAMPOO.barcode)
    till.scan("0,350*" + APPLES.code)
    snapshot = journal.load_basket()
    assert snapshot is not None
    return snapshot


SNAPSHOT = saved_basket()
FIELDS = {
    "quantity": lambda line: line, "price": lambda line: line["product"], "percent": lambda line: line["product"]["vat"],
}


def restart_with(snapshot: dict):  # noqa: ANN201
    journal = MemoryJournal()
    journal.save_basket(snapshot)
    till = make_till(journal)
    return till.start()


IMPOSSIBLE = [(field, value) for field in sorted(FIELDS) for value in ["abc", "1e999999", "NaN", "-5", "9" * 40]]
IMPOSSIBLE += [("quantity", "0"), ("quantity", "1e-999999"), ("quantity", "1.5"), ("price", "1.001")]


@pytest.mark.parametrize("field,value", IMPOSSIBLE)
def test_a_saved_basket_with_an_impossible_number_is_set_aside_and_the_till_starts(field, value):
    snapshot = copy.deepcopy(SNAPSHOT)
    FIELDS[field](snapshot["lines"][0])[field] = value
    view = restart_with(snapshot).view
    assert view.lines == () and view.total.is_zero()


def test_a_saved_basket_in_another_currency_is_set_aside():
    assert restart_with({**copy.deepcopy(SNAPSHOT), "currency": "GEL"}).view.lines == ()


def test_an_intact_saved_basket_is_reopened():
    view = restart_with(copy.deepcopy(SNAPSHOT)).view
    assert [str(line.quantity) for line in view.lines] == ["3", "0.350"]


@settings(max_examples=EXAMPLES, deadline=None)
@given(line=st.integers(0, 1), field=st.sampled_from(sorted(FIELDS)), value=typed_numbers | st.sampled_from(NASTY))
def test_whatever_number_a_saved_basket_holds_the_till_starts_consistent(line, field, value):
    snapshot = copy.deepcopy(SNAPSHOT)
    FIELDS[field](snapshot["lines"][line])[field] = value
    view = restart_with(snapshot).view
    for restored in view.lines:
        check_quantity(restored.quantity, sold_by_weight=restored.product.sold_by_weight, name="")
        assert restored.product.price.minor_units() >= 0
    assert view.total.minor_units() >= 0
