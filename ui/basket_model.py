"""The basket as the cashier's table: rows built from an immutable ``BasketView``.

``basket_rows`` is the plain view-model (what each cell says); ``BasketTableModel`` is the
thin Qt model a ``QTableView`` shows.  Voided lines stay visible, struck through and grey.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pos.i18n import N_, _
from pos.till import BasketView
from ui import formatting
from ui.qt import QAbstractTableModel, QBrush, QColor, QFont, QModelIndex, QPersistentModelIndex, Qt, QWidget

COLUMNS = (N_("#"), N_("Item"), N_("Qty"), N_("Price"), N_("Total"), N_("VAT"))
NUMBER_COLUMNS = frozenset({0, 2, 3, 4})
NAME_COLUMN = 1
VOIDED_COLOUR = QColor("#9a9a9a")

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class BasketRow:
    line_id: uuid.UUID
    cells: tuple[str, ...]
    voided: bool
    sold_by_weight: bool


def basket_rows(view: BasketView, ui_locale: str = "en") -> tuple[BasketRow, ...]:
    rows = []
    for number, line in enumerate(view.lines, start=1):
        weighed = line.product.sold_by_weight
        qty = formatting.quantity(line.quantity, weighed, ui_locale)
        cells = (
            str(number),
            line.product.name,
            _("{quantity} kg").format(quantity=qty) if weighed else qty,
            formatting.money(line.product.price, ui_locale),
            formatting.money(line.total, ui_locale),
            line.product.vat.code,
        )
        rows.append(BasketRow(line.line_id, cells, line.voided, weighed))
    return tuple(rows)


class BasketTableModel(QAbstractTableModel):
    def __init__(self, ui_locale: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui_locale = ui_locale
        self.view: BasketView | None = None
        self.rows: tuple[BasketRow, ...] = ()

    def set_view(self, view: BasketView) -> None:
        self.beginResetModel()
        self.view = view
        self.rows = basket_rows(view, self.ui_locale)
        self.endResetModel()

    def row_of(self, line_id: uuid.UUID) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.line_id == line_id), None)

    def line_at(self, row: int) -> Any:
        """The ``BasketLine`` shown in ``row``, or None."""
        if self.view is None or not 0 <= row < len(self.view.lines):
            return None
        return self.view.lines[row]

    # -- QAbstractTableModel -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(index.column())
        if role == Qt.ItemDataRole.FontRole and row.voided:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.voided:
            return QBrush(VOIDED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:  # a long name is cut on a small screen: the tooltip has it whole
            tip = [row.cells[index.column()]] if index.column() == NAME_COLUMN else []
            return "\n".join(tip + ([_("Voided")] if row.voided else [])) or None
        return None


def _alignment(column: int) -> Qt.AlignmentFlag:
    horizontal = Qt.AlignmentFlag.AlignRight if column in NUMBER_COLUMNS else Qt.AlignmentFlag.AlignLeft
    if column == 5:
        horizontal = Qt.AlignmentFlag.AlignHCenter
    return horizontal | Qt.AlignmentFlag.AlignVCenter
