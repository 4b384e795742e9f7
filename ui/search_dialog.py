"""Finding a product by name, brand or code: type (searches after a 150 ms pause, on the till
worker), Up/Down to choose, Enter to add it (weighed goods ask for the weight), Esc to close."""

from __future__ import annotations

from decimal import Decimal

from pos.catalog import Product
from pos.i18n import N_, _
from pos.quantity import parse_decimal
from pos.till import TillResult
from ui import formatting
from ui.dialogs import EntryDialog, TillDialog
from ui.list_model import RowsModel, list_table, move_selection, selected_row
from ui.operations import Op
from ui.qt import QKeyEvent, QLabel, QLineEdit, Qt, QTimer, QVBoxLayout, QWidget, Signal, qconnect
from ui.session import TillSession

DEBOUNCE_MS = 150
QUOTE_LIMIT = 40  # characters of the search text quoted back in a message
HEADERS = (N_("Name"), N_("Brand"), N_("Code"), N_("Price"))


class SearchField(QLineEdit):
    move_selection = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_selection.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)


class SearchDialog(TillDialog):
    def __init__(self, session: TillSession, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(_("Search products"), parent)
        self.setObjectName("searchDialog")
        self.session = session
        ui_locale = session.services.ui_locale
        self.model: RowsModel[Product] = RowsModel(
            HEADERS,
            lambda p: (p.name, p.brand, p.code, formatting.money(p.price, ui_locale)),
            frozenset({3}),
            self,
        )
        self.field = SearchField(text, self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(_("Name, brand or code"))
        self.field.setMinimumHeight(56)
        self.results = list_table(self.model, 0, self)
        self.weight_dialog: EntryDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._asked = 0  # number of the latest search asked for
        self._answered = 0  # number of the latest search whose results are shown
        self._add_when_found = False

        qconnect(self._timer.timeout, self.search_now)
        qconnect(self.field.textEdited, lambda _text: self._timer.start())
        qconnect(self.field.returnPressed, self.add_selected)
        qconnect(self.field.move_selection, lambda step: move_selection(self.results, step))
        hint = QLabel(_("Up/Down to choose, Enter to add, Esc to close."), self)
        hint.setObjectName("hint")
        column = QVBoxLayout(self)
        column.addWidget(self.field)
        column.addWidget(hint)
        column.addWidget(self.results, 1)
        column.addWidget(self.message)
        self.resize(900, 600)
        if text.strip():
            self.search_now()

    # -- searching ---------------------------------------------------------------------
    def search_now(self) -> None:
        self._timer.stop()
        self._asked += 1
        number, text = self._asked, self.field.text()
        (
            self.session.query(lambda till, _journal: till.search(text))
            .success(lambda found: self._found(number, found))
            .failure(lambda error: self._search_failed(number, error))
            .run()
        )

    def _search_failed(self, number: int, error: BaseException) -> None:
        if self.closed:
            return
        if number == self._asked:
            self._answered = number
            self._add_when_found = False
        self.failed(error)

    def is_searching(self) -> bool:
        return self._timer.isActive() or self._answered != self._asked

    def _found(self, number: int, products: list[Product]) -> None:
        if number != self._asked or self.closed:  # an older search answered late, or nobody is looking
            return
        self._answered = number
        self.model.set_items(products)
        if products:
            self.results.selectRow(0)
            self.message.clear_message()
        elif self.field.text().strip():
            self.message.show_notice(_("Nothing found for “{text}”.").format(text=_quoted(self.field.text().strip())))
        if self._add_when_found:
            self._add_when_found = False
            self.add_selected()

    # -- adding ------------------------------------------------------------------------
    def add_selected(self) -> None:
        if self.is_searching():  # Enter came before the results: add when they arrive
            self._add_when_found = True
            if self._timer.isActive():
                self.search_now()
            return
        row = selected_row(self.results)
        product = self.model.item(row if row is not None else 0)
        if product is None:
            return
        if product.sold_by_weight:
            self.ask_weight(product)
        else:
            self.run_then_close(self.session.change(lambda till: till.add_product(product)))

    def ask_weight(self, product: Product) -> None:
        def add(text: str) -> Op[TillResult]:
            return self.session.change(lambda till: till.add_product(product, _weight(text)))

        dialog = EntryDialog(
            _("Weight"),
            _("{name}: weight in kg (for example 0.350)").format(name=product.name),
            "",
            add,
            self,
        )
        qconnect(dialog.accepted, self.accept)
        self.weight_dialog = dialog
        dialog.open()


def _quoted(text: str) -> str:
    """What was typed, as a message quotes it: 300 scanned digits are not read back whole."""
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def _weight(text: str) -> Decimal:
    return parse_decimal(text)
