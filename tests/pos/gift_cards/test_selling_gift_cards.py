"""Selling a gift card (F10, G): a plastic card scanned or typed, or an electronic card made for
the customer's phone, is a no-VAT line of its amount at quantity 1; its number and phone stay
with the open sale through a restart and a park, and the sale records them (kassa.sale.v4);
voiding the line drops the card; nothing changes when anything is wrong."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from stdnum import luhn

from pos.codec import SALE_SCHEMA_V4, sale_to_dict
from pos.gift_cards.numbers import BadGiftCardNumber, new_card_number
from pos.gift_cards.records import GIFT_CARD_CODE
from pos.gift_cards.selling import (
    GiftCardAlreadyInSale,
    GiftCardAmountOutOfRange,
    GiftCardKindUnclear,
    GiftCardNeedsCardOrPhone,
    sell_gift_card,
)
from pos.money import BadAmount, Money
from pos.phone import PhoneNumberProblem
from pos.pricing.promotion import CustomerFacts, PercentOff, Promotion, PromotionSet, Scope
from pos.store_day.parking import park, recall
from pos.till import GiftCardLineFixed, ScannedGiftCard, Till, is_scan
from tests.fakes import SHAMPOO, MemoryJournal, make_till
from tests.pos.store_day.test_parking import MemoryParked

PLASTIC = "9900123456789017"  # 16 digits, 9900, a right check digit
OTHER = new_card_number(random.Random(7))


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def a_till(journal: MemoryJournal | None = None) -> Till:
    till = make_till(journal or MemoryJournal())
    till.sign_in("1", "1234")
    return till


def test_a_scanned_plastic_card_is_a_no_vat_line_of_its_amount_and_the_sale_records_its_number() -> None:
    till = a_till()
    till.scan(SHAMPOO.barcode)
    result = sell_gift_card(till, "9900 1234 5678 9017", "500")
    line = result.line
    assert line is not None and line.quantity == 1 and line.scanned_code == PLASTIC
    product = line.product
    assert (product.code, product.name, product.brand, product.category) == (GIFT_CARD_CODE, "Gift card", "",
                                                                              "gift-cards")
    assert product.price == uah("500.00") and product.vat.code == "" and product.vat.percent == 0
    assert [(g.line_id, g.card_number, g.phone) for g in result.view.gift_cards] == [(line.line_id, PLASTIC, "")]
    assert result.view.total == SHAMPOO.price + uah("500")
    sale = till.pay_cash("").sale
    assert sale is not None
    assert [(g.line_id, g.card_number, g.phone) for g in sale.gift_cards_sold] == [(line.line_id, PLASTIC, "")]
    assert sale_to_dict(sale)["schema"] == SALE_SCHEMA_V4
    assert till.gift_cards_sold == () and till.view().gift_cards == ()  # the next sale starts without


def test_an_electronic_card_gets_a_new_valid_number_bound_to_the_phone_in_e164() -> None:
    till = a_till()
    result = sell_gift_card(till, "", "250,50", phone_text="050 123 45 67", rng=random.Random(1))
    (card,) = result.view.gift_cards
    assert card.phone == "+380501234567"
    assert card.card_number.startswith("9900") and len(card.card_number) == 16 and luhn.is_valid(card.card_number)
    assert card.card_number == new_card_number(random.Random(1))
    assert result.line is not None and result.line.product.price == uah("250.50")


def test_two_cards_of_the_same_amount_are_two_lines_not_one_line_of_two() -> None:
    till = a_till()
    sell_gift_card(till, PLASTIC, "100")
    sell_gift_card(till, OTHER, "100")
    assert [(l.scanned_code, l.quantity) for l in till.basket.lines] == [(PLASTIC, 1), (OTHER, 1)]
    assert [g.card_number for g in till.gift_cards_sold] == [PLASTIC, OTHER]


@pytest.mark.parametrize(("amount", "error"), [
    ("0.99", GiftCardAmountOutOfRange), ("0", GiftCardAmountOutOfRange), ("10000.01", GiftCardAmountOutOfRange),
    ("-5", BadAmount), ("five hundred", BadAmount), ("", BadAmount), ("1.005", BadAmount),
])
def test_an_amount_outside_1_to_10000_or_not_an_amount_is_refused_and_nothing_changes(amount: str, error: type) -> None:
    till = a_till()
    with pytest.raises(error):
        sell_gift_card(till, PLASTIC, amount)
    assert till.basket.lines == [] and till.gift_cards_sold == ()


def test_the_bounds_themselves_are_sold() -> None:
    till = a_till()
    sell_gift_card(till, PLASTIC, "1")
    sell_gift_card(till, OTHER, "10 000,00")
    assert [l.product.price for l in till.basket.lines] == [uah("1.00"), uah("10000.00")]


def test_the_same_card_twice_in_one_sale_is_refused_but_after_voiding_it_can_be_sold_again() -> None:
    till = a_till()
    first = sell_gift_card(till, PLASTIC, "100").line
    with pytest.raises(GiftCardAlreadyInSale) as refused:
        sell_gift_card(till, "9900-1234-5678-9017", "200")
    assert "**** **** **** 9017" in str(refused.value) and "1234" not in str(refused.value)
    assert first is not None
    till.void_line(first.line_id)
    assert till.gift_cards_sold == ()
    again = sell_gift_card(till, PLASTIC, "200").line
    assert again is not None and [g.line_id for g in till.gift_cards_sold] == [again.line_id]


def test_a_voided_gift_card_line_sells_no_card() -> None:
    till = a_till()
    till.scan(SHAMPOO.barcode)
    line = sell_gift_card(till, PLASTIC, "100").line
    assert line is not None
    till.void_line(line.line_id)
    sale = till.pay_cash("").sale
    assert sale is not None and sale.gift_cards_sold == () and sale.total == SHAMPOO.price


@pytest.mark.parametrize(("card", "phone", "error"), [
    ("4111111111111111", "", BadGiftCardNumber),
    ("9900123456789015", "", BadGiftCardNumber),
    (PLASTIC, "050 123 45 67", GiftCardKindUnclear),
    ("", "", GiftCardNeedsCardOrPhone),
    ("", "12", PhoneNumberProblem),
])
def test_a_wrong_card_or_phone_is_refused_and_nothing_changes(card: str, phone: str, error: type) -> None:
    till = a_till()
    with pytest.raises(error):
        sell_gift_card(till, card, "100", phone_text=phone)
    assert till.basket.lines == [] and till.gift_cards_sold == ()


def test_a_till_restarted_mid_sale_still_knows_the_cards_and_their_phones() -> None:
    journal = MemoryJournal()
    before = a_till(journal)
    sell_gift_card(before, PLASTIC, "100")
    sell_gift_card(before, "", "300", phone_text="+380 67 765 43 21")
    after = a_till(journal)
    after.start()
    assert after.gift_cards_sold == before.gift_cards_sold
    assert [g.phone for g in after.gift_cards_sold] == ["", "+380677654321"]
    sale = after.pay_cash("").sale
    assert sale is not None and sale.gift_cards_sold == before.gift_cards_sold


def test_a_parked_sale_recalled_keeps_its_cards() -> None:
    journal = MemoryJournal()
    till = a_till(journal)
    parked = MemoryParked(journal)
    sell_gift_card(till, PLASTIC, "100")
    cards = till.gift_cards_sold
    basket_id = till.basket.basket_id
    park(till, parked)
    assert till.gift_cards_sold == ()
    recall(till, parked, basket_id)
    assert till.gift_cards_sold == cards


def test_identifying_the_customer_or_a_promo_code_keeps_the_cards() -> None:
    till = a_till()
    sell_gift_card(till, PLASTIC, "100")
    cards = till.gift_cards_sold
    till.identify_customer(CustomerFacts("C-7"), name="Olena K.")
    till.unlock_promotions(("WINTER5",), frozenset({"P-CODE"}))
    assert till.gift_cards_sold == cards


def test_a_gift_card_line_keeps_its_quantity_and_amount() -> None:
    till = a_till()
    line = sell_gift_card(till, PLASTIC, "100").line
    assert line is not None
    with pytest.raises(GiftCardLineFixed):
        till.change_quantity(line.line_id, "2")
    with pytest.raises(GiftCardLineFixed):
        till.override_price(line.line_id, "50")
    assert till.basket.lines[0].quantity == 1 and till.basket.lines[0].product.price == uah("100")


def test_a_promotion_on_everything_does_not_discount_a_gift_card() -> None:
    till = a_till()
    till._promotion_set = PromotionSet((Promotion("P-ALL", "All -10 %", PercentOff(Decimal(10))),))
    till.scan(SHAMPOO.barcode)
    sell_gift_card(till, PLASTIC, "100")
    priced = till.priced()
    assert [bool(p.discounts) for p in priced.lines] == [True, False]
    assert priced.lines[1].net == uah("100")


@pytest.mark.parametrize("typed", [PLASTIC, "9900 1234 5678 9017", "9900-1234-5678-9017", "9900123456789015"])
def test_a_gift_card_scanned_on_the_sale_screen_says_where_it_is_sold_and_paid_with(typed: str) -> None:
    till = a_till()
    assert is_scan(typed)
    with pytest.raises(ScannedGiftCard) as told:
        till.scan(typed)
    assert "F10, G" in str(told.value) and "payment dialog" in str(told.value)
    assert till.basket.lines == []


def test_a_promotion_on_everything_but_one_product_does_not_discount_a_gift_card() -> None:
    till = a_till()
    till._promotion_set = PromotionSet((Promotion("P-ALL", "All but cream -10 %", PercentOff(Decimal(10)),
                                                  scope=Scope(exclude_products=frozenset({"1002"}))),))
    till.scan(SHAMPOO.barcode)
    sell_gift_card(till, PLASTIC, "100")
    priced = till.priced()
    assert [bool(p.discounts) for p in priced.lines] == [True, False]
    assert priced.lines[1].net == uah("100") and priced.total == uah("100") + priced.lines[0].net
