"""A gift card line is money: no promotion ever discounts it, nor counts it towards a spend,
whatever the scope (the whole assortment, a named scope, with or without exclusions)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

import pytest

from pos.basket import BasketLine
from pos.gift_cards.records import GIFT_CARD_CODE
from pos.gift_cards.selling import gift_card_product
from pos.pricing.engine import price_basket
from pos.pricing.lines import PricingLines
from pos.pricing.priced import PricingContext
from pos.pricing.promotion import (AmountOff, BuyGet, FixedPrice, Gift, PercentOff, PromotionSet, Scope,
                                   SpendThreshold)
from tests.pos.pricing.shop import CURRENCY, eur, line, nets, products, promo

D = Decimal
NOW = PricingContext(now=datetime(2026, 12, 2, 12, 0))


def card(amount: str) -> BasketLine:
    return BasketLine(uuid.uuid4(), gift_card_product(eur(amount), "9900123456789017"), D(1))


def priced(lines, *promotions):
    return price_basket(lines, PromotionSet(tuple(promotions)), NOW, CURRENCY)


SCOPES = [
    ("the whole assortment", Scope()),
    ("the whole assortment but a brand", Scope(exclude_brands=frozenset({"Lux"}))),
    ("the gift card's product code", products(GIFT_CARD_CODE, "soap")),
    ("the gift card's category", Scope(categories=frozenset({"gift-cards", "grocery"}))),
    ("the gift card's empty brand", Scope(brands=frozenset({"", "House"}))),
    ("a category with an exclusion", Scope(categories=frozenset({"gift-cards", "grocery"}),
                                           exclude_products=frozenset({"tea"}))),
]


@pytest.mark.parametrize("scope", [s for _, s in SCOPES], ids=[n for n, _ in SCOPES])
def test_a_percent_on_any_scope_discounts_the_soap_but_never_the_gift_card(scope):
    result = priced([line("soap", "10.00"), card("100.00")], promo("p", PercentOff(D(10)), scope))
    assert nets(result) == ["9.00", "100.00"] and result.lines[1].discounts == ()


@pytest.mark.parametrize("scope", [s for _, s in SCOPES], ids=[n for n, _ in SCOPES])
def test_the_lines_a_scope_covers_never_include_a_gift_card_in_a_big_basket(scope):
    # more lines than the scope names: the scope is answered from the indexes, not line by line
    lines = [card("100.00"), line("soap", "10.00"), line("bread", "1.00"), line("milk", "2.00"), card("50.00")]
    prepared = PricingLines(lines, CURRENCY)
    covered = [prepared.lines[p].product.code for p in prepared.in_scope(scope)]
    assert GIFT_CARD_CODE not in covered and "soap" in covered
    assert covered == [l.product.code for l in prepared.lines if scope.covers(l.product)]


BENEFITS = [
    ("an amount off", AmountOff(eur("5.00")), "5.00"),
    ("a fixed price", FixedPrice(eur("1.00")), "1.00"),
    ("3 for 2", BuyGet(2, 1), "6.67"),  # three soaps for two, the gift card not a third unit of anything
]


@pytest.mark.parametrize(("benefit", "soap"), [r[1:] for r in BENEFITS], ids=[r[0] for r in BENEFITS])
def test_no_kind_of_promotion_on_everything_takes_anything_off_a_gift_card(benefit, soap):
    result = priced([line("soap", "10.00", 3 if isinstance(benefit, BuyGet) else 1), card("100.00")],
                    promo("p", benefit))
    assert result.lines[1].net == eur("100.00") and result.lines[1].discounts == ()
    assert result.lines[0].net != eur("30.00" if isinstance(benefit, BuyGet) else "10.00")


THRESHOLDS = [
    # name, the soap's lines, spend, soap's net: a gift card never brings the spend up to the threshold
    ("a 100.00 gift card with 30.00 of soap is not 100.00 spent", "30.00", "100.00", "30.00"),
    ("nor 50.00 of soap and a card", "50.00", "60.00", "50.00"),
    ("60.00 of soap reaches 60.00 alone", "60.00", "60.00", "54.00"),
]


@pytest.mark.parametrize("scope", [Scope(), Scope(categories=frozenset({"gift-cards", "grocery"}))],
                         ids=["on everything", "on the gift card's category"])
@pytest.mark.parametrize(("soap", "spend", "net"), [r[1:] for r in THRESHOLDS], ids=[r[0] for r in THRESHOLDS])
def test_a_spend_threshold_is_not_reached_by_a_gift_card(soap, spend, net, scope):
    threshold = promo("t", SpendThreshold(eur(spend), percent=D(10)), scope)
    result = priced([line("soap", soap), card("100.00"), card("20.00"), card("30.00")], threshold)
    assert nets(result) == [net, "100.00", "20.00", "30.00"]


def test_a_spend_gift_is_not_earned_by_buying_a_gift_card():
    gift = promo("g", Gift("glass", 1, eur("50.00")))
    result = priced([line("soap", "10.00"), line("glass", "4.00"), card("100.00")], gift)
    assert nets(result) == ["10.00", "4.00", "100.00"] and result.offers == ()


def test_a_gift_naming_the_gift_card_product_never_makes_the_card_free():
    gift = promo("g", Gift(GIFT_CARD_CODE, 1), products("soap"))
    result = priced([line("soap", "10.00"), card("100.00")], gift)
    assert result.lines[1].net == eur("100.00") and result.lines[1].discounts == ()
