"""kassa.sale.v4: a sale with gift cards sold or paid with carries them, and only such a sale."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from pos.codec import SALE_SCHEMA_V3, SALE_SCHEMA_V4, sale_from_dict, sale_to_dict
from pos.gift_cards.records import GiftCardPayment, GiftCardSold
from tests.pos.discounted_sale import discounted_sale


def test_a_sale_with_a_gift_card_sold_and_one_paid_with_round_trips_as_v4() -> None:
    sale = discounted_sale()
    payment = sale.payments[0]
    sale = replace(sale, gift_cards_sold=(GiftCardSold(sale.lines[2].line_id, "9900123456789015", "+380501234567"),),
                   gift_card_payments=(GiftCardPayment(payment.payment_id, "9900000000000018", uuid.uuid4()),
                                       ))
    form = sale_to_dict(sale)
    assert form["schema"] == SALE_SCHEMA_V4
    assert sale_from_dict(form) == sale


def test_an_offline_gift_card_payment_keeps_its_manager_and_no_redemption() -> None:
    sale = discounted_sale()
    sale = replace(sale, gift_card_payments=(GiftCardPayment(sale.payments[0].payment_id, "9900000000000018",
                                                             None, "M1"),))
    back = sale_from_dict(sale_to_dict(sale))
    assert back.gift_card_payments[0].offline and back.gift_card_payments[0].approved_by == "M1"


def test_a_sale_without_gift_cards_stays_v3() -> None:
    assert sale_to_dict(discounted_sale())["schema"] == SALE_SCHEMA_V3


def test_a_gift_card_of_a_payment_the_sale_does_not_have_is_refused() -> None:
    sale = replace(discounted_sale(), gift_card_payments=(GiftCardPayment(uuid.uuid4(), "9900000000000018"),))
    with pytest.raises(ValueError, match="gift cards of payments"):
        sale_to_dict(sale)
