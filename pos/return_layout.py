"""The return receipt: a ``ReturnDocument`` (``pos.store_day.returns``) laid out as rows for the
receipt printer, in the store's language, on 80 mm or 58 mm paper.

Its own title (RETURN and the return's number, a series of its own), the receipt it returns
from (or "without receipt"), the lines given back, what was refunded by each tender (a card
refund with its approval code and masked card), the reason, the VAT given back, a line for
the customer's signature, and COPY on a reprint.

A refund to the sale's gift card payment says the card it goes back on, masked ("Back on gift
card **** 9015"): the card of that payment in the original sale's ``gift_card_payments``
(``ReturnPrintout.gift_cards``; the hub credits the card when the return reaches it).

A returned line refunds its share of what the customer paid for it (its net after the
promotions' discounts, ``pos.store_day.returns.line_refund``).  When that is less than its
price times the quantity, a counted line prints the price times the quantity and, under it,
"Discount" with the discounts' share, so the column adds up to the refund.  A weighed line
prints its refund only: its share of a rounded total may differ from the price times the
weight by a cent with no discount at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos.gift_cards.numbers import short_masked
from pos.gift_cards.records import GIFT_CARD, GiftCardPayment
from pos.i18n import N_
from pos.money import round_money
from pos.receipt import ReceiptDiscount, StoreInfo
from pos.receipt_layout import GLUE, LABELS, Lines, ReceiptDocument, Row, clean_text
from pos.store_day.returns import Refund, ReturnDocument, ReturnLine

RETURN_LABELS: dict[str, str] = {
    **LABELS,
    "return_title": N_("RETURN No. {number}"),
    "original": N_("Original receipt No. {number}"),
    "original_till": N_("Original receipt No. {number}, till {till}"),
    "no_receipt": N_("Returned without a receipt"),
    "returned_total": N_("RETURNED"),
    "refunded_total": N_("Refunded"),
    "refunds": N_("REFUNDS"),
    "approval_code": N_("Approval code {code}"),
    "reason": N_("Reason: {reason}"),
    "exchange": N_("Exchange: goods taken instead"),
    "signature": N_("Customer's signature"),
    "return_id": N_("Return {return_id}"),
    "back_on_gift_card": N_("Back on gift card {card}"),
}


@dataclass(frozen=True, slots=True)
class ReturnPrintout:
    returned: ReturnDocument
    store: StoreInfo
    reason: str = ""  # the reason as people read it (the chain's label); the code if empty
    is_copy: bool = False
    gift_cards: tuple[GiftCardPayment, ...] = ()  # the original sale's gift card payments: a refund's card


def refund_card(refund: Refund, gift_cards: tuple[GiftCardPayment, ...]) -> str:
    """The card number a gift card refund goes back on ("" for another refund, or no card known)."""
    if refund.payment.method != GIFT_CARD or refund.original_payment_id is None:
        return ""
    return next((g.card_number for g in gift_cards if g.payment_id == refund.original_payment_id), "")


def layout_return(printout: ReturnPrintout, width: int = 42) -> ReceiptDocument:
    return ReceiptDocument(tuple(_ReturnLayout(printout, width).rows()), width)


class _ReturnLayout(Lines):
    labels = RETURN_LABELS

    def __init__(self, printout: ReturnPrintout, width: int) -> None:
        super().__init__(printout.store, width)
        self.printout = printout
        self.returned = printout.returned

    def copy_mark(self, *, double: bool) -> list[Row]:
        if not self.printout.is_copy:
            return []
        return self.text(f"*** {self.label('copy')} ***", "center", bold=True, double=double)

    def rows(self) -> list[Row]:
        r = self.returned
        rows = self.store_header()
        rows.append(self.blank())
        rows += self.copy_mark(double=True)
        rows += self.text(self.label("return_title", number=r.return_number), "center", bold=True, double=True)
        rows.append(self.blank())
        rows += self.pair(self.when(r.returned_at), [self.label("till", till=r.till_id)])
        rows += self.text(self.label("cashier", name=r.cashier.name))
        if r.original_sale_id is None:
            rows += self.text(self.label("no_receipt"), bold=True)
        elif r.original_till_id and r.original_till_id != r.till_id:
            rows += self.text(self.label("original_till", number=r.original_receipt_number, till=r.original_till_id))
        else:
            rows += self.text(self.label("original", number=r.original_receipt_number))
        rows.append(self.rule())
        for line in r.lines:
            rows += self.item(line)
        rows.append(self.rule())
        total = f"{self.amount(r.total)}{GLUE}{r.currency}"
        rows += self.pair(self.label("returned_total"), [total], bold=True, double=True)
        if not r.rounding.is_zero():
            rows += self.pair(self.label("rounding"), [self.amount(r.rounding)])
            rows += self.pair(self.label("refunded_total"), [f"{self.amount(r.refunded)}{GLUE}{r.currency}"], bold=True)
        rows += self.text(self.label("refunds"), bold=True)
        for refund in r.refunds:
            rows += self.refund(refund)
        if r.exchange_sale_id is not None:
            rows += self.text(self.label("exchange"))
        reason = clean_text(self.printout.reason) or clean_text(r.reason)
        if reason:
            rows.append(self.rule())
            rows += self.text(self.label("reason", reason=reason))
        if r.taxes:
            rows.append(self.rule())
            rows += self.taxes(r.taxes)
        rows.append(self.rule())
        rows.append(self.blank())
        rows.append(self.blank())
        rows += self.text("_" * min(self.width, 28), "center")
        rows += self.text(self.label("signature"), "center")
        rows.append(self.blank())
        rows += self.text(self.label("return_id", return_id=r.return_id.hex[:8]), "center")
        rows += self.copy_mark(double=False)
        return rows

    def item(self, line: ReturnLine) -> list[Row]:
        rows = self.text(line.name)
        quantity = self.quantity_of(line.quantity, line.sold_by_weight)
        if line.sold_by_weight:
            quantity += GLUE + self.label("kg")
        price = f"{quantity} x {self.amount(line.unit_price)}"
        gross = round_money(line.unit_price.times(line.quantity))
        discounted = not line.sold_by_weight and gross.amount > line.total.amount
        shown = gross if discounted else line.total
        rows += self.pair(price, [f"{self.amount(shown)}{GLUE}{clean_text(line.vat.code)}"], indent=3)
        if discounted:
            rows += self.discount(ReceiptDiscount("", gross - line.total))
        return rows

    def refund(self, refund: Refund) -> list[Row]:
        card_number = refund_card(refund, self.printout.gift_cards)
        name = (self.label("back_on_gift_card", card=self._glued(short_masked(card_number))) if card_number
                else self.method(refund.payment.method))
        rows = self.pair(name, [self.amount(refund.payment.amount)])
        if refund.card is not None:
            card = refund.card
            rows += self.pair(clean_text(card.masked_reference), [self.label("approval_code", code=card.approval_code)],
                              indent=2)
        return rows
