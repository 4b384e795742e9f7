"""Paying with the customer's loyalty points (F7 on the payment dialog, a store's day with an
identified customer): a page of the dialog's stack that shows the balance the till knows, the
points available here (less what this till took since) and the most that may pay now, and
takes a number of points (empty: that most).  The points are checked and paid on the till
worker (``pos.loyalty.paying``); a refusal says which rule (balance, cap, minimum, rest)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.i18n import _
from pos.loyalty.paying import PointsOffer, pay_points, points_offer
from pos.store_day.checkout import CheckoutView
from ui import formatting
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.message_area import MessageArea
from ui.qt import QLabel, QLineEdit, Qt, QVBoxLayout, QWidget, qconnect

if TYPE_CHECKING:
    from ui.payment_dialog import PaymentDialog


class PointsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pointsPanel")
        title = QLabel(_("Pay with points"), self)
        title.setObjectName("sectionTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offer_text = QLabel(self)
        self.offer_text.setObjectName("pointsOffer")
        self.offer_text.setWordWrap(True)
        self.points_field = QLineEdit(self)
        self.points_field.setObjectName("pointsField")
        self.points_field.setPlaceholderText(_("Points (empty = the most allowed now)"))
        self.points_field.setToolTip(self.points_field.placeholderText())
        self.points_field.setMinimumHeight(64)
        self.points_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.message = MessageArea(self)
        self.pay_button = big_button(_("Enter  Pay with points"), self, "primaryButton")
        self.back_button = big_button(_("Esc  Back"), self)
        self.offer: PointsOffer | None = None
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(self.offer_text)
        column.addWidget(self.points_field)
        column.addWidget(self.message)
        column.addStretch(1)
        column.addWidget(self.pay_button)
        column.addWidget(self.back_button)

    def show_offer(self, offer: PointsOffer, ui_locale: str) -> None:
        self.offer = offer
        points = lambda n: formatting.count(n, ui_locale)  # noqa: E731
        self.offer_text.setText(_(
            "Balance {balance} points, {available} available at this till. At most {most} points now, worth "
            "{worth} (one point is {value}).").format(
                balance=points(offer.balance), available=points(offer.available), most=points(offer.most),
                worth=formatting.money_with_currency(offer.most_worth, ui_locale),
                value=formatting.money_with_currency(offer.point_value, ui_locale)))
        self.points_field.clear()
        self.message.clear_message()


def add_points_page(dialog: PaymentDialog) -> PointsPanel:
    """The points page in the dialog's stack, its buttons wired."""
    panel = PointsPanel(dialog)
    dialog.pages.addWidget(panel)
    qconnect(panel.pay_button.clicked, lambda _c=False: submit_points(dialog))
    qconnect(panel.points_field.returnPressed, lambda: submit_points(dialog))
    qconnect(panel.back_button.clicked, lambda _c=False: dialog.back_to_paying())
    return panel


def open_points(dialog: PaymentDialog) -> None:
    """F7: ask the till worker what the customer may pay with, then show the points page."""
    if dialog.busy or dialog.shown is None or dialog.points_panel is None:
        return
    panel = dialog.points_panel
    ui_locale = dialog.session.services.ui_locale

    def shown(offer: PointsOffer) -> None:
        if dialog.closed:
            return
        panel.show_offer(offer, ui_locale)
        dialog.pages.setCurrentWidget(panel)
        panel.points_field.setFocus()

    def refused(error: BaseException) -> None:
        show_problem(dialog.message, error)

    dialog.session.query(lambda till, _journal: points_offer(till)).success(shown).failure(refused).run()


def submit_points(dialog: PaymentDialog) -> None:
    panel = dialog.points_panel
    if panel is None:
        return
    typed = panel.points_field.text().strip() or (str(panel.offer.most) if panel.offer else "")

    def paid(shown: CheckoutView) -> None:
        dialog.pages.setCurrentWidget(dialog.pay_page)
        dialog._after_tender(shown)

    def refused(error: BaseException) -> None:
        show_problem(panel.message, error)
        panel.points_field.selectAll()  # the next number typed replaces it
        panel.points_field.setFocus()

    dialog._run(lambda till: pay_points(till, typed), paid, refused)
