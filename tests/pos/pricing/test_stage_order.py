"""The order discounts apply in: stages, then priority, then id; each on the net before it."""

from __future__ import annotations

from decimal import Decimal

from pos.pricing.promotion import AmountOff, BuyGet, FixedPrice, PercentOff, SpendThreshold
from pos.pricing.stages import evaluate, in_order
from tests.pos.pricing.shop import CURRENCY, VAT_10, VAT_20, discounts_of, eur, line, nets, promo

D = Decimal


def test_odoo_case_1000_with_100_off_then_10_percent_then_a_20_percent_threshold_is_648():
    # 1000 - 100 = 900 ; 900 - 10 % (90) = 810 ; 810 >= 500 so 20 % of 810 (162) -> 648
    thousand = line("tv", "1000.00")
    chosen = [promo("threshold", SpendThreshold(eur("500.00"), percent=D(20))),
              promo("ten", PercentOff(D(10))), promo("hundred", AmountOff(eur("100.00")))]
    priced = evaluate([thousand], chosen, (), CURRENCY)
    assert priced.total == eur("648.00")
    assert discounts_of(priced, thousand) == [("hundred", "100.00"), ("ten", "90.00"), ("threshold", "162.00")]


def test_a_deal_price_comes_before_an_amount_which_comes_before_a_percent():
    # fixed 8.00 (from 10.00) ; then 1.00 off -> 7.00 ; then 50 % -> 3.50
    tea = line("tea", "10.00")
    chosen = [promo("half", PercentOff(D(50))), promo("one", AmountOff(eur("1.00"))),
              promo("deal", FixedPrice(eur("8.00")))]
    priced = evaluate([tea], chosen, (), CURRENCY)
    assert discounts_of(priced, tea) == [("deal", "2.00"), ("one", "1.00"), ("half", "3.50")]


def test_a_unit_deal_works_on_the_deal_price():
    # two at 3.00 become 2.00 each (stage 1) ; second at half price halves 2.00 -> 1.00 off ; 4.00 - 1.00 = 3.00
    chosen = [promo("half", BuyGet(1, 1, D(50))), promo("deal", FixedPrice(eur("2.00")))]
    assert nets(evaluate([line("juice", "3.00", 2)], chosen, (), CURRENCY)) == ["3.00"]


def test_within_a_stage_the_lower_priority_applies_first_then_the_lower_id():
    # both stage 4: "z" (priority 0) 10 % of 10.00 = 1.00, then "a" (priority 1) 25 % of 9.00 = 2.25
    tea = line("tea", "10.00")
    chosen = [promo("a", PercentOff(D(25)), priority=1), promo("z", PercentOff(D(10)), priority=0)]
    assert discounts_of(evaluate([tea], chosen, (), CURRENCY), tea) == [("z", "1.00"), ("a", "2.25")]
    same = [promo("b", PercentOff(D(25))), promo("a", PercentOff(D(10)))]
    assert [p.promotion_id for p in in_order(same)] == ["a", "b"]


def test_a_threshold_looks_at_the_nets_after_the_item_discounts():
    # 60.00 at 20 % off = 48.00 < 50.00: the threshold does not apply
    chosen = [promo("t", SpendThreshold(eur("50.00"), amount_off=eur("10.00"))), promo("p", PercentOff(D(20)))]
    assert nets(evaluate([line("coat", "60.00")], chosen, (), CURRENCY)) == ["48.00"]


def test_two_thresholds_both_test_the_spend_after_stages_1_to_4_and_compound():
    # 50.00 reaches both spends of 50.00 ; "a" takes 5.00 (45.00) ; "b" 10 % of 45.00 = 4.50 -> 40.50
    chosen = [promo("a", SpendThreshold(eur("50.00"), amount_off=eur("5.00"))),
              promo("b", SpendThreshold(eur("50.00"), percent=D(10)))]
    assert nets(evaluate([line("coat", "50.00")], chosen, (), CURRENCY)) == ["40.50"]


def test_vat_is_computed_on_the_nets():
    # food 11.00 at 10 % VAT and a toy 12.00 at 20 %, all at 50 % off: nets 5.50 and 6.00
    # VAT B: 5.50 * 10 / 110 = 0.50 ; VAT A: 6.00 * 20 / 120 = 1.00
    lines = [line("food", "11.00", vat=VAT_10), line("toy", "12.00", vat=VAT_20)]
    priced = evaluate(lines, [promo("p", PercentOff(D(50)))], (), CURRENCY)
    assert [(t.vat.code, str(t.gross.amount), str(t.tax.amount)) for t in priced.taxes] == [
        ("A", "6.00", "1.00"), ("B", "5.50", "0.50")]


def test_the_basket_order_of_the_answer_is_the_basket_order_of_the_lines():
    lines = [line("zebra", "1.00"), line("apple", "2.00", voided=True), line("mango", "3.00")]
    priced = evaluate(lines, [promo("p", PercentOff(D(10)))], (), CURRENCY)
    assert [l.line for l in priced.lines] == lines
    assert nets(priced) == ["0.90", "0", "2.70"]
