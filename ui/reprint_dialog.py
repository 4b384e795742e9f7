"""Reprinting a receipt: the till's recent sales, newest first; Enter reprints the chosen one.

A receipt number typed in is looked up while the dialog stays open: a number that is not one,
or that no receipt has, is said under the field with the text selected, to be typed again."""

from __future__ import annotations

from pos.i18n import N_, _
from pos.quantity import shown
from pos.sale import Sale
from ui import formatting
from ui.dialogs import big_button
from ui.message_area import MessageArea
from ui.list_model import RowsModel, list_table, move_selection, selected_row
from ui.qt import QDialog, QHBoxLayout, QKeyEvent, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget, Signal, qconnect

HEADERS = (N_("Receipt"), N_("Time"), N_("Cashier"), N_("Total"))


class ReprintDialog(QDialog):
    reprint_requested = Signal(object)  # the Sale to print a copy of
    number_requested = Signal(int)  # a receipt number typed in: the dialog stays open until it is found

    def __init__(self, sales: list[Sale], ui_locale: str, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reprintDialog")
        self.setWindowTitle(_("Reprint a receipt"))
        self.setModal(True)
        self.model: RowsModel[Sale] = RowsModel(
            HEADERS,
            lambda s: (
                str(s.receipt_number),
                formatting.store_time(s.completed_at, timezone),
                s.cashier.name,
                formatting.money(s.due, ui_locale),
            ),
            frozenset({0, 3}),
            self,
        )
        self.model.set_items(sales)
        self.table = list_table(self.model, 2, self)
        if sales:
            self.table.selectRow(0)
        hint = QLabel(_("Up/Down to choose, Enter to print a copy, Esc to close.") if sales else _("No sales yet."), self)
        hint.setWordWrap(True)
        self.number_field = QLineEdit(self)
        self.number_field.setObjectName("receiptNumberField")
        self.number_field.setPlaceholderText(_("Or type a receipt number, then Enter"))
        self.message = MessageArea(self)
        ok = big_button(_("Enter  Print copy"), self, "primaryButton")

        cancel = big_button(_("Esc  Close"), self)
        qconnect(ok.clicked, self.choose)
        qconnect(cancel.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        column = QVBoxLayout(self)
        column.addWidget(hint)
        column.addWidget(self.number_field)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        self.resize(720, 520)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            move_selection(self.table, -1 if key == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)

    def choose(self) -> None:
        typed = self.number_field.text().strip()
        if typed:
            if typed.isdigit() and typed.isascii() and len(typed) <= 9 and 0 < int(typed):
                self.message.clear_message()
                self.number_requested.emit(int(typed))
            else:
                self.refuse_number(
                    _("“{text}” is not a receipt number: type the number printed on the receipt.").format(text=shown(typed))
                )
            return
        row = selected_row(self.table)
        sale = self.model.item(row) if row is not None else None
        if sale is not None:
            self.reprint_requested.emit(sale)
            self.accept()


    def refuse_number(self, text: str) -> None:
        """The typed number cannot be reprinted: say why under the field, ready to be typed again."""
        self.message.show_error(text)
        self.number_field.setFocus()
        self.number_field.selectAll()
