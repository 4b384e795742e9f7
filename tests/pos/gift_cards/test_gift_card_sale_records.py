"""What a sale with gift cards says afterwards: the receipt names each card by its last four
digits ("Gift card **** 9017", and "for +380 ** *** ** 67" for an electronic one) and so does a
gift card payment, never the whole number; a gift card line earns no loyalty points; and it
is never returned (its money is on the card)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from pos.gift_cards.records import GIFT_CARD, GiftCardPayment
from pos.gift_cards.selling import NO_VAT, gift_card_product, sell_gift_card
from pos.loyalty.earning import with_points
from pos.loyalty.rules import LoyaltyRules
from pos.money import Money
from pos.receipt import build_receipt
from pos.receipt_layout import layout_receipt
from pos.sale import Sale
from pos.store_day.returns import GiftCardNotReturnable, ReturnContext, return_from_sale, return_without_receipt
from pos.store_day.roles import Role, StaffMember
from pos.sale import Cashier
from pos.tender import CashPolicy, Payment
from tests.fakes import SHAMPOO, STORE, MemoryJournal, make_till

PLASTIC = "9900123456789017"
ENGLISH = replace(STORE, locale="en_US")
SENIOR = StaffMember(Cashier("s1", "Taras"), Role.SENIOR_CASHIER)
HERE = ReturnContext(STORE.store_id, STORE.till_id, SENIOR, datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc),
                     CashPolicy(Decimal("0.01")))


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def sale_with_cards() -> Sale:
    """Shampoo, a plastic card of 500 and an electronic card of 250 for +380501234567, paid in cash."""
    till = make_till(MemoryJournal())
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    sell_gift_card(till, PLASTIC, "500")
    sell_gift_card(till, "", "250", phone_text="050 123 45 67")
    sale = till.pay_cash("").sale
    assert sale is not None
    return sale


def paid_with_a_card(sale: Sale) -> Sale:
    """The same sale paid 100.00 by the gift card 9900123456789017 and the rest in cash."""
    cash = sale.payments[0]
    gift = Payment(uuid.uuid4(), GIFT_CARD, uah("100"), uah("100"), uah("0"))
    rest = replace(cash, amount=cash.amount - gift.amount, tendered=cash.tendered - gift.amount)
    return replace(sale, payments=(gift, rest),
                   gift_card_payments=(GiftCardPayment(gift.payment_id, PLASTIC, uuid.uuid4()),))


def test_a_receipt_names_each_card_by_its_last_four_digits_and_an_electronic_one_by_its_phone() -> None:
    sale = sale_with_cards()
    electronic = sale.gift_cards_sold[1].card_number
    text = layout_receipt(build_receipt(sale, ENGLISH)).plain_text()
    assert "Gift card **** 9017" in text
    assert f"Gift card **** {electronic[-4:]}" in text
    assert "for +380 ** *** ** 67" in text
    assert PLASTIC not in text and electronic not in text and "501234567" not in text


def test_a_gift_card_payment_prints_as_its_card() -> None:
    sale = paid_with_a_card(sale_with_cards())
    receipt = build_receipt(sale, ENGLISH)
    assert [p.gift_card for p in receipt.payments] == ["**** 9017", ""]
    rows = layout_receipt(receipt).plain_text().splitlines()
    paid = [row for row in rows if row.startswith("Gift card **** 9017") and row.rstrip().endswith("100.00")]
    assert len(paid) == 1


def test_the_receipt_says_gift_card_in_the_stores_language() -> None:
    text = layout_receipt(build_receipt(paid_with_a_card(sale_with_cards()), STORE)).plain_text()
    assert "Подарункова картка **** 9017" in text
    assert "для +380 ** *** ** 67" in text


def test_a_receipt_of_a_sale_without_gift_cards_is_as_before() -> None:
    till = make_till(MemoryJournal())
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    sale = till.pay_cash("").sale
    assert sale is not None
    receipt = build_receipt(sale, ENGLISH)
    assert [(l.gift_card, l.gift_card_phone) for l in receipt.lines] == [("", "")]
    assert "Gift card" not in layout_receipt(receipt).plain_text()


def test_a_gift_card_line_earns_no_points_the_goods_beside_it_do() -> None:
    sale = replace(sale_with_cards(), customer_id="C-7")
    earned = with_points(sale, LoyaltyRules(earn={"default": Decimal(1)}), "default")
    assert sale.total == uah("839.90")
    assert earned.points_earned == 89  # the shampoo's 89.90, not the cards' 750.00


def only_a_card() -> Sale:
    """A plastic card of 1000 alone, paid in cash."""
    till = make_till(MemoryJournal())
    till.sign_in("1", "1234")
    sell_gift_card(till, PLASTIC, "1000")
    sale = till.pay_cash("").sale
    assert sale is not None
    return sale


def test_a_sale_of_only_a_gift_card_earns_nothing() -> None:
    sale = only_a_card()
    assert with_points(replace(sale, customer_id="C-7"), LoyaltyRules(earn={"default": Decimal(2)}),
                       "default").points_earned == 0


def test_a_gift_card_line_cannot_be_returned_the_goods_beside_it_can() -> None:
    sale = sale_with_cards()
    shampoo, card = sale.lines[0], sale.lines[1]
    with pytest.raises(GiftCardNotReturnable) as refused:
        return_from_sale(sale, {card.line_id: Decimal(1)}, HERE, already_returned={}, already_refunded={},
                         hub_confirmed=True)
    assert "money is on the card" in str(refused.value)
    returned = return_from_sale(sale, {shampoo.line_id: Decimal(1)}, HERE, already_returned={}, already_refunded={},
                                hub_confirmed=True)
    assert returned.total == SHAMPOO.price


def test_a_gift_card_brought_back_without_a_receipt_is_refused_too() -> None:
    manager = StaffMember(Cashier("m1", "Iryna"), Role.MANAGER)
    with pytest.raises(GiftCardNotReturnable):
        return_without_receipt([(gift_card_product(uah("500"), PLASTIC), Decimal(1))], replace(HERE, who=manager),
                               approvals=(), reason="damaged")


def test_a_gift_card_line_carries_no_vat_and_the_vat_summary_lists_only_the_goods() -> None:
    receipt = build_receipt(paid_with_a_card(sale_with_cards()), ENGLISH)
    assert [t.vat.code for t in receipt.taxes] == ["A"]
    assert receipt.taxes[0].gross == uah("89.90")
    text = layout_receipt(receipt).plain_text()
    assert " 0%" not in text
    assert [row for row in text.splitlines() if row.startswith("VAT ")] == [
        "VAT A 20%                     74.92  14.98"]


def test_a_receipt_selling_only_a_gift_card_has_no_vat_summary() -> None:
    receipt = build_receipt(only_a_card(), ENGLISH)
    assert receipt.taxes == ()
    assert "VAT" not in layout_receipt(receipt).plain_text()


def test_goods_without_vat_keep_their_row_beside_a_gift_card() -> None:
    sale = sale_with_cards()
    exempt = replace(sale.lines[0], line_id=uuid.uuid4(), vat=NO_VAT)
    goods_vat = replace(sale.taxes[0], vat=NO_VAT, gross=sale.taxes[0].gross + exempt.total,
                        net=sale.taxes[0].net + exempt.total)
    sale = replace(sale, lines=(*sale.lines, exempt), taxes=(goods_vat, *sale.taxes[1:]))
    receipt = build_receipt(sale, ENGLISH)
    assert [(t.vat.code, t.gross) for t in receipt.taxes] == [("", uah("89.90")), ("A", uah("89.90"))]
