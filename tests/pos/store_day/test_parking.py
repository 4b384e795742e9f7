"""Parking a sale and recalling it (pos.store_day.parking) on the till of tests.fakes, with an
in-memory parked store that keeps the port's promise: parking writes the parked basket and
removes the open basket's snapshot together, recalling does the reverse together.  (The
SQLite store is tested on a real file in tests/local_db/test_parked_sales.py.)"""

from __future__ import annotations

import copy
import os
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.basket import EmptyBasket
from pos.errors import StorageProblem
from pos.store_day.parking import ParkedSale, ParkedSaleGone, ParkedSaleUnreadable, park, recall
from pos.till import BasketNotEmpty, Till
from tests.fakes import CREAM, SHAMPOO, VITAMINS, MemoryJournal, make_till

EXAMPLES = 300 if os.environ.get("KASSA_SOAK") else 25


class MemoryParked:
    def __init__(self, journal: MemoryJournal) -> None:
        self.journal = journal
        self.rows: dict[uuid.UUID, tuple[ParkedSale, dict[str, Any]]] = {}

    def park(self, parked: ParkedSale, snapshot: dict[str, Any]) -> None:
        if parked.basket_id in self.rows:
            raise StorageProblem(reason="parked twice")
        self.rows[parked.basket_id] = (parked, copy.deepcopy(snapshot))
        self.journal.basket = None

    def parked(self) -> list[ParkedSale]:
        return sorted((row[0] for row in self.rows.values()), key=lambda p: (p.parked_at, str(p.basket_id)))

    def snapshot(self, basket_id: uuid.UUID) -> dict[str, Any] | None:
        row = self.rows.get(basket_id)
        return None if row is None else copy.deepcopy(row[1])

    def recall(self, basket_id: uuid.UUID, open_snapshot: dict[str, Any]) -> None:
        if self.rows.pop(basket_id, None) is None:
            raise ParkedSaleGone()
        self.journal.basket = open_snapshot


def signed_in_till() -> tuple[Till, MemoryJournal, MemoryParked]:
    journal = MemoryJournal()
    till = make_till(journal)
    till.sign_in("1", "1234")
    return till, journal, MemoryParked(journal)


def lines_of(till: Till) -> list[tuple[str, Decimal, bool]]:
    return [(line.product.code, line.quantity, line.voided) for line in till.basket.lines]


def test_a_parked_sale_leaves_the_till_empty_and_comes_back_whole():
    till, journal, store = signed_in_till()
    till.scan(SHAMPOO.barcode)
    till.scan(f"3*{CREAM.barcode}")
    till.void_line(till.basket.lines[0].line_id)
    before, basket_id, total = lines_of(till), till.basket.basket_id, till.basket.total()

    result = park(till, store)

    assert result.view.lines == () and result.basket_changed
    assert journal.basket is None  # the open basket's snapshot went with the parking
    [parked] = store.parked()
    assert (parked.basket_id, parked.cashier_name, parked.item_count, parked.total) == (basket_id, "Olena", 3, total)

    recalled = recall(till, store, basket_id)
    assert recalled.view.basket_id == basket_id and lines_of(till) == before
    assert store.parked() == [] and journal.basket is not None and journal.basket["basket_id"] == str(basket_id)
    till.pay_cash("")  # and it can be sold
    assert len(journal.sales) == 1


def test_an_empty_sale_is_not_parked():
    till, _journal, store = signed_in_till()
    till.scan(SHAMPOO.barcode)
    till.void_line(till.basket.lines[0].line_id)
    with pytest.raises(EmptyBasket):
        park(till, store)
    assert store.parked() == [] and len(till.basket.lines) == 1


def test_a_sale_is_not_recalled_over_an_open_one_and_stays_parked():
    till, _journal, store = signed_in_till()
    till.scan(SHAMPOO.barcode)
    park(till, store)
    till.scan(VITAMINS.barcode)
    [parked] = store.parked()
    with pytest.raises(BasketNotEmpty):
        recall(till, store, parked.basket_id)
    assert store.parked() == [parked] and lines_of(till) == [(VITAMINS.code, 1, False)]


def test_a_parked_sale_is_recalled_once_only():
    till, _journal, store = signed_in_till()
    till.scan(SHAMPOO.barcode)
    park(till, store)
    basket_id = store.parked()[0].basket_id
    recall(till, store, basket_id)
    till.pay_cash("")
    with pytest.raises(ParkedSaleGone):
        recall(till, store, basket_id)


def test_a_parked_sale_that_cannot_be_read_stays_parked_and_is_named():
    till, _journal, store = signed_in_till()
    till.scan(SHAMPOO.barcode)
    park(till, store)
    [parked] = store.parked()
    store.rows[parked.basket_id][1]["lines"] = "not lines"
    with pytest.raises(ParkedSaleUnreadable) as refused:
        recall(till, store, parked.basket_id)
    assert refused.value.fields["basket"] == str(parked.basket_id)[:8]
    assert store.parked() == [parked] and till.basket.lines == []


def test_a_recall_the_till_cannot_save_goes_back_to_the_parked_sales():
    till, journal, store = signed_in_till()
    till.scan(SHAMPOO.barcode)
    park(till, store)
    [parked] = store.parked()

    def disk_full(_snapshot: dict[str, Any]) -> None:
        raise StorageProblem(reason="disk full")

    journal.save_basket = disk_full  # type: ignore[method-assign]
    with pytest.raises(StorageProblem):
        recall(till, store, parked.basket_id)
    assert [p.basket_id for p in store.parked()] == [parked.basket_id] and till.basket.lines == []


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["scan", "park", "recall"]), st.integers(0, 5)), max_size=25))
def test_parking_and_recalling_never_loses_or_doubles_a_sale(steps):
    """Every basket that ever had lines is, at every moment, in exactly one place: open on the
    till or parked, with the lines it had when it left the till."""
    till, _journal, store = signed_in_till()
    products = (SHAMPOO, CREAM, VITAMINS)
    kept: dict[uuid.UUID, list[tuple[str, Decimal, bool]]] = {}
    for step, n in steps:
        if step == "scan":
            till.scan(products[n % 3].barcode)
        elif step == "park" and till.basket.active_lines():
            kept[till.basket.basket_id] = lines_of(till)
            park(till, store)
        elif step == "recall" and store.parked() and not till.basket.active_lines():
            chosen = store.parked()[n % len(store.parked())].basket_id
            recall(till, store, chosen)
            assert lines_of(till) == kept.pop(chosen)
        parked_ids = [p.basket_id for p in store.parked()]
        assert sorted(parked_ids, key=str) == sorted(kept, key=str)
        assert till.basket.basket_id not in parked_ids


def _damaged(draw: st.DrawFn, snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with one field of it (or of its first line or product) replaced by junk."""
    junk = st.one_of(st.none(), st.integers(), st.text(max_size=8), st.sampled_from(["-1", "1e30", "NaN", "0.0001"]),
                     st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
    damaged = copy.deepcopy(snapshot)
    line = damaged["lines"][0]
    target = draw(st.sampled_from([damaged, line, line["product"]]))
    target[draw(st.sampled_from(sorted(target)))] = draw(junk)
    return damaged


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(st.data())
def test_a_damaged_parked_sale_is_refused_by_name_or_recalled_whole_never_half(data):
    till, _journal, store = signed_in_till()
    till.scan(f"2*{SHAMPOO.barcode}")
    park(till, store)
    [parked] = store.parked()
    store.rows[parked.basket_id] = (parked, _damaged(data.draw, store.rows[parked.basket_id][1]))
    try:
        recall(till, store, parked.basket_id)
    except ParkedSaleUnreadable:
        assert store.parked() == [parked] and till.basket.lines == []
    else:
        assert store.parked() == [] and till.basket.basket_id == parked.basket_id
        till.basket.total().minor_units()  # whatever was recalled can be totalled and paid


def test_the_recall_list_shows_what_the_customer_would_pay_with_the_promotions_taken_off():
    from tests.pos.test_sale_pricing_kept import a_sale_with_everything

    journal = MemoryJournal()
    till = a_sale_with_everything(journal)
    priced = till.priced()
    assert priced.discount.amount > 0
    store = MemoryParked(journal)
    park(till, store)
    [parked] = store.parked()
    assert parked.total == priced.total != priced.total + priced.discount
