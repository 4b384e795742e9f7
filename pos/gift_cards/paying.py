"""Paying part of the open sale with a gift card (the payment dialog's "Gift card"), on the
till worker like the other tenders of ``pos.store_day.checkout``.  STUB: its owner fills it in.

    find_gift_card(till, service, "9900123456789015" or "050 123 45 67") -> tuple[GiftCardFound, ...]
    send_code(till, service, card_number)                 -> CodeSent (electronic cards)
    pay_gift_card(till, service, log, card_number, "", code="123456") -> CheckoutView ("" = the rest,
                                                             at most the card's balance)
    offline_offer(till)                                   -> OfflineOffer (allowed? the cap)
    pay_gift_card_offline(till, card_number, "100", approval_id=None) -> CheckoutView
                                                             (raises NeedsApproval first: a manager)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pos.gift_cards.service import CodeSent, GiftCardFound, GiftCardService
from pos.money import Money
from pos.store_day.checkout import CheckoutView
from pos.till import Till


@dataclass(frozen=True, slots=True)
class OfflineOffer:
    allowed: bool  # the chain's policy lets a manager approve an offline gift card payment
    cap: Money  # the most one such payment may be


def find_gift_card(till: Till, service: GiftCardService, text: str) -> tuple[GiftCardFound, ...]:
    raise NotImplementedError


def send_code(till: Till, service: GiftCardService, card_number: str) -> CodeSent:
    raise NotImplementedError


def pay_gift_card(till: Till, service: GiftCardService, log: object, card_number: str, amount_text: str,
                  code: str = "") -> CheckoutView:
    raise NotImplementedError


def offline_offer(till: Till) -> OfflineOffer:
    raise NotImplementedError


def pay_gift_card_offline(till: Till, card_number: str, amount_text: str,
                          approval_id: uuid.UUID | None = None) -> CheckoutView:
    raise NotImplementedError
