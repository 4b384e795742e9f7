"""The basket as the cashier's table: rows built from an immutable ``BasketView``.

``basket_rows`` is the plain view-model (what each cell says); ``BasketTableModel`` is the
thin Qt model a ``QTableView`` shows.  Voided lines stay visible, struck through and grey.

A line that promotions reduced shows its net in the Total column, and under its name one
line per promotion with what it took off ("3 for 2  −89.90"); its tooltip says the line's
price before promotions too.  The priced basket comes with the view (computed on the till
worker), so nothing here waits on anything.

A gift card line is named in the cashier's language with its card masked, "Gift card **** 9015"
(the card of ``view.gift_cards`` with that line's id), never by the product's stored name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pos.basket import BasketLine
from pos.gift_cards.numbers import short_masked
from pos.gift_cards.records import GIFT_CARD_CODE
from pos.i18n import N_, _
from pos.till import BasketView
from ui import formatting
from ui.qt import QAbstractTableModel, QBrush, QColor, QFont, QModelIndex, QPersistentModelIndex, Qt, QWidget

COLUMNS = (N_("#"), N_("Item"), N_("Qty"), N_("Price"), N_("Total"), N_("VAT"))
NUMBER_COLUMNS = frozenset({0, 2, 3, 4})
NAME_COLUMN = 1
TOTAL_COLUMN = 4
DISCOUNT_INDENT = "    "  # a discount under its line's name
DISCOUNT_NAME_CHARS = 24  # a longer promotion name is cut (whole in the tooltip) so its amount always shows
VOIDED_COLOUR = QColor("#9a9a9a")

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class BasketRow:
    line_id: uuid.UUID
    cells: tuple[str, ...]
    voided: bool
    sold_by_weight: bool
    discounts: tuple[str, ...] = ()  # "3 for 2  −89.90": one per promotion that reduced the line
    gross: str = ""  # the line before promotions, when they reduced it
    whole_discounts: tuple[str, ...] = ()  # the same with each promotion's whole name (the tooltip)

    @property
    def explained_name(self) -> str:
        """The Item cell: the name, and under it the line's discounts."""
        return "\n".join((self.cells[NAME_COLUMN], *(DISCOUNT_INDENT + d for d in self.discounts)))


def line_name(view: BasketView, line: BasketLine) -> str:
    """The line's name as the cashier reads it: a gift card line says its card ("Gift card **** 9015")."""
    if line.product.code != GIFT_CARD_CODE:
        return line.product.name
    number = next((g.card_number for g in view.gift_cards if g.line_id == line.line_id), "")
    return _("Gift card {card}").format(card=short_masked(number)) if number else _("Gift card")


def basket_rows(view: BasketView, ui_locale: str = "en") -> tuple[BasketRow, ...]:
    priced = {p.line.line_id: p for p in view.priced.lines} if view.priced is not None else {}
    rows = []
    for number, line in enumerate(view.lines, start=1):
        weighed = line.product.sold_by_weight
        qty = formatting.quantity(line.quantity, weighed, ui_locale)
        p = priced.get(line.line_id)
        reduced = p is not None and not line.voided and not p.discount.is_zero()
        cells = (
            str(number),
            line_name(view, line),
            _("{quantity} kg").format(quantity=qty) if weighed else qty,
            formatting.money(line.product.price, ui_locale),
            formatting.money(p.net if reduced and p is not None else line.total, ui_locale),
            line.product.vat.code,
        )
        given = [d for d in (p.discounts if reduced and p is not None else ()) if not d.amount.is_zero()]
        discounts = tuple(f"{_short(d.name)}  {formatting.discount(d.amount, ui_locale)}" for d in given)
        whole = tuple(f"{d.name}  {formatting.discount(d.amount, ui_locale)}" for d in given)
        gross = formatting.money(line.total, ui_locale) if reduced else ""
        rows.append(BasketRow(line.line_id, cells, line.voided, weighed, discounts, gross, whole))
    return tuple(rows)


def offers_text(view: BasketView) -> str:
    """The gifts the customer is entitled to and has not got yet, one sentence each (for the
    message area): the gift's product name (looked up by the till worker; its code if the
    catalog has none) and the promotion that gives it."""
    offers = view.priced.offers if view.priced is not None else ()
    sentences = []
    for offer in offers:
        name = view.gift_name(offer.product_code)
        product = name if offer.quantity == 1 else f"{offer.quantity} × {name}"
        sentences.append(_("Free gift: {product} ({promotion}), scan it to add").format(
            product=product, promotion=offer.name))
    return "\n".join(sentences)


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
            return row.explained_name if index.column() == NAME_COLUMN else row.cells[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(index.column(), top=bool(row.discounts))
        if role == Qt.ItemDataRole.FontRole and row.voided:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.voided:
            return QBrush(VOIDED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:  # a long name is cut on a small screen: the tooltip has it whole
            tip = ["\n".join((row.cells[NAME_COLUMN], *(DISCOUNT_INDENT + d for d in row.whole_discounts)))
                   ] if index.column() == NAME_COLUMN else []
            if row.gross and index.column() in (NAME_COLUMN, TOTAL_COLUMN):
                tip.append(_("Before promotions: {amount}").format(amount=row.gross))
            return "\n".join(tip + ([_("Voided")] if row.voided else [])) or None
        return None


def _alignment(column: int, *, top: bool = False) -> Qt.AlignmentFlag:
    """Numbers right, the VAT code centred; a row with discounts under its name keeps every
    cell on the name's line (top)."""
    horizontal = Qt.AlignmentFlag.AlignRight if column in NUMBER_COLUMNS else Qt.AlignmentFlag.AlignLeft
    if column == 5:
        horizontal = Qt.AlignmentFlag.AlignHCenter
    return horizontal | (Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignVCenter)


def _short(name: str) -> str:
    """A promotion's name as short as the Item column allows beside its amount."""
    return name if len(name) <= DISCOUNT_NAME_CHARS else name[:DISCOUNT_NAME_CHARS - 1].rstrip() + "\u2026"
