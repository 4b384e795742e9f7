"""The right-hand panel of the sale screen: TOTAL, what promotions took off, item count, the
identified customer, VAT breakdown, change."""

from __future__ import annotations

from pos.i18n import _
from pos.money import Money
from pos.till import BasketView
from ui import formatting
from ui.qt import QFrame, QGridLayout, QHBoxLayout, QLabel, Qt, QVBoxLayout, QWidget
from ui.widgets.elided_label import ElidedLabel

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TotalsPanel(QFrame):
    def __init__(self, ui_locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalsPanel")
        self.ui_locale = ui_locale
        caption = QLabel(_("TOTAL"), self)
        caption.setObjectName("totalCaption")
        self.currency_label = QLabel("", self)
        self.currency_label.setObjectName("totalCurrency")
        self.currency_label.setAlignment(RIGHT)
        self.total_label = ElidedLabel("0.00", self, shrink=0.4)  # always whole: a smaller font, never cut
        self.total_label.setObjectName("totalAmount")
        self.total_label.setAlignment(RIGHT)
        self.due_label = QLabel("", self)  # cash rounding, when there is any
        self.due_label.setObjectName("subtleText")
        self.due_label.setAlignment(RIGHT)
        self.due_label.setWordWrap(True)  # "Cash due: 1 234,50 UAH" is read whole, never clipped on the left
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("itemCount")
        self.count_label.setAlignment(RIGHT)
        self.discount_label = QLabel("", self)  # "Discount −12.40" when promotions took something off
        self.discount_label.setObjectName("discountAmount")
        self.discount_label.setAlignment(RIGHT)
        self.discount_label.setWordWrap(True)
        self.discount_label.setStyleSheet("color: #1f7a3a; font-weight: bold;")
        self.customer_label = QLabel("", self)  # a customer is identified: their tier and segment
        self.customer_label.setObjectName("customerShown")
        self.customer_label.setAlignment(RIGHT)
        self.customer_label.setWordWrap(True)

        self.vat_title = QLabel(_("VAT"), self)
        self.vat_title.setObjectName("sectionTitle")
        self.vat_grid = QGridLayout()
        self.vat_grid.setHorizontalSpacing(16)
        self.vat_text = ""  # the breakdown as plain text, one rate per line (for tests and logs)

        self.change_label = QLabel("", self)
        self.change_label.setObjectName("changeAmount")
        self.change_label.setAlignment(RIGHT)
        self.change_label.setWordWrap(True)

        caption_row = QHBoxLayout()
        caption_row.addWidget(caption)
        caption_row.addWidget(self.currency_label)
        column = QVBoxLayout(self)
        column.addLayout(caption_row)
        column.addWidget(self.total_label)
        column.addWidget(self.due_label)
        column.addWidget(self.discount_label)
        column.addWidget(self.count_label)
        column.addWidget(self.customer_label)
        column.addSpacing(12)
        column.addWidget(self.vat_title)
        column.addLayout(self.vat_grid)
        column.addStretch(1)
        column.addWidget(self.change_label)

    def show_view(self, view: BasketView) -> None:
        fmt = self.ui_locale
        self.total_label.setText(formatting.money(view.total, fmt))
        self.currency_label.setText(view.total.currency)
        rounding = view.cash_due - view.total
        if rounding.is_zero():
            self.due_label.setText("")
        else:
            self.due_label.setText(_("Cash due: {due}").format(due=formatting.money_with_currency(view.cash_due, fmt)))
        self.count_label.setText(_("Items: {count}").format(count=formatting.count(view.item_count, fmt)))
        discount = view.priced.discount if view.priced is not None else None
        if discount is None or discount.is_zero():
            self.discount_label.setText("")
        else:
            self.discount_label.setText(_("Discount {amount}").format(amount=formatting.discount(discount, fmt)))
        self.discount_label.setVisible(bool(self.discount_label.text()))
        self.customer_label.setText(customer_text(view))
        self.customer_label.setVisible(view.customer is not None)
        self._show_taxes(view)

    def _show_taxes(self, view: BasketView) -> None:
        while self.vat_grid.count():
            item = self.vat_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.vat_title.setVisible(bool(view.taxes))
        if view.taxes:
            for col, text in enumerate((_("Rate"), _("Gross"), _("VAT"))):
                self._cell(0, col, text, "vatHeader")
        lines = []
        for row, tax in enumerate(view.taxes, start=1):
            rate = f"{tax.vat.code} {formatting.percent(tax.vat.percent, self.ui_locale)}"
            gross = formatting.money(tax.gross, self.ui_locale)
            vat = formatting.money(tax.tax, self.ui_locale)
            self._cell(row, 0, rate, "vatCell")
            self._cell(row, 1, gross, "vatCell")
            self._cell(row, 2, vat, "vatCell")
            lines.append(f"{rate}  {gross}  {vat}")
        self.vat_text = "\n".join(lines)

    def _cell(self, row: int, col: int, text: str, name: str) -> None:
        label = ElidedLabel(text, self, shrink=0.7)  # a narrow panel: a smaller font, then "…" and a tooltip
        label.setObjectName(name)
        if col:
            label.setAlignment(RIGHT)
        self.vat_grid.addWidget(label, row, col)

    def show_change(self, change: Money) -> None:
        self.change_label.setText(_("Change: {amount}").format(amount=formatting.money_with_currency(change, self.ui_locale)))

    def clear_change(self) -> None:
        self.change_label.setText("")


def customer_text(view: BasketView) -> str:
    """That a customer is identified, by their display name when the till has it, with their
    tier and segment (never their id: it means nothing to a cashier and may be a long
    registration number)."""
    customer = view.customer
    if customer is None:
        return ""
    text = _("Customer: {customer}").format(customer=view.customer_name) if view.customer_name else _("Customer")
    if customer.tier:
        text += "\n" + _("Tier: {tier}").format(tier=customer.tier)
    if customer.segment:
        text += "\n" + _("Segment: {segment}").format(segment=customer.segment)
    return text
