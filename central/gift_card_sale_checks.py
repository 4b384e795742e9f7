"""The gift cards of a ``kassa.sale.v4`` sale as the hub checks them (central/sale_document.py
rejects the sale ``schema`` with the first problem found):

- each card sold (``gift_cards_sold``) is on a line of the sale whose product is ``GIFT-CARD``,
  one card per line, its number 16 digits starting 9900 with a good Luhn digit and nothing
  between them (``pos.gift_cards.numbers.read_card_number``); its phone (E.164 or "") is
  checked by the document's shape;
- only a GIFT-CARD line may have no VAT rate code ("", 0 %: no VAT on a multi-purpose voucher);
- each gift card payment (``gift_card_payments``) is a ``gift_card`` payment of the sale, once,
  with a good card number; an offline one (no ``redemption_id``) names the manager who
  approved it; every ``gift_card`` payment of the sale has its entry.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from pos.codec import SALE_SCHEMA_V4
from pos.gift_cards.numbers import BadGiftCardNumber, read_card_number
from pos.gift_cards.records import GIFT_CARD, GIFT_CARD_CODE
from pos.sale import Sale


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class GiftCardSoldDocument(_Part):
    """One of a v4 sale's ``gift_cards_sold``, as the document's shape check reads it."""

    line_id: uuid.UUID
    card_number: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    phone: Annotated[str, StringConstraints(pattern=r"^(\+[1-9][0-9]{6,14})?$")]


class GiftCardPaymentDocument(_Part):
    """One of a v4 sale's ``gift_card_payments``."""

    payment_id: uuid.UUID
    card_number: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    redemption_id: uuid.UUID | None
    approved_by: Annotated[str, StringConstraints(max_length=64)]


class _Problem(Exception):
    pass


def gift_card_problem(sale: Sale) -> str | None:
    """What is wrong with a sale's gift cards (see the module's docstring), or None."""
    try:
        _check(sale)
    except _Problem as problem:
        return str(problem)
    return None


def _check(sale: Sale) -> None:
    lines = {line.line_id: (number, line) for number, line in enumerate(sale.lines)}
    sold: set[uuid.UUID] = set()
    for n, card in enumerate(sale.gift_cards_sold):
        where = f"gift_cards_sold.{n}"
        found = lines.get(card.line_id)
        if found is None or found[1].product_code != GIFT_CARD_CODE:
            raise _Problem(f"{where}.line_id: no {GIFT_CARD_CODE} line of the sale has it")
        if card.line_id in sold:
            raise _Problem(f"{where}.line_id: the line sells one card, listed twice")
        sold.add(card.line_id)
        _card_number(f"{where}.card_number", card.card_number)
    for number, line in enumerate(sale.lines):
        if not line.vat.code and line.product_code != GIFT_CARD_CODE:
            raise _Problem(f"lines.{number}.vat.code: only a {GIFT_CARD_CODE} line has no VAT rate code")
    methods = {payment.payment_id: payment.method for payment in sale.payments}
    paid: set[uuid.UUID] = set()
    for n, gift in enumerate(sale.gift_card_payments):
        where = f"gift_card_payments.{n}"
        if methods.get(gift.payment_id) != GIFT_CARD:
            raise _Problem(f"{where}.payment_id: no {GIFT_CARD} payment of the sale has it")
        if gift.payment_id in paid:
            raise _Problem(f"{where}.payment_id: one payment, listed twice")
        paid.add(gift.payment_id)
        _card_number(f"{where}.card_number", gift.card_number)
        if gift.redemption_id is None and not gift.approved_by:
            raise _Problem(f"{where}.approved_by: an offline gift card payment names the manager "
                                        "who approved it")
    for number, payment in enumerate(sale.payments):
        if payment.method == GIFT_CARD and payment.payment_id not in paid:
            raise _Problem(f"payments.{number}: a {GIFT_CARD} payment without its gift_card_payments "
                                        f"entry ({SALE_SCHEMA_V4})")


def _card_number(where: str, text: str) -> None:
    try:
        if read_card_number(text) == text:
            return
    except BadGiftCardNumber as error:
        raise _Problem(f"{where}: {error}") from None
    raise _Problem(f"{where}: a gift card number is its 16 digits, nothing between them")
