"""Each kind of benefit on its own, with hand-worked amounts (docs/promotions.md, the table)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos.pricing.priced import GiftOffer
from pos.pricing.promotion import AmountOff, BundlePrice, BuyGet, FixedPrice, Gift, PercentOff, SpendThreshold
from pos.pricing.stages import evaluate
from tests.pos.pricing.shop import CURRENCY, eur, line, nets, products, promo

D = Decimal

ROWS = [
    # name, lines, promotions, the nets expected in the basket's order
    ("percent off each covered line",  # 12.99 * 10 % = 1.299 -> 1.30 ; 12.99 - 1.30 = 11.69
     [line("tea", "12.99")], [promo("p", PercentOff(D(10)))], ["11.69"]),
    ("percent rounds half up per line",  # 0.05 * 10 % = 0.005 -> 0.01 ; 0.05 - 0.01 = 0.04
     [line("gum", "0.05")], [promo("p", PercentOff(D(10)))], ["0.04"]),
    ("a 100 % discount leaves exactly zero",  # 3 * 3.33 = 9.99 ; 100 % of 9.99 = 9.99 -> 0.00
     [line("pen", "3.33", 3)], [promo("p", PercentOff(D(100)))], ["0.00"]),
    ("amount off per unit",  # 3 * (2.50 - 0.40) = 6.30
     [line("jam", "2.50", 3)], [promo("p", AmountOff(eur("0.40")))], ["6.30"]),
    ("amount off never below zero",  # 1.00 - 1.50 -> cut to 1.00 -> 0.00
     [line("gum", "1.00")], [promo("p", AmountOff(eur("1.50")))], ["0.00"]),
    ("amount off per kilogram of weighed goods",  # 0.755 kg * 0.50 = 0.3775 -> 0.38 ; 0.755 * 4.00 = 3.02 - 0.38
     [line("apples", "4.00", "0.755", weighed=True)], [promo("p", AmountOff(eur("0.50")))], ["2.64"]),
    ("fixed price when lower",  # 2 * 1.99 = 3.98 (from 2 * 2.49 = 4.98)
     [line("milk", "2.49", 2)], [promo("p", FixedPrice(eur("1.99")))], ["3.98"]),
    ("fixed price not applied when higher",  # 1.49 < 1.99: the line stays 1.49
     [line("milk", "1.49")], [promo("p", FixedPrice(eur("1.99")))], ["1.49"]),
    ("fixed price per kilogram",  # 1.234 kg * 9.99 = 12.32766 -> 12.33 ; was 1.234 * 12.00 = 14.808 -> 14.81
     [line("cheese", "12.00", "1.234", weighed=True)], [promo("p", FixedPrice(eur("9.99")))], ["12.33"]),
    ("3 for 2 with 3 items gives one free",  # 3 * 1.00 - 1.00
     [line("soap", "1.00", 3)], [promo("p", BuyGet(2, 1))], ["2.00"]),
    ("3 for 2 per group: 6 items give 2 free",  # 6.00 - 2 * 1.00
     [line("soap", "1.00", 6)], [promo("p", BuyGet(2, 1))], ["4.00"]),
    ("3 for 2 per group: 7 items still give 2 free",  # 7.00 - 2 * 1.00 (the 7th is no group)
     [line("soap", "1.00", 7)], [promo("p", BuyGet(2, 1))], ["5.00"]),
    ("second at half price",  # 2 * 5.00 = 10.00 ; half of the cheaper 5.00 = 2.50 -> 7.50
     [line("wine", "5.00", 2)], [promo("p", BuyGet(1, 1, D(50)))], ["7.50"]),
    ("second at half price, a third unit is no group",  # 15.00 - 2.50
     [line("wine", "5.00", 3)], [promo("p", BuyGet(1, 1, D(50)))], ["12.50"]),
    ("mix and match across products: the cheapest is free, spread by the lines' nets",
     # units 4.00, 3.00, 2.00: one group, 2.00 free; spread 2.00 over 4:3:2 (of 9.00)
     # 0.888.. / 0.666.. / 0.444.. -> floors 0.88 / 0.66 / 0.44 = 1.98, remainders .89 .67 .44 -> +1 +1
     # discounts 0.89 / 0.67 / 0.44 ; nets 3.11 / 2.33 / 1.56 (sum 7.00)
     [line("shampoo", "4.00"), line("gel", "3.00"), line("cream", "2.00")],
     [promo("p", BuyGet(2, 1), products("shampoo", "gel", "cream"))], ["3.11", "2.33", "1.56"]),
    ("bundle: any 3 for 5.00, per group",  # 7 units at 2.00: two groups of 6.00 -> 2 * 1.00 off ; 14.00 - 2.00
     [line("yoghurt", "2.00", 7)], [promo("p", BundlePrice(3, eur("5.00")))], ["12.00"]),
    ("bundle across products",  # 3.00 + 2.50 + 1.50 = 7.00 for 5.00 ; 2.00 over 3.00:2.50:1.50 (7.00)
     # 0.857.. / 0.714.. / 0.428.. -> 0.85 / 0.71 / 0.42 = 1.98 ; remainders .71 .43 .86 -> cream, shampoo
     # discounts 0.86 / 0.71 / 0.43 ; nets 2.14 / 1.79 / 1.07
     [line("shampoo", "3.00"), line("gel", "2.50"), line("cream", "1.50")],
     [promo("p", BundlePrice(3, eur("5.00")))], ["2.14", "1.79", "1.07"]),
    ("bundle dearer than the items gives nothing",  # 3 * 1.00 = 3.00 < 5.00
     [line("gum", "1.00", 3)], [promo("p", BundlePrice(3, eur("5.00")))], ["3.00"]),
    ("threshold amount below the threshold",  # 49.99 < 50.00: nothing
     [line("coat", "49.99")], [promo("p", SpendThreshold(eur("50.00"), amount_off=eur("5.00")))], ["49.99"]),
    ("threshold amount at the threshold",  # 30.00 + 20.00 = 50.00 >= 50.00 ; 5.00 split 3.00 / 2.00
     [line("coat", "30.00"), line("hat", "20.00")],
     [promo("p", SpendThreshold(eur("50.00"), amount_off=eur("5.00")))], ["27.00", "18.00"]),
    ("threshold percent at the threshold",  # 10 % of 30.00 and of 20.00
     [line("coat", "30.00"), line("hat", "20.00")],
     [promo("p", SpendThreshold(eur("50.00"), percent=D(10)))], ["27.00", "18.00"]),
    ("threshold percent below the threshold",
     [line("coat", "30.00"), line("hat", "19.99")],
     [promo("p", SpendThreshold(eur("50.00"), percent=D(10)))], ["30.00", "19.99"]),
    ("threshold amount over three equal lines: 4.00 is 1.34 / 1.33 / 1.33",
     [line("a", "10.00"), line("b", "10.00"), line("c", "10.00")],
     [promo("p", SpendThreshold(eur("30.00"), amount_off=eur("4.00")))], ["8.66", "8.67", "8.67"]),
    ("threshold amount larger than the lines leaves zero",  # 3.00 off 2.00 -> 0.00
     [line("a", "2.00")], [promo("p", SpendThreshold(eur("1.00"), amount_off=eur("3.00")))], ["0.00"]),
    ("gift in the basket is free",  # spend 20.00 on wine: 25.00 ; the glass 4.00 is free
     [line("wine", "25.00"), line("glass", "4.00")],
     [promo("p", Gift("glass", 1, eur("20.00")), products("wine"))], ["25.00", "0.00"]),
    ("gift not reached",  # 15.00 < 20.00
     [line("wine", "15.00"), line("glass", "4.00")],
     [promo("p", Gift("glass", 1, eur("20.00")), products("wine"))], ["15.00", "4.00"]),
    ("gift of one unit on a line of three",  # 3 * 4.00 = 12.00 ; one free -> 8.00
     [line("wine", "25.00"), line("glass", "4.00", 3)],
     [promo("p", Gift("glass", 1), products("wine"))], ["25.00", "8.00"]),
    ("the gift never pays for itself",  # all assortment: 17.00 + 4.00, but the free 4.00 does not count
     [line("wine", "17.00"), line("glass", "4.00")],
     [promo("p", Gift("glass", 1, eur("20.00")))], ["17.00", "4.00"]),
]


@pytest.mark.parametrize(("lines", "promotions", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_each_kind_gives_its_hand_worked_nets(lines, promotions, expected):
    priced = evaluate(lines, promotions, (), CURRENCY)
    assert nets(priced) == expected
    assert priced.total == sum((l.net for l in priced.lines), eur("0"))
    assert priced.discount + priced.total == priced.gross


def test_a_gift_not_in_the_basket_is_offered_and_gives_nothing():
    lines = [line("wine", "25.00")]
    priced = evaluate(lines, [promo("p", Gift("glass", 2, eur("20.00")), products("wine"))], (), CURRENCY)
    assert priced.offers == (GiftOffer("p", "Promotion p", "glass", 2),)
    assert priced.discount == eur("0")


def test_a_gift_partly_in_the_basket_is_free_and_the_rest_offered():
    lines = [line("wine", "25.00"), line("glass", "4.00")]
    priced = evaluate(lines, [promo("p", Gift("glass", 2), products("wine"))], (), CURRENCY)
    assert nets(priced) == ["25.00", "0.00"]
    assert priced.offers == (GiftOffer("p", "Promotion p", "glass", 1),)


def test_a_gift_whose_condition_fails_is_not_offered():
    priced = evaluate([line("wine", "5.00")], [promo("p", Gift("glass", 1, eur("20.00")))], (), CURRENCY)
    assert priced.offers == ()


def test_voided_lines_get_nothing_and_count_for_nothing():
    lines = [line("coat", "30.00"), line("hat", "20.00", voided=True)]
    priced = evaluate(lines, [promo("p", SpendThreshold(eur("50.00"), amount_off=eur("5.00"))),
                              promo("q", PercentOff(D(50)))], (), CURRENCY)
    # the threshold sees 15.00 after the 50 % (the hat is voided): no threshold
    assert nets(priced) == ["15.00", "0"]
    assert priced.lines[1].discounts == ()


def test_two_gifts_of_the_same_product_give_two_units_and_offer_the_one_missing():
    # both give a glass (4.00): one glass in the basket is free for "g1", "g2" offers another
    wine, glass = line("wine", "25.00"), line("glass", "4.00")
    chosen = [promo("g1", Gift("glass"), products("wine")), promo("g2", Gift("glass"), products("wine"))]
    priced = evaluate([wine, glass], chosen, (), CURRENCY)
    assert nets(priced) == ["25.00", "0.00"]
    assert priced.offers == (GiftOffer("g2", "Promotion g2", "glass", 1),)
    # with two glasses scanned both are free and nothing is offered
    two = line("glass", "4.00", 2)
    priced = evaluate([wine, two], chosen, (), CURRENCY)
    assert nets(priced) == ["25.00", "0.00"] and priced.offers == ()
