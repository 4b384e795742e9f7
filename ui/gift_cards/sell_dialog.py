"""The gift card sale dialog (F10, G): a plastic card scanned (its barcode types the number and
Enter) or an electronic card for the customer's phone, then the amount; Enter adds the card to
the sale as a line.  Whatever the till refuses (a bad number, a card already on the sale, an
amount out of bounds, a phone that is no phone) is said in the dialog, which stays open.  Its
title is on screen as its heading (the till's window has no title bars)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos.gift_cards.numbers import BadGiftCardNumber
from pos.gift_cards.selling import GiftCardAlreadyInSale
from pos.i18n import _
from pos.phone import PhoneNumberProblem
from ui import formatting
from ui.dialogs import TillDialog, big_button
from ui.operations import Op
from ui.qt import QHBoxLayout, QKeyEvent, QLabel, QShowEvent, QSizePolicy, QLineEdit, Qt, QVBoxLayout, QWidget, qconnect

# sell(card_text, amount_text, phone_text) -> the op that adds the line
Sell = Callable[[str, str, str], Op[Any]]

CHOSEN = "QPushButton:checked { background: #cfe0f7; border: 3px solid #1f4e8c; font-weight: bold; }"


class SellGiftCardDialog(TillDialog):
    def __init__(self, sell: Sell, ui_locale: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Sell a gift card"), parent)
        self.setObjectName("sellGiftCardDialog")
        heading = QLabel(self.windowTitle(), self)  # the till runs full screen: no title bar shows it
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        self._sell = sell
        self.ui_locale = ui_locale
        self.plastic_button = big_button(_("F2  Plastic card"), self, "plasticCard")
        self.electronic_button = big_button(_("F3  Electronic card"), self, "electronicCard")
        for button in (self.plastic_button, self.electronic_button):
            button.setCheckable(True)
            button.setStyleSheet(CHOSEN)
        qconnect(self.plastic_button.clicked, lambda _c=False: self.choose_electronic(False))
        qconnect(self.electronic_button.clicked, lambda _c=False: self.choose_electronic(True))
        self.hint = QLabel(self)
        self.hint.setObjectName("giftCardHint")
        self.hint.setWordWrap(True)
        self.hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # wraps to its width
        self.card_field = self._field("giftCardNumber", _("Scan the card or type its 16 digits"))
        self.phone_field = self._field("giftCardPhone", _("The customer's phone number"))
        self.amount_field = self._field("giftCardAmount", _("Amount on the card"))
        self.amount_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        qconnect(self.card_field.returnPressed, lambda: self._next(self.card_field))
        qconnect(self.phone_field.returnPressed, lambda: self._next(self.phone_field))
        qconnect(self.amount_field.returnPressed, self.submit)
        self.card_label = QLabel(_("Card number"), self)
        self.phone_label = QLabel(_("Phone number"), self)
        sell_button = big_button(_("Enter  Add to the sale"), self, "sellGiftCard")
        close_button = big_button(_("Esc  Close"), self)
        qconnect(sell_button.clicked, self.submit)
        qconnect(close_button.clicked, self.reject)

        column = QVBoxLayout(self)
        column.addWidget(heading)
        kinds = QHBoxLayout()
        kinds.addWidget(self.plastic_button)
        kinds.addWidget(self.electronic_button)
        column.addLayout(kinds)
        column.addWidget(self.hint)
        for label, field in ((self.card_label, self.card_field), (self.phone_label, self.phone_field),
                             (QLabel(_("Amount"), self), self.amount_field)):
            column.addWidget(label)
            column.addWidget(field)
        column.addWidget(self.message)
        column.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(sell_button)
        buttons.addWidget(close_button)
        column.addLayout(buttons)
        self.resize(600, 640)  # fits a 1024x768 screen with room for a two-line message
        self.choose_electronic(False)

    def _field(self, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.setToolTip(placeholder)  # Qt elides a long placeholder
        field.setMinimumHeight(48)
        field.setMaxLength(64)
        return field

    @property
    def electronic(self) -> bool:
        return self.electronic_button.isChecked()

    def choose_electronic(self, electronic: bool) -> None:
        """Plastic: the card's number (scanned); electronic: the phone the card is bound to (the
        till makes its number; the customer gets it by SMS once the sale reaches head office)."""
        self.plastic_button.setChecked(not electronic)
        self.electronic_button.setChecked(electronic)
        for widget in (self.card_label, self.card_field):
            widget.setVisible(not electronic)
        for widget in (self.phone_label, self.phone_field):
            widget.setVisible(electronic)
        self.hint.setText(_(
            "An electronic card is bound to the customer's phone: they get its number by SMS once the sale is paid.")
            if electronic else _("Scan the plastic card's barcode, then type the amount."))
        self.message.clear_message()
        (self.phone_field if electronic else self.card_field).setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """The hint keeps room for three lines of the styled font (a long language's sentence)."""
        super().showEvent(event)
        self.hint.setMinimumHeight(self.hint.fontMetrics().lineSpacing() * 3 + 6)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """F2 a plastic card, F3 an electronic one."""
        if event.key() in (Qt.Key.Key_F2, Qt.Key.Key_F3):
            self.choose_electronic(event.key() == Qt.Key.Key_F3)
        else:
            super().keyPressEvent(event)

    def _next(self, field: QLineEdit) -> None:
        """Enter after the number or the phone goes on to the amount (an empty amount: asked for)."""
        if field.text().strip() and not self.amount_field.text().strip():
            self.amount_field.setFocus()
            return
        self.submit()

    def submit(self) -> None:
        card = "" if self.electronic else self.card_field.text()
        phone = self.phone_field.text() if self.electronic else ""
        amount = formatting.as_typed(self.amount_field.text(), self.ui_locale)
        self.run_then_close(self._sell(card, amount, phone))

    def failed(self, error: BaseException) -> None:
        """The dialog stays open with the reason; the field at fault takes the next keys."""
        super().failed(error)
        if self.closed:
            return
        wrong = self.amount_field
        if isinstance(error, PhoneNumberProblem) and self.electronic:
            wrong = self.phone_field
        elif isinstance(error, (BadGiftCardNumber, GiftCardAlreadyInSale)):
            wrong = self.card_field
        wrong.selectAll()
        wrong.setFocus()
