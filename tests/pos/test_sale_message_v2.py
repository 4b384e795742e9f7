"""``kassa.sale.v2``: a sale's message with the card approval of each card payment.  A sale
without approvals stays ``kassa.sale.v1`` (old hubs keep reading cash sales); a v2 message
is the v1 message plus ``card`` on every payment, and reads back to the same sale and the
same approvals."""

from __future__ import annotations

import copy
import uuid
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.codec import SALE_SCHEMA, SALE_SCHEMA_V2, sale_cards_from_dict, sale_from_dict, sale_to_dict
from pos.store_day.tenders import CardApproval, CardDataRefused
from pos.tender import Payment
from tests.pos.test_codec_forms import SALE_DICT, the_sale, uah

CARD_ID = uuid.UUID(int=0x64)
APPROVAL = CardApproval("A1B2C3", "**** 1234", "EMU-0001")


def split_sale():
    """The codec test's sale paid 20.00 by card and the rest in cash."""
    sale = the_sale()
    cash = replace(sale.payments[0], amount=uah("8.40"), tendered=uah("10.00"), change=uah("1.60"))
    card = Payment(CARD_ID, "card", uah("20.00"), uah("20.00"), uah("0.00"))
    return replace(sale, payments=(card, cash))


def test_a_sale_with_a_card_approval_is_v2_with_the_card_on_its_payment_and_null_on_the_others():
    form = sale_to_dict(split_sale(), {CARD_ID: APPROVAL})
    expected = copy.deepcopy(SALE_DICT)
    expected["schema"] = "kassa.sale.v2"
    expected["payments"] = [
        {"payment_id": str(CARD_ID), "method": "card", "amount": "20.00", "tendered": "20.00", "change": "0.00",
         "card": {"approval_code": "A1B2C3", "masked_reference": "**** 1234", "terminal_reference": "EMU-0001"}},
        {"payment_id": "00000000-0000-0000-0000-000000000063", "method": "cash", "amount": "8.40",
         "tendered": "10.00", "change": "1.60", "card": None},
    ]
    assert SALE_SCHEMA_V2 == "kassa.sale.v2" and form == expected
    assert sale_from_dict(form) == split_sale() and sale_cards_from_dict(form) == {CARD_ID: APPROVAL}


def test_a_sale_without_card_approvals_stays_v1_exactly_as_before():
    assert sale_to_dict(split_sale(), {})["schema"] == SALE_SCHEMA
    assert sale_to_dict(the_sale()) == SALE_DICT and sale_cards_from_dict(SALE_DICT) == {}


def test_an_approval_of_a_payment_the_sale_does_not_have_is_refused():
    with pytest.raises(ValueError, match="card approvals of payments the sale does not have"):
        sale_to_dict(split_sale(), {uuid.UUID(int=5): APPROVAL})


@pytest.mark.parametrize("field, value", [("masked_reference", "4111 1111 1111 1111"),
                                          ("terminal_reference", "4111-1111-1111-1111"),
                                          ("masked_reference", "**** 41111111")])
def test_a_v2_message_holding_a_card_number_does_not_read(field, value):
    form = sale_to_dict(split_sale(), {CARD_ID: APPROVAL})
    form["payments"][0]["card"][field] = value
    with pytest.raises(CardDataRefused):
        sale_cards_from_dict(form)


codes = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=12)
approvals = st.builds(CardApproval, codes, st.from_regex(r"\*{4} [0-9]{4}", fullmatch=True),
                      st.sampled_from(["", "manual", "EMU-0001", "T 42:a.b"]))


@settings(max_examples=50, deadline=None)
@given(card=st.none() | approvals, cash_card=st.none() | approvals)
def test_any_approvals_read_back_as_written(card, cash_card):
    cards = {k: v for k, v in ((CARD_ID, card), (split_sale().payments[1].payment_id, cash_card)) if v is not None}
    form = sale_to_dict(split_sale(), cards)
    assert form["schema"] == (SALE_SCHEMA_V2 if cards else SALE_SCHEMA)
    assert sale_from_dict(form) == split_sale() and sale_cards_from_dict(form) == cards
