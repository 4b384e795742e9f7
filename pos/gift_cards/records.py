"""What a sale records of gift cards: the cards it sold (activated at the hub when the sale
arrives there, with the line's amount as their balance) and the gift card payments it took
(each a hold at the hub captured by the sale, or an offline redemption a manager approved,
debited when the sale arrives)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

GIFT_CARD_CODE = "GIFT-CARD"  # the product code of a gift card line: no promotion covers it, no points
GIFT_CARD = "gift_card"  # the payment method


@dataclass(frozen=True, slots=True)
class GiftCardSold:
    """A gift card sold on the sale's line ``line_id``: a plastic card's number as scanned, or an
    electronic card's number made by the till, bound to ``phone`` (E.164; "" for plastic)."""

    line_id: uuid.UUID
    card_number: str
    phone: str = ""


@dataclass(frozen=True, slots=True)
class GiftCardPayment:
    """A gift card payment of the sale (its ``payment_id`` is one of the sale's payments).
    Online: ``redemption_id`` is the hold the hub approved.  Offline: ``redemption_id`` is
    None and ``approved_by`` is the manager who approved it under the chain's cap."""

    payment_id: uuid.UUID
    card_number: str
    redemption_id: uuid.UUID | None = None
    approved_by: str = ""

    @property
    def offline(self) -> bool:
        return self.redemption_id is None
