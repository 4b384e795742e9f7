"""The list of parked sales to recall: who parked it, when, how many items and the total, one
big button each (a digit key picks it too), oldest first."""

from __future__ import annotations

import uuid

from pos.i18n import _, ngettext
from pos.store_day.parking import ParkedSale
from ui import formatting
from ui.dialogs import big_button
from ui.qt import QDialog, QKeyEvent, QLabel, QVBoxLayout, QWidget, Signal, qconnect

MAX_SHOWN = 9  # keys 1 to 9


def parked_line(parked: ParkedSale, ui_locale: str, timezone: str) -> str:
    count = int(parked.item_count)
    items = ngettext("{count} item", "{count} items", count).format(count=formatting.count(count, ui_locale))
    return " · ".join((parked.cashier_name, formatting.store_time(parked.parked_at, timezone, ui_locale), items,
                       formatting.money_with_currency(parked.total, ui_locale)))


class RecallDialog(QDialog):
    chosen = Signal(object)  # the basket id picked

    def __init__(self, parked: list[ParkedSale], ui_locale: str, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recallDialog")
        self.setWindowTitle(_("Recall parked sale"))
        self.setModal(True)
        self.parked = parked[:MAX_SHOWN]
        column = QVBoxLayout(self)
        column.addWidget(QLabel(_("Choose the sale to recall (key or touch); Esc closes."), self))
        self.buttons = []
        for index, one in enumerate(self.parked):
            button = big_button(f"{index + 1}  {parked_line(one, ui_locale, timezone)}", self, "parkedSale")
            qconnect(button.clicked, lambda _checked=False, basket_id=one.basket_id: self.choose(basket_id))
            column.addWidget(button)
            self.buttons.append(button)
        if len(parked) > MAX_SHOWN:
            more = QLabel(_("{count} more parked: recall these first.").format(
                count=formatting.count(len(parked) - MAX_SHOWN, ui_locale)), self)
            more.setObjectName("subtleText")
            column.addWidget(more)
        close = big_button(_("Esc  Close"), self)
        qconnect(close.clicked, self.reject)
        column.addWidget(close)
        self.resize(760, 120 + 72 * (len(self.parked) + 1))

    def choose(self, basket_id: uuid.UUID) -> None:
        self.accept()
        self.chosen.emit(basket_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if text.isdigit() and 1 <= int(text) <= len(self.parked):
            self.choose(self.parked[int(text) - 1].basket_id)
            return
        super().keyPressEvent(event)
