"""What the payment dialog's gift card page shows (the widgets only; what they do is
``ui/payment/gift_card_panel.py``): the gift card payments of the sale so far, each with its
Remove button; the card or phone field, the cards found, the chosen card's balance, the code for
an electronic card, the amount, the message, and the offline button that appears only when head
office cannot be reached and the chain allows it."""

from __future__ import annotations

from collections.abc import Callable

from pos.gift_cards.paying import OfflineOffer
from pos.gift_cards.service import CodeSent, GiftCardFound
from pos.i18n import _
from pos.money import Money
from pos.store_day.tenders import Tender
from ui import formatting
from ui.dialogs import big_button
from ui.message_area import MessageArea
from ui.payment.tenders_list import tender_text
from ui.qt import QHBoxLayout, QKeyEvent, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget, qconnect


class GiftCardView(QWidget):
    def __init__(self, ui_locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("giftCardPanel")
        self.ui_locale = ui_locale
        self.busy = False  # a lookup or a code on its way (paying uses the dialog's own)
        self.found: tuple[GiftCardFound, ...] = ()
        self.chosen: GiftCardFound | None = None
        self.rest: Money | None = None
        title = QLabel(_("Pay with a gift card"), self)
        title.setObjectName("sectionTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rest_text = QLabel(self)
        self.rest_text.setObjectName("giftCardRest")
        self.paid = QWidget(self)  # the sale's gift card payments, each removable
        self.paid.setObjectName("giftCardsPaid")
        self.paid_column = QVBoxLayout(self.paid)
        self.paid_column.setContentsMargins(0, 0, 0, 0)
        self.paid_rows: list[QWidget] = []
        self.remove_buttons: list[QPushButton] = []
        self.lookup_field = self._field("giftCardLookup", _("Scan the gift card, or type the customer's phone"))
        self.find_button = big_button(_("Find"), self, "findGiftCard")
        self.cards = QWidget(self)  # one button per card when a phone has several
        self.cards.setObjectName("giftCardsFound")
        self.card_buttons: list[QPushButton] = []
        self.cards_column = QVBoxLayout(self.cards)
        self.cards_column.setContentsMargins(0, 0, 0, 0)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a digit key picks one of several cards
        self.card_text = QLabel(self)
        self.card_text.setObjectName("giftCardChosen")
        self.card_text.setWordWrap(True)
        self.code_button = big_button(_("F2  Send code"), self, "sendGiftCardCode")
        self.code_field = self._field("giftCardCode", _("Code from the customer's SMS"))
        self.amount_field = self._field("giftCardAmount", "")
        self.amount_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.message = MessageArea(self)
        self.offline_button = big_button("", self, "giftCardOffline")
        self.pay_button = big_button(_("Enter  Pay with the gift card"), self, "primaryButton")
        self.back_button = big_button(_("Esc  Back"), self)
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(self.rest_text)
        column.addWidget(self.paid)
        lookup = QHBoxLayout()
        lookup.addWidget(self.lookup_field, 1)
        lookup.addWidget(self.find_button)
        column.addLayout(lookup)
        column.addWidget(self.cards)
        column.addWidget(self.card_text)
        code = QHBoxLayout()
        code.addWidget(self.code_button)
        code.addWidget(self.code_field, 1)
        column.addLayout(code)
        column.addWidget(self.amount_field)
        column.addWidget(self.message)
        column.addStretch(1)
        column.addWidget(self.offline_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pay_button)
        buttons.addWidget(self.back_button)
        column.addLayout(buttons)

    def _field(self, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.setToolTip(placeholder)
        field.setMinimumHeight(52)
        field.setMaxLength(64)
        return field

    def _money(self, amount: Money) -> str:
        return formatting.money_with_currency(amount, self.ui_locale)

    def start(self, rest: Money) -> None:
        """Waiting for the card: everything of a previous card cleared."""
        self.rest = rest
        self.rest_text.setText(_("Still to pay {rest}").format(rest=self._money(rest)))
        self.lookup_field.clear()
        self.show_cards(())
        self.message.clear_message()
        self.offline_button.hide()

    def show_paid(self, tenders: tuple[Tender, ...], remove: Callable[[Tender], None]) -> None:
        """The sale's gift card payments; Remove gives one back to its card."""
        for row in self.paid_rows:
            row.deleteLater()
        self.paid_rows, self.remove_buttons = [], []
        for tender in (t for t in tenders if t.gift_card is not None):
            row = QWidget(self.paid)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(QLabel(tender_text(tender, self.ui_locale), row), 1)
            button = big_button(_("Remove"), row, f"removeGiftCard_{tender.payment.payment_id}")
            qconnect(button.clicked, lambda _c=False, t=tender: remove(t))
            line.addWidget(button)
            self.paid_column.addWidget(row)
            self.paid_rows.append(row)
            self.remove_buttons.append(button)
        self.paid.setVisible(bool(self.remove_buttons))

    def show_cards(self, cards: tuple[GiftCardFound, ...]) -> None:
        """The cards found: one is chosen at once; several (one phone) wait for the cashier's pick."""
        self.found = cards
        for button in self.card_buttons:
            button.deleteLater()
        self.card_buttons = []
        for index, card in enumerate(cards[:9]):  # keys 1..9
            text = f"{index + 1}  {card.masked}   {self._money(card.balance)}"
            if card.locked:
                text += "   " + _("locked")
            button = big_button(text, self.cards, f"giftCard_{index + 1}")
            qconnect(button.clicked, lambda _c=False, row=index: self.choose(row))
            self.cards_column.addWidget(button)
            self.card_buttons.append(button)
        self.cards.setVisible(len(cards) > 1)
        self.chosen = None
        self.card_text.clear()
        self.code_button.hide()
        self.code_field.hide()
        self.code_field.clear()
        self.amount_field.clear()
        self.amount_field.setPlaceholderText(_("Amount"))
        if len(cards) == 1:
            self.choose(0)
        elif cards:
            self.message.show_notice(_("Several gift cards for this phone: choose one (its number key)."))
            self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if len(self.found) > 1 and text.isdigit() and text != "0":
            self.choose(int(text) - 1)
        else:
            super().keyPressEvent(event)

    def choose(self, row: int) -> None:
        if not 0 <= row < len(self.found):
            return
        card = self.chosen = self.found[row]
        said = _("Gift card {card}: balance {balance}").format(card=card.masked, balance=self._money(card.balance))
        if card.needs_code:
            said += "\n" + _("Electronic card: send the code to {phone} (F2) and type what the customer reads out.")\
                .format(phone=card.phone_masked)
        self.card_text.setText(said)
        most = min(card.balance, self.rest) if self.rest is not None else card.balance
        self.amount_field.setPlaceholderText(_("Amount (empty = {most})").format(most=self._money(most)))
        self.amount_field.setToolTip(self.amount_field.placeholderText())
        self.code_button.setVisible(card.needs_code)
        self.code_field.setVisible(card.needs_code)
        self.code_field.clear()  # a code is one card's
        if card.locked:
            self.message.show_error(_("This card is locked after three wrong codes: head office unlocks it."))
        else:
            self.message.clear_message()
        (self.code_field if card.needs_code else self.amount_field).setFocus()

    def code_sent(self, sent: CodeSent) -> None:
        minutes = max(1, sent.expires_in_seconds // 60)
        self.message.show_notice(_("Code sent to {phone}: it works for {minutes} minutes.").format(
            phone=sent.sent_to, minutes=minutes))
        self.code_field.clear()
        self.code_field.setFocus()

    def show_offline(self, offer: OfflineOffer) -> None:
        """The offline button, when the chain's policy allows it (plastic cards only)."""
        if not offer.allowed:
            self.offline_button.hide()
            return
        self.offline_button.setText(_("Offline, a manager approves (at most {cap})").format(cap=self._money(offer.cap)))
        self.offline_button.show()
