"""Selling a gift card at the till (F10, G), on the till worker like every ``Till`` call.

    sell_gift_card(till, "9900 1234 5678 9015", "500")          -> TillResult (a plastic card, scanned or typed)
    sell_gift_card(till, "", "500", phone_text="050 123 45 67") -> an electronic card for that phone

The rules:
- the card is a basket line: product ``GIFT_CARD_CODE`` named "Gift card" (translated where it
  is shown), no brand, category "gift-cards", no VAT (a multi-purpose voucher: VAT rate code ""
  at 0 %), price = the amount, quantity 1, its scanned code the card's number.  No promotion
  covers it (``pos.pricing.promotion.Scope.covers``), it earns no points, it is never returned;
- the amount is typed like cash (``pos.money.parse_amount``) and is 1.00 to 10,000.00;
- a plastic card's number must be one of the chain's (``pos.gift_cards.numbers.read_card_number``:
  16 digits, 9900, Luhn); an electronic card needs the customer's phone (``pos.phone``, read in
  the store's country) and gets a new random number;
- the same card twice in one sale is refused;
- the number and phone are kept with the open sale (``Till.gift_cards_sold``, in its snapshot
  and a parked sale's) and recorded on the sale (``Sale.gift_cards_sold``); the hub activates the
  card when the sale arrives.  Voiding the line drops its card.
"""

from __future__ import annotations

import logging
import random
import uuid
from decimal import Decimal

from pos.catalog import Product, VatRate
from pos.errors import PosError
from pos.gift_cards.numbers import masked, new_card_number, read_card_number
from pos.gift_cards.records import GIFT_CARD_CODE, GiftCardSold
from pos.i18n import N_
from pos.money import Money, parse_amount
from pos.phone import normalise_phone
from pos.till import Till, TillResult

log = logging.getLogger(__name__)

GIFT_CARD_NAME = N_("Gift card")  # the line's product name; the screen and the receipt translate it
GIFT_CARD_CATEGORY = "gift-cards"
NO_VAT = VatRate("", Decimal(0))
LEAST = Decimal("1.00")
MOST = Decimal("10000.00")


class GiftCardAmountOutOfRange(PosError):
    message = N_("A gift card holds from {least} to {most}.")


class GiftCardAlreadyInSale(PosError):
    message = N_("Gift card {card} is already in this sale.")


class GiftCardKindUnclear(PosError):
    message = N_("Scan a plastic gift card, or type the customer's phone for an electronic one: not both.")


class GiftCardNeedsCardOrPhone(PosError):
    message = N_("Scan the plastic gift card, or type the customer's phone for an electronic one.")


def gift_card_product(amount: Money, card_number: str) -> Product:
    """The product of one gift card line (its barcode the card's number, so two cards of the same
    amount are two lines, never one line of two)."""
    return Product(code=GIFT_CARD_CODE, name=GIFT_CARD_NAME, brand="", category=GIFT_CARD_CATEGORY,
                   price=amount, vat=NO_VAT, barcode=card_number)


def gift_card_amount(amount_text: str, currency: str) -> Money:
    """The card's amount as typed (like cash), within 1.00 .. 10,000.00 (``BadAmount``,
    ``AmountTooLarge`` or ``GiftCardAmountOutOfRange``)."""
    amount = parse_amount(amount_text, currency)
    if not LEAST <= amount.amount <= MOST:
        raise GiftCardAmountOutOfRange(least=Money.of(LEAST, currency), most=Money.of(MOST, currency))
    return amount


def store_region(till: Till) -> str:
    """The store's country ("UA" for a store whose locale is "uk_UA"; "" if the locale has none)."""
    locale = till.settings.store.locale
    return locale.rpartition("_")[2].upper() if "_" in locale else ""


def sell_gift_card(till: Till, card_text: str, amount_text: str, phone_text: str = "",
                   rng: random.Random | None = None) -> TillResult:
    """Add a gift card of ``amount_text`` to the open sale: the plastic card ``card_text``, or
    (``card_text`` empty) an electronic card for the phone ``phone_text``.  Nothing changes when
    anything is wrong; the error says what (see the module's rules).  ``rng``: tests only."""
    card_text, phone_text = card_text.strip(), phone_text.strip()
    if card_text and phone_text:
        raise GiftCardKindUnclear()
    if not card_text and not phone_text:
        raise GiftCardNeedsCardOrPhone()
    amount = gift_card_amount(amount_text, till.settings.store.currency)
    in_sale = {g.card_number for g in till.gift_cards_sold}
    if card_text:
        number, phone = read_card_number(card_text), ""
        if number in in_sale:
            raise GiftCardAlreadyInSale(card=masked(number))
    else:
        phone = normalise_phone(phone_text, store_region(till))
        number = new_card_number(rng)
        while number in in_sale:  # one in 10^11: a card of this very sale
            number = new_card_number(rng)
    result = till.add_gift_card(gift_card_product(amount, number), GiftCardSold(uuid.uuid4(), number, phone))
    log.info("gift card %s of %s added to sale %s (%s)", masked(number), amount, result.view.basket_id,
             "electronic" if phone else "plastic")
    return result
