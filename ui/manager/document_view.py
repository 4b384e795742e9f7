"""One sale or return from the journal, as recorded: its lines, what was paid or given back by
each tender, and a copy printed on demand (a sale through the print queue, marked COPY; a
return as its first print was, marked COPY: the reason's label and the card each gift card
refund goes back on, ``ui.returns.return_printing``)."""

from __future__ import annotations

import uuid

from local_db.journal_search import SALE, JournalEntry
from pos.i18n import N_, _
from pos.printing import ReceiptSpooler
from pos.sale import Sale
from pos.store_day.returns import ReturnDocument
from pos.store_day.returns_desk import HubLookup
from pos.till import Till
from ui import formatting
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.list_model import RowsModel, list_table
from ui.manager.common import Desk, tender_name
from ui.message_area import MessageArea
from ui.returns.hub import hub_lookup
from ui.returns.return_printing import ReturnCopy, copy_of_return, print_copy
from ui.qt import QDialog, QHBoxLayout, QKeyEvent, QLabel, Qt, QVBoxLayout, QWidget, qconnect

HEADERS = (N_("Item"), N_("Quantity"), N_("Price"), N_("Total"))
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
Row = tuple[str, str, str, str]


def read_document(till: Till, entry: JournalEntry) -> Sale | ReturnDocument | None:
    """The recorded sale or return (on the till worker)."""
    if entry.kind == SALE:
        return till.journal.get_sale(entry.document_id)
    day = till.day
    return None if day is None else day.journal.get_return(entry.document_id)  # type: ignore[attr-defined, no-any-return]


def _read(till: Till, entry: JournalEntry,
          hub: HubLookup | None) -> tuple[Sale | ReturnDocument | None, ReturnCopy | None]:
    """The document and, for a return, what its copy prints besides it (on the till worker)."""
    document = read_document(till, entry)
    return document, copy_of_return(till, document, hub) if isinstance(document, ReturnDocument) else None


def document_rows(document: Sale | ReturnDocument, desk: Desk) -> list[Row]:
    m, loc = desk.money, desk.ui_locale
    rows: list[Row] = []
    for line in document.lines:
        name = line.name
        if isinstance(document, Sale) and document.lines and getattr(line, "voided", False):
            name = _("{name} (voided)").format(name=line.name)
        rows.append((name, formatting.quantity(line.quantity, line.sold_by_weight, loc), m(line.unit_price),
                     m(line.total)))
    if isinstance(document, Sale):
        rows.append((_("Total"), "", "", m(document.due)))
        for payment in document.payments:
            rows.append((tender_name(payment.method), "", "", m(payment.amount)))
            if payment.change.amount:
                rows.append((_("Change"), "", "", m(payment.change)))
    else:
        rows.append((_("Given back"), "", "", m(document.refunded)))
        for refund in document.refunds:
            rows.append((tender_name(refund.payment.method), "", "", m(refund.payment.amount)))
        if document.reason:
            rows.append((_("Reason"), "", "", document.reason))
    return rows


def can_print_returns() -> bool:
    return callable(getattr(ReceiptSpooler, "print_return", None))


class DocumentDialog(QDialog):
    def __init__(self, desk: Desk, entry: JournalEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentDialog")
        self.setModal(True)
        self.desk, self.entry = desk, entry
        self.document: Sale | ReturnDocument | None = None
        self.return_copy: ReturnCopy | None = None  # a return's reason label and gift cards, as first printed
        heading = _("Receipt {number}") if entry.kind == SALE else _("Return {number}")
        self.setWindowTitle(heading.format(number=entry.number))
        title = QLabel(heading.format(number=entry.number), self)
        title.setObjectName("screenTitle")
        self.facts = QLabel(_("{time} · {cashier}").format(time=desk.time(entry.at), cashier=entry.cashier), self)
        self.facts.setWordWrap(True)
        self.model: RowsModel[Row] = RowsModel(HEADERS, lambda row: row, frozenset({1, 2, 3}), self)
        self.table = list_table(self.model, 0, self)
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.message = MessageArea(self)
        self.print_button = big_button(_("Enter  Print a copy"), self, "primaryButton")
        close = big_button(_("Esc  Close"), self)
        qconnect(self.print_button.clicked, self.print_copy)
        qconnect(close.clicked, self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(self.facts)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.resize(parent.size() if parent is not None else self.size())
        hub = None if entry.kind == SALE else hub_lookup(desk.services)
        desk.session.query(lambda till, _j: _read(till, entry, hub)).success(self._show).failure(
            lambda error: show_problem(self.message, error)).run()

    def _show(self, read: tuple[Sale | ReturnDocument | None, ReturnCopy | None]) -> None:
        document, self.return_copy = read
        if document is None:
            self.message.show_error(_("This document is not in this till's journal."))
            return
        self.document = document
        self.model.set_items(document_rows(document, self.desk))
        if isinstance(document, ReturnDocument) and document.original_receipt_number:
            self.facts.setText(self.facts.text() + " · " + _("of receipt {number}").format(
                number=document.original_receipt_number))

    def print_copy(self) -> None:
        document = self.document
        if document is None:
            return
        if not self.desk.printer.enabled:
            self.message.show_error(_("Printing is disabled on this till."))
            return
        if isinstance(document, Sale):
            self._reprint_sale(document.sale_id)
        elif can_print_returns():
            copy = self.return_copy or ReturnCopy(document, document.reason)
            self.desk.session.printing(lambda spooler: print_copy(spooler, copy)).success(
                lambda _r: self.message.show_notice(_("Printing a copy."))).failure(
                lambda error: show_problem(self.message, error)).run()
        else:
            self.message.show_error(_("Printing returns is not available on this till yet."))

    def _reprint_sale(self, sale_id: uuid.UUID) -> None:
        self.desk.printer.reprint(sale_id)
        self.message.show_notice(_("Printing a copy of receipt {number}.").format(number=self.entry.number))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in ENTER_KEYS:
            self.print_copy()
        else:
            super().keyPressEvent(event)
