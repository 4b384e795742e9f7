"""A gift card is money, not goods: the hub refuses a gift promotion whose gift is the gift card
product, naming the field, as it refuses the other definitions it cannot take."""

from __future__ import annotations

from pos.gift_cards.records import GIFT_CARD_CODE
from tests.pos.pricing.test_definition_checks import check, define


def test_a_gift_promotion_giving_the_gift_card_product_is_refused_naming_its_field() -> None:
    problems = check(define("G1", kind="gift", product=GIFT_CARD_CODE, combination="stackable"))
    assert problems == [f"Promotion G1: product is the gift card product “{GIFT_CARD_CODE}”: a gift card is money, "
                        "and no promotion gives it away."]


def test_a_gift_of_goods_is_still_taken() -> None:
    assert check(define("G1", kind="gift", product="GIFT-BAG", combination="stackable")) == []
