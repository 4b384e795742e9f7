"""A return refunds what the customer paid, not the shelf price: a discounted line gives back
its share of its net (``pos.store_day.returns.line_refund``), partly and wholly, and all the
returns of a 3-for-2 line add up to exactly what was paid for it.  The return receipt shows
the discount's share under the line."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.money import Money, money_sum
from pos.return_layout import ReturnPrintout, layout_return
from pos.store_day.returns import ReturnContext, line_refund, return_from_sale
from pos.store_day.roles import Role, StaffMember
from pos.sale import Cashier
from pos.tender import CashPolicy
from tests.fakes import APPLES, CREAM, SHAMPOO, STORE, VITAMINS
from tests.pos.discounted_sale import THREE_FOR_TWO, discounted_sale

SENIOR = StaffMember(Cashier("s1", "Taras"), Role.SENIOR_CASHIER)
HERE = ReturnContext(STORE.store_id, STORE.till_id, SENIOR, datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc),
                     CashPolicy(Decimal("0.01")))
ENGLISH = replace(STORE, locale="en_US")


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def returns_one_by_one(sale, line, quantities):  # noqa: ANN001, ANN201
    """Each return recorded after the ones before it, as the returns desk does."""
    returned, documents = Decimal(0), []
    for quantity in quantities:
        documents.append(return_from_sale(sale, {line.line_id: Decimal(quantity)}, HERE,
                                          already_returned={line.line_id: returned}, already_refunded={},
                                          hub_confirmed=True))
        returned += Decimal(quantity)
    return documents


def test_one_of_a_3_for_2_line_refunds_a_third_of_what_was_paid_not_the_shelf_price():
    sale = discounted_sale(((SHAMPOO, "3", (THREE_FOR_TWO,)),))
    line = sale.lines[0]
    assert line.total == uah("179.80") and line.gross == uah("269.70")
    (document,) = returns_one_by_one(sale, line, ["1"])
    assert document.total == uah("59.93") and document.lines[0].total == uah("59.93")
    assert document.taxes[0].gross == uah("59.93")  # the VAT given back is on what was paid


def test_the_returns_of_a_3_for_2_line_one_by_one_add_up_to_exactly_what_was_paid():
    sale = discounted_sale(((SHAMPOO, "3", (THREE_FOR_TWO,)),))
    documents = returns_one_by_one(sale, sale.lines[0], ["1", "1", "1"])
    assert [d.total for d in documents] == [uah("59.93"), uah("59.94"), uah("59.93")]
    assert money_sum([d.total for d in documents], "UAH") == sale.total == uah("179.80")


def test_a_whole_return_of_a_line_with_two_discounts_refunds_exactly_its_net():
    sale = discounted_sale()
    cream = sale.lines[1]
    (document,) = returns_one_by_one(sale, cream, ["2"])
    assert document.total == cream.total == uah("93.19") == cream.gross - uah("10.90") - uah("4.91")


def test_a_mix_and_match_3_for_2_refunds_nothing_for_the_free_item_and_the_rest_for_the_others():
    free_cream = ("P-MIX", "Догляд 3 за 2", "54.50")  # the cheapest unit of the group is free
    sale = discounted_sale(((SHAMPOO, "2", ()), (CREAM, "1", (free_cream,))))
    shampoo, cream = sale.lines
    assert cream.total.is_zero()
    back = returns_one_by_one(sale, cream, ["1"]) + returns_one_by_one(sale, shampoo, ["1", "1"])
    assert [d.total for d in back] == [uah("0.00"), uah("89.90"), uah("89.90")]
    assert money_sum([d.total for d in back], "UAH") == sale.total == uah("179.80")


@settings(max_examples=80, deadline=None)
@given(
    quantity=st.integers(1, 40),
    percent_off=st.integers(1, 100),
    cuts=st.lists(st.integers(1, 40), max_size=40),
)
def test_any_partial_returns_of_a_discounted_line_add_up_to_its_net_each_within_a_cent_of_its_share(
        quantity, percent_off, cuts):
    gross = SHAMPOO.price.times(Decimal(quantity))
    off = Money((gross.amount * percent_off / 100).quantize(Decimal("0.01")), "UAH")
    sale = discounted_sale(((SHAMPOO, str(quantity), (("P", "promo", str(off.amount)),)),))
    line = sale.lines[0]
    parts, left = [], quantity
    for cut in cuts:
        if left == 0:
            break
        part = min(cut, left)
        parts.append(part)
        left -= part
    if left:
        parts.append(left)
    refunds, before = [], Decimal(0)
    for part in parts:
        refunds.append(line_refund(line, before, Decimal(part)))
        before += part
        exact = line.total.amount * part / quantity
        assert abs(refunds[-1].amount - exact) <= Decimal("0.01")
    assert money_sum(refunds, "UAH") == line.total


def test_the_return_receipt_shows_a_counted_lines_discount_share_and_adds_up_to_the_refund():
    sale = discounted_sale(((SHAMPOO, "3", (THREE_FOR_TWO,)), (VITAMINS, "1", ()), (APPLES, "0.350",
                                                                                   (("P-FRUIT", "Fruit", "0.35"),))))
    shampoo, vitamins, apples = sale.lines
    document = return_from_sale(sale, {shampoo.line_id: Decimal(1), vitamins.line_id: Decimal(1),
                                       apples.line_id: Decimal("0.350")}, HERE,
                                already_returned={}, already_refunded={}, hub_confirmed=True)
    rows = [row.text for row in layout_return(ReturnPrintout(document, ENGLISH)).rows]
    at = rows.index("Шампунь Herbal 250 мл")
    assert rows[at + 1].split() == ["1", "x", "89.90", "89.90", "A"]
    assert rows[at + 2].split() == ["Discount", "-29.97"]  # 89.90 - 59.93
    assert rows[rows.index("Вітаміни C 500") + 1].split() == ["1", "x", "120.00", "120.00", "B"]
    weighed = rows.index("Яблука Голден")
    assert rows[weighed + 1].split() == ["0.350", "kg", "x", "32.99", "11.20", "E"]  # a weighed line: its refund
    assert "Discount" not in rows[weighed + 2]
    assert document.total == uah("59.93") + uah("120.00") + uah("11.20")
