"""The basket's rules: which scans merge, the line limit, voided lines, states, counts."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from pos.basket import (
    MAX_LINES,
    Basket,
    BasketFull,
    BasketNotOpen,
    BasketState,
    EmptyBasket,
    LineAlreadyVoided,
    LineNotFound,
)
from pos.money import Money
from pos.quantity import QuantityTooLarge
from tests.fakes import APPLES, CREAM, SHAMPOO, VAT_A, VITAMINS


def basket() -> Basket:
    return Basket(currency="UAH", opened_at=datetime(2026, 11, 24, 10, tzinfo=timezone.utc))


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def test_a_new_basket_is_open_and_empty():
    b = basket()
    assert b.state is BasketState.OPEN and b.lines == []
    assert b.total() == uah("0") and b.taxes() == () and b.item_count() == 0
    assert isinstance(b.item_count(), Decimal)
    assert b.basket_id != basket().basket_id


def test_only_a_repeat_of_the_last_line_merges():
    b = basket()
    b.add(SHAMPOO, Decimal(1), "a")
    b.add(SHAMPOO, Decimal(2), "b")
    b.add(CREAM, Decimal(1))
    b.add(SHAMPOO, Decimal(1))
    assert [(l.product.code, l.quantity) for l in b.lines] == [("1001", 3), ("1002", 1), ("1001", 1)]
    assert b.lines[0].scanned_code == "a"  # the merged line keeps its first scan


def test_a_repeat_after_a_void_starts_a_new_line():
    b = basket()
    first = b.add(SHAMPOO, Decimal(1))
    b.void_line(first.line_id)
    second = b.add(SHAMPOO, Decimal(1))
    assert second.line_id != first.line_id and len(b.lines) == 2
    assert b.total() == uah("89.90")


def test_weighed_goods_never_merge():
    b = basket()
    b.add(APPLES, Decimal("0.5"))
    b.add(APPLES, Decimal("0.25"))
    assert [l.quantity for l in b.lines] == [Decimal("0.500"), Decimal("0.250")]
    assert b.item_count() == 2  # two bags of apples, whatever they weigh


def test_a_merge_past_the_limit_is_refused_and_the_line_keeps_its_quantity():
    b = basket()
    b.add(SHAMPOO, Decimal(999))
    with pytest.raises(QuantityTooLarge):
        b.add(SHAMPOO, Decimal(1))
    assert b.lines[0].quantity == 999 and len(b.lines) == 1


def test_a_sale_holds_500_lines_and_not_one_more():
    assert MAX_LINES == 500
    b = basket()
    for n in range(MAX_LINES):
        b.add(SHAMPOO if n % 2 else CREAM, Decimal(1))
    assert len(b.lines) == 500
    with pytest.raises(BasketFull) as caught:
        b.add(VITAMINS, Decimal(1))
    assert caught.value.fields == {"limit": 500} and len(b.lines) == 500
    merged = b.add(SHAMPOO, Decimal(1))  # a repeat of the last line still merges
    assert merged.quantity == 2 and len(b.lines) == 500


def test_voided_lines_stay_but_count_for_nothing():
    b = basket()
    shampoo = b.add(SHAMPOO, Decimal(2))
    b.add(VITAMINS, Decimal(1))
    b.add(APPLES, Decimal("0.350"))
    b.void_line(shampoo.line_id)
    assert len(b.lines) == 3 and b.lines[0].voided
    assert [l.product for l in b.active_lines()] == [VITAMINS, APPLES]
    assert b.total() == uah("131.55")  # 120.00 + 32.99 * 0.35 = 11.5465 -> 11.55
    assert b.item_count() == 2
    assert [(t.vat.code, t.gross) for t in b.taxes()] == [("B", uah("120.00")), ("E", uah("11.55"))]
    with pytest.raises(LineAlreadyVoided):
        b.void_line(shampoo.line_id)


def test_the_item_count_is_pieces_plus_one_per_weighed_line():
    b = basket()
    b.add(SHAMPOO, Decimal(3))
    b.add(APPLES, Decimal("2.5"))
    b.add(CREAM, Decimal(2))
    assert b.item_count() == 6


def test_the_taxes_group_line_totals_by_rate():
    b = basket()
    b.add(SHAMPOO, Decimal(1))
    b.add(CREAM, Decimal(1))
    b.add(VITAMINS, Decimal(1))
    [a, bee] = b.taxes()
    assert (a.vat, a.gross, a.tax, a.net) == (VAT_A, uah("144.40"), uah("24.07"), uah("120.33"))
    assert (bee.gross, bee.tax, bee.net) == (uah("120.00"), uah("7.85"), uah("112.15"))


def test_a_line_total_is_rounded_half_up():
    b = basket()
    line = b.add(APPLES, Decimal("1.250"))  # 32.99 * 1.25 = 41.2375
    assert line.total == uah("41.24")


def test_a_quantity_can_be_changed_to_a_valid_one_only():
    b = basket()
    line = b.add(SHAMPOO, Decimal(1))
    b.add(CREAM, Decimal(1))
    changed = b.set_quantity(line.line_id, Decimal(5))
    assert changed.quantity == 5 and b.lines[0] == changed and b.lines[0].line_id == line.line_id
    with pytest.raises(QuantityTooLarge):
        b.set_quantity(line.line_id, Decimal(1000))
    assert b.lines[0].quantity == 5
    weighed = b.add(APPLES, Decimal("0.5"))
    assert b.set_quantity(weighed.line_id, Decimal("1.234")).quantity == Decimal("1.234")


def test_an_unknown_line_cannot_be_changed_or_voided():
    b = basket()
    b.add(SHAMPOO, Decimal(1))
    with pytest.raises(LineNotFound):
        b.set_quantity(uuid.uuid4(), Decimal(2))
    with pytest.raises(LineNotFound):
        b.void_line(uuid.uuid4())


def test_paying_freezes_the_basket_and_cancelling_reopens_it():
    b = basket()
    line = b.add(SHAMPOO, Decimal(1))
    b.begin_payment()
    assert b.state is BasketState.PAYING
    for change in (lambda: b.add(CREAM, Decimal(1)), lambda: b.void_line(line.line_id),
                   lambda: b.set_quantity(line.line_id, Decimal(2)), b.begin_payment):
        with pytest.raises(BasketNotOpen):
            change()
    assert b.lines == [line]
    b.cancel_payment()
    assert b.state is BasketState.OPEN
    b.cancel_payment()
    assert b.state is BasketState.OPEN


def test_a_completed_basket_stays_completed():
    b = basket()
    b.add(SHAMPOO, Decimal(1))
    b.begin_payment()
    b.mark_completed()
    b.cancel_payment()
    assert b.state is BasketState.COMPLETED
    with pytest.raises(BasketNotOpen):
        b.add(SHAMPOO, Decimal(1))


def test_a_basket_of_only_voided_lines_cannot_be_paid():
    b = basket()
    with pytest.raises(EmptyBasket):
        b.begin_payment()
    line = b.add(SHAMPOO, Decimal(1))
    b.void_line(line.line_id)
    with pytest.raises(EmptyBasket):
        b.begin_payment()
    assert b.state is BasketState.OPEN
