"""What the customer sees, as plain text, in the store's language (``StoreInfo.locale``), not the
cashier's: the lines of the sale, the total, and after payment what was paid and the change.
The same texts feed the customer window and the pole display.

A line that promotions reduced shows its net, and under it each promotion's name with what it
took off; "You saved" under the total says what they took off the whole sale.  A gift card line
says its card masked, "Gift card **** 9015", in the store's language."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from pos.gift_cards.numbers import short_masked
from pos.gift_cards.records import GIFT_CARD_CODE, GiftCardSold
from pos.i18n import N_, Translator, translator
from pos.money import Money
from pos.pricing.priced import LineDiscount
from pos.sale import Sale
from pos.till import BasketView
from ui import formatting

TOTAL = N_("TOTAL")
PAID = N_("Paid")
CHANGE = N_("Change")
WELCOME = N_("Welcome!")
THANK_YOU = N_("Thank you for your purchase!")
KILOGRAMS = N_("{quantity} kg")
SAVED = N_("You saved {amount}")
GIFT_CARD_LINE = N_("Gift card {card}")
GIFT_CARD_NAME = N_("Gift card")


@dataclass(frozen=True, slots=True)
class CustomerLine:
    name: str
    quantity: str  # "2 × 89,90" or "0,350 kg × 32,99"
    amount: str  # the line's total (its net after the discounts)
    discounts: tuple[tuple[str, str], ...] = ()  # (promotion's name, "−89,90") for each discount


@dataclass(frozen=True, slots=True)
class CustomerScreen:
    """One picture of the customer's screen (every text already in the store's language)."""

    lines: tuple[CustomerLine, ...] = ()
    total_caption: str = ""
    total: str = ""  # "1 234,50 UAH"
    paid: str = ""  # after payment: "Paid 1 300,00 UAH"
    change: str = ""  # after payment: "Change 65,50 UAH"
    greeting: str = ""  # "Welcome!" before the first line, "Thank you..." after payment
    saved: str = ""  # "You saved 106,06 UAH" when promotions took something off
    pole_upper: str = ""  # the two lines of a 20-character pole display ("label\tamount")
    pole_lower: str = ""


class CustomerTexts:
    """Builds ``CustomerScreen`` pictures in ``locale`` (the store's)."""

    def __init__(self, locale: str, store_name: str = "") -> None:
        self.locale = locale
        self.store_name = store_name
        self._t: Translator = translator(locale)

    def word(self, message: str) -> str:
        return self._t.gettext(message)

    def money(self, amount: Money) -> str:
        return formatting.money_with_currency(amount, self.locale)

    def _quantity(self, quantity: Decimal, price: Money, weighed: bool) -> str:
        shown = formatting.quantity(quantity, weighed, self.locale)
        if weighed:
            shown = self.word(KILOGRAMS).format(quantity=shown)
        return f"{shown} × {formatting.money(price, self.locale)}"

    def _discounts(self, discounts: tuple[LineDiscount, ...]) -> tuple[tuple[str, str], ...]:
        return tuple((d.name, formatting.discount(d.amount, self.locale)) for d in discounts if not d.amount.is_zero())

    def _name(self, name: str, code: str, line_id: uuid.UUID, cards: tuple[GiftCardSold, ...]) -> str:
        """A gift card line's name with its card masked; any other line's as the catalog has it."""
        if code != GIFT_CARD_CODE:
            return name
        number = next((g.card_number for g in cards if g.line_id == line_id), "")
        return self.word(GIFT_CARD_LINE).format(card=short_masked(number)) if number else self.word(GIFT_CARD_NAME)

    def _saved(self, discount: Money) -> str:
        return "" if discount.is_zero() else self.word(SAVED).format(amount=self.money(discount))

    def basket(self, view: BasketView) -> CustomerScreen:
        priced = {p.line.line_id: p for p in view.priced.lines} if view.priced is not None else {}
        lines = []
        for line in view.lines:
            if line.voided:
                continue
            p = priced.get(line.line_id)
            lines.append(CustomerLine(
                self._name(line.product.name, line.product.code, line.line_id, view.gift_cards),
                self._quantity(line.quantity, line.product.price, line.product.sold_by_weight),
                formatting.money(p.net if p is not None else line.total, self.locale),
                self._discounts(p.discounts) if p is not None else ()))
        if not lines:
            return self.welcome()
        total = self.money(view.cash_due)
        last = lines[-1]
        saved = self._saved(view.priced.discount) if view.priced is not None else ""
        return CustomerScreen(tuple(lines), self.word(TOTAL), total, saved=saved, pole_upper=_row(last.name, last.amount),
                              pole_lower=_row(self.word(TOTAL), total))

    def paid(self, sale: Sale) -> CustomerScreen:
        lines = tuple(
            CustomerLine(self._name(line.name, line.product_code, line.line_id, sale.gift_cards_sold),
                         self._quantity(line.quantity, line.unit_price, line.sold_by_weight),
                         formatting.money(line.total, self.locale), self._discounts(line.discounts))
            for line in sale.lines if not line.voided
        )
        tendered = sum((p.tendered.amount for p in sale.payments), Decimal(0))
        paid = self.money(Money(tendered, sale.currency))
        change = self.money(sale.change)
        total = self.money(sale.due)
        return CustomerScreen(
            lines, self.word(TOTAL), total, paid=f"{self.word(PAID)} {paid}", change=f"{self.word(CHANGE)} {change}",
            greeting=self.word(THANK_YOU), saved=self._saved(sale.discount), pole_upper=_row(self.word(TOTAL), total), pole_lower=_row(self.word(CHANGE), change),
        )

    def welcome(self) -> CustomerScreen:
        return CustomerScreen(greeting=self.word(WELCOME), pole_upper=self.store_name, pole_lower=self.word(WELCOME))


def _row(label: str, amount: str) -> str:
    """``label`` and ``amount`` on one pole line: the display keeps the amount whole at the
    right and cuts the label (hardware.pole_display.display_line)."""
    return f"{label.replace(chr(9), ' ')}\t{amount}"
