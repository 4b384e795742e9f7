"""Selling a gift card at the till (F10, G).  STUB: its owner fills it in.

    sell_gift_card(till, "9900123456789015", "500")        -> TillResult (a plastic card, scanned)
    sell_gift_card(till, "", "500", phone_text="050 123 45 67")  -> an electronic card for that phone

The card is a basket line (product ``GIFT_CARD_CODE``, no VAT, never discounted, no points);
its number and phone are kept with the open sale (``SalePricing.gift_cards_sold``) and
recorded on the sale (``Sale.gift_cards_sold``); the hub activates it when the sale arrives.
"""

from __future__ import annotations

from pos.till import Till, TillResult


def sell_gift_card(till: Till, card_text: str, amount_text: str, phone_text: str = "") -> TillResult:
    raise NotImplementedError
