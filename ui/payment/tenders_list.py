"""What is paid so far in a split payment, one line per tender."""

from __future__ import annotations

from pos.gift_cards.numbers import short_masked
from pos.gift_cards.records import GIFT_CARD
from pos.i18n import _
from pos.loyalty.earning import POINTS
from pos.store_day.checkout import CheckoutView
from pos.store_day.tenders import CARD, EXCHANGE_CREDIT, Tender
from pos.tender import CASH
from ui import formatting
from ui.qt import QLabel, QWidget


def tender_text(tender: Tender, ui_locale: str) -> str:
    payment = tender.payment
    amount = formatting.money_with_currency(payment.amount, ui_locale)
    if payment.method == CASH:
        if payment.change.is_zero():
            return _("Cash {amount}").format(amount=amount)
        return _("Cash {amount}: received {tendered}, change {change}").format(
            amount=amount, tendered=formatting.money(payment.tendered, ui_locale),
            change=formatting.money(payment.change, ui_locale))
    if payment.method == CARD and tender.card is not None:
        return _("Card {amount}, approval code {code} {reference}").format(
            amount=amount, code=tender.card.approval_code, reference=tender.card.masked_reference).strip()
    if payment.method == EXCHANGE_CREDIT:
        return _("Exchange credit {amount}").format(amount=amount)
    if payment.method == POINTS:
        return _("Loyalty points {amount}").format(amount=amount)
    if payment.method == GIFT_CARD:  # ui/payment/gift_card_panel.py
        card = tender.gift_card
        return _("Gift card {card} {amount}").format(
            card=short_masked(card.card_number) if card is not None else "", amount=amount)
    return f"{payment.method} {amount}"


class TendersList(QLabel):
    """Empty (hidden) until a first tender is paid."""

    def __init__(self, ui_locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subtleText")  # the rest is the big amount above
        self.setWordWrap(True)
        self.ui_locale = ui_locale
        self.hide()

    def show_checkout(self, shown: CheckoutView) -> None:
        if not shown.tenders:
            self.clear()
            self.hide()
            return
        lines = [_("Paid so far:")] + ["  " + tender_text(t, self.ui_locale) for t in shown.tenders]
        self.setText("\n".join(lines))
        self.show()
