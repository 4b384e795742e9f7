"""The sale screen: scan field (always focused), basket table, totals, messages, and the
function keys on screen.  It only shows things and reports what the cashier asked for;
``ui.sale_actions`` decides what that means."""

from __future__ import annotations

import uuid

from pos.i18n import _
from pos.till import BasketView
from ui.basket_model import BasketTableModel, offers_text
from ui.list_model import list_table
from ui.message_area import MessageArea
from ui.qt import (
    QHBoxLayout, QKeyEvent, QLineEdit, QPushButton, QSizePolicy, Qt, QTableView,
    QVBoxLayout, QWidget, Signal, qconnect,
)
from ui.totals_panel import TotalsPanel
from ui.widgets.fitting_button import FittingButton

Key = Qt.Key
ROW_GAP = 10  # pixels below a line's discounts, so the next line's name stands apart
# (action, key label on the button, what the button says, the key)
FUNCTION_KEYS = (
    ("search", "F2", lambda: _("Search"), Key.Key_F2),
    ("quantity", "F4", lambda: _("Quantity"), Key.Key_F4),
    ("void", "F8", lambda: _("Void line"), Key.Key_F8),
    ("reprint", "F9", lambda: _("Reprint"), Key.Key_F9),
    ("menu", "F10", lambda: _("Menu"), Key.Key_F10),
    ("pay", "F12", lambda: _("Pay"), Key.Key_F12),
)


class ScanField(QLineEdit):
    """Where the scanner and the keyboard type.  Up/Down move the selected line; Esc clears."""

    move_selection = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Key.Key_Up:
            self.move_selection.emit(-1)
        elif key == Key.Key_Down:
            self.move_selection.emit(1)
        elif key == Key.Key_Escape:
            self.clear()
        else:
            super().keyPressEvent(event)


class SaleScreen(QWidget):
    scan_entered = Signal(str)
    action_requested = Signal(str)  # "search", "quantity", "void", "reprint", "pay", "sign_out"

    def __init__(self, ui_locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saleScreen")
        self.scan_field = ScanField(self)
        self.scan_field.setObjectName("scanField")
        self.scan_field.setPlaceholderText(_("Scan a barcode, or type a code or a name, then Enter"))
        self.scan_field.setToolTip(self.scan_field.placeholderText())  # Qt elides a long placeholder
        self.scan_field.setMinimumHeight(56)
        self.model = BasketTableModel(ui_locale, self)
        self.table = self._make_table()
        self.totals = TotalsPanel(ui_locale, self)
        self.message = MessageArea(self)
        self.buttons: dict[str, QPushButton] = {}

        qconnect(self.scan_field.returnPressed, self._scan_entered)
        qconnect(self.scan_field.move_selection, self.move_selection)
        self._lay_out()

    def _make_table(self) -> QTableView:
        table = list_table(self.model, 1, self)  # the scan field keeps the keyboard
        table.setObjectName("basketTable")
        table.horizontalHeader().setMinimumSectionSize(60)
        return table

    def _lay_out(self) -> None:
        keys = QHBoxLayout()
        keys.setSpacing(8)
        for action, key, words, _key in FUNCTION_KEYS:
            keys.addWidget(self._key_button(action, f"{key}\n{words()}"))
        keys.addStretch(1)
        keys.addWidget(self._key_button("sign_out", _("Ctrl+L\nSign out")))

        left = QVBoxLayout()
        left.addWidget(self.scan_field)
        left.addWidget(self.table, 1)
        left.addWidget(self.message)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        self.totals.setMinimumWidth(280)
        top.addWidget(self.totals, 1)
        column = QVBoxLayout(self)
        column.addLayout(top, 1)
        column.addLayout(keys)

    def _key_button(self, action: str, text: str) -> QPushButton:
        button = FittingButton(text, self)  # long words take a smaller font on a narrow screen
        button.setObjectName("payButton" if action == "pay" else "functionKey")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(96, 72)
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        qconnect(button.clicked, lambda _checked=False: self.action_requested.emit(action))
        self.buttons[action] = button
        return button

    # -- keyboard ----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        if key == Key.Key_L and mods & Qt.KeyboardModifier.ControlModifier:
            self.action_requested.emit("sign_out")
            return
        for action, _label, _words, function_key in FUNCTION_KEYS:
            if key == function_key:
                self.action_requested.emit(action)
                return
        super().keyPressEvent(event)

    def _scan_entered(self) -> None:
        text = self.scan_field.text().strip()
        self.scan_field.clear()
        if text:
            self.scan_entered.emit(text)

    # -- showing -----------------------------------------------------------------------
    def show_view(self, view: BasketView, select: uuid.UUID | None = None) -> None:
        keep = select or self.selected_line_id()
        self.model.set_view(view)
        for at, shown in enumerate(self.model.rows):  # a line with its promotions under it: as high as they need
            if shown.discounts:
                self.table.resizeRowToContents(at)
                self.table.setRowHeight(at, self.table.rowHeight(at) + ROW_GAP)
        self.totals.show_view(view)
        self.message.set_standing(offers_text(view))
        row = self.model.row_of(keep) if keep else None
        if row is None and self.model.rowCount():
            row = self.model.rowCount() - 1
        if row is not None:
            self.select_row(row)

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_line_id(self) -> uuid.UUID | None:
        row = self.selected_row()
        return self.model.rows[row].line_id if row is not None and row < len(self.model.rows) else None

    def move_selection(self, step: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        row = self.selected_row()
        row = (count - 1 if step < 0 else 0) if row is None else max(0, min(count - 1, row + step))
        self.select_row(row)

    def focus_scan_field(self) -> None:
        self.scan_field.setFocus()
