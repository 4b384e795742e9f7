"""What the cashier's keys mean on the sale screen: scan or search what was typed, change a
line's quantity, void a line, reprint a receipt, take cash.  Each runs on the till worker;
results reach the screen through the session's ``changed`` signal, problems through
``ui.errors.show_problem``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pos.basket import BasketLine
from pos.errors import PosError
from pos.i18n import _
from pos.receipt_code import looks_like_receipt_code
from pos.sale import Sale
from pos.scan import Words, read_scan
from pos.till import ExpiredItem, TillResult, UnknownBarcode
from pos.store_day.roles import Action
from ui import formatting
from ui.approval import permit
from ui.customers.actions import identify_by_card
from ui.sale_control.approvals import change_quantity_with_approval, void_with_approval
from ui.dialogs import ConfirmDialog, EntryDialog
from ui.errors import show_problem
from ui.payment_dialog import PaymentDialog
from ui.printing import PrinterWatch
from ui.qt import QDialog, QEvent, QKeyEvent, QObject, Qt, QWidget, qconnect
from ui.quarantine_dialog import QuarantineDialog
from ui.reprint_dialog import ReprintDialog
from ui.sale_screen import SaleScreen
from ui.search_dialog import SearchDialog
from ui.session import TillSession
from ui.promo_codes.actions import code_or_search
from ui.store_menu import RETURN_BY_CODE, StoreMenu, run_entry

class SaleActions(QObject):
    def __init__(self, session: TillSession, screen: SaleScreen, printer: PrinterWatch, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.screen = screen
        self.printer = printer
        self.window = window
        self.dialog: QDialog | None = None  # the dialog now open, if any
        qconnect(screen.scan_entered, self.scan_or_search)
        qconnect(screen.action_requested, self.act)
        qconnect(printer.reprint_failed, screen.message.show_error)
        screen.installEventFilter(self)  # Ctrl+Q: the quarantine (the sale screen knows no such key)
        screen.scan_field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Q
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if self.dialog is None:
                self.quarantine()
            return True
        return super().eventFilter(watched, event)

    def act(self, action: str) -> None:
        handlers = {
            "search": lambda: self.search(self.screen.scan_field.text()),
            "quantity": self.change_quantity,
            "void": self.void_line,
            "reprint": self.reprint,
            "pay": self.pay,
            "menu": self.menu,
        }
        handler = handlers.get(action)
        if handler is not None and self.dialog is None:
            handler()

    def problem(self, error: BaseException) -> None:
        show_problem(self.screen.message, error)

    # -- scanning and searching --------------------------------------------------------
    def scan_or_search(self, text: str) -> None:
        """Codes go to the till in the order typed (the worker queues them); words open the search,
        unless they are a promo code (applied); a receipt's code (pos.receipt_code) starts a return."""
        if looks_like_receipt_code(text):
            self.screen.scan_field.clear()
            run_entry(RETURN_BY_CODE, self, text)
            return
        try:
            reading = read_scan(text)
        except PosError as error:  # a code that cannot be read: said at once, quoting it
            self.problem(error)
            return
        if isinstance(reading, Words):  # a promo code the book knows is applied; other words are searched
            code_or_search(self, text, otherwise=lambda: self.search(text))
        else:
            self.sell(text)

    def sell(self, text: str, sell_expired: bool = False) -> None:
        (
            self.session.change(lambda till: till.scan(text, sell_expired=sell_expired))
            .failure(lambda error: self._not_sold(text, error))
            .run()
        )

    def _not_sold(self, text: str, error: BaseException) -> None:
        """An expired item is the cashier's call: asked, and sold only if they say so.  A code
        that is no product may be a customer's loyalty card (ui.customers)."""
        if isinstance(error, UnknownBarcode) and self.dialog is None:
            identify_by_card(self, text, otherwise=lambda: self.problem(error))
            return
        if not isinstance(error, ExpiredItem) or self.dialog is not None:
            self.problem(error)
            return
        ui_locale = self.session.services.ui_locale
        fact = error.user_message(show=lambda value: formatting.message_field(value, ui_locale))
        dialog = ConfirmDialog(
            _("Expired item"), fact + " " + _("Sell it anyway?"), _("Sell"), _("Do not sell"), self.window
        )
        dialog.setObjectName("expiredDialog")
        qconnect(dialog.accepted, lambda: self.sell(text, sell_expired=True))
        self._open(dialog)

    # -- scanners (ui.scanning) --------------------------------------------------------
    def scan_may_come_from(self, widget: QWidget) -> bool:
        """Whether keys in ``widget`` may be a keyboard-wedge scan for the basket: anywhere on
        the sale screen, its scan field too (a field drops a GS1 code's group separators); in the search dialog (a scan sells, it is not
        searched for); in a yes/no question (a scan must not answer it: it is dropped)."""
        if isinstance(self.dialog, (SearchDialog, ConfirmDialog)):
            return widget.window() is self.dialog
        if self.dialog is not None:
            return False
        return widget.window() is self.window and self.screen.isVisible()

    def scanned_anywhere(self, code: str) -> None:
        if isinstance(self.dialog, ConfirmDialog):
            self.screen.message.show_error(_("Answer the question first, then scan again."))
            return
        if isinstance(self.dialog, SearchDialog):
            self.dialog.reject()  # the scanner answered the search
        typed = self.screen.scan_field.text().strip()
        if typed.endswith("*"):  # "3*" typed, then the item scanned: three of it
            code = typed + code
        self.screen.scan_field.clear()
        self.scan_or_search(code)

    def scanned_by_serial(self, code: str) -> None:
        if self.dialog is not None and not isinstance(self.dialog, SearchDialog):
            self.screen.message.show_error(_("Close the open window first, then scan again."))
            return
        if not self.screen.isVisible():
            return  # nobody signed in: nothing is sold
        self.scanned_anywhere(code)

    def search(self, text: str = "") -> None:
        self.screen.scan_field.clear()
        self._open(SearchDialog(self.session, text.strip(), self.window))

    # -- lines -------------------------------------------------------------------------
    def selected_line(self) -> BasketLine | None:
        """The selected line that is not voided, or None after saying why (for the menu's screens)."""
        return self._selected_line()

    def _selected_line(self) -> BasketLine | None:
        row = self.screen.selected_row()
        line: BasketLine | None = self.screen.model.line_at(row) if row is not None else None
        if line is None:
            self.screen.message.show_error(_("Select a line first (Up/Down)."))
        elif line.voided:
            self.screen.message.show_error(_("That line is voided."))
            return None
        return line

    def change_quantity(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        line_id = line.line_id
        if line.product.sold_by_weight:
            prompt = _("{name}: new weight in kg").format(name=line.product.name)
        else:
            prompt = _("{name}: new quantity").format(name=line.product.name)

        def submit(text: str) -> Any:
            return change_quantity_with_approval(self, line_id, text)  # a label's weight: a manager approves

        ui_locale = self.session.services.ui_locale
        shown = formatting.quantity(line.quantity, line.product.sold_by_weight, ui_locale)  # 0,350 in uk
        self._open(EntryDialog(_("Quantity"), prompt, shown, submit, self.window, ui_locale))

    def void_line(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        line_id, number = line.line_id, (self.screen.selected_row() or 0) + 1
        dialog = ConfirmDialog(
            _("Void line"),
            _("Void line {number}: {name}?").format(number=number, name=line.product.name),
            _("Void"),
            _("Keep"),
            self.window,
        )
        qconnect(dialog.accepted, lambda: void_with_approval(self, line_id))  # above the role: a manager approves
        self._open(dialog)

    # -- receipts and payment ----------------------------------------------------------
    def reprint(self) -> None:
        if not self.printer.enabled:
            self.screen.message.show_error(_("Printing is disabled on this till."))
            return
        def choose() -> None:
            self.session.query(lambda _till, journal: journal.recent_sales()).success(self._choose_receipt).failure(
                self.problem
            ).run()

        permit(self, Action.REPRINT, choose)  # everyone by default; the chain may narrow it

    def _choose_receipt(self, sales: list[Sale]) -> None:
        if self.dialog is not None:
            return
        services = self.session.services
        dialog = ReprintDialog(sales, services.ui_locale, services.store.timezone, self.window)
        qconnect(dialog.reprint_requested, self._reprint)
        qconnect(dialog.number_requested, lambda number: self._reprint_number(number, dialog))
        self._open(dialog)

    def _reprint_number(self, number: int, dialog: ReprintDialog) -> None:
        """Looked up with the dialog open: it closes once the receipt is found, and otherwise
        says so under the field for the cashier to correct the number."""

        def found(sale: Sale | None) -> None:
            if self.dialog is not dialog:
                return  # closed meanwhile (Esc): nothing is printed
            if sale is None:
                dialog.refuse_number(_("There is no receipt {number} in this till's journal.").format(number=number))
            else:
                self._reprint(sale)
                dialog.accept()

        self.session.query(lambda _till, journal: journal.sale_by_receipt_number(number)).success(found).failure(
            self.problem
        ).run()

    def _reprint(self, sale: Sale) -> None:
        self.printer.reprint(sale.sale_id)
        self.screen.message.show_notice(_("Printing a copy of receipt {number}.").format(number=sale.receipt_number))

    def pay(self) -> None:
        self.session.change(lambda till: till.begin_payment()).success(self._take_cash).failure(self.problem).run()

    def _take_cash(self, result: TillResult) -> None:
        if self.dialog is not None:
            return
        self._open(PaymentDialog(self.session, result.view, self.window))

    def quarantine(self) -> None:
        """The sales the hub refused (a manager's screen)."""
        services = self.session.services
        if services.sync is None:
            self.screen.message.show_error(_("This till is not linked to a hub."))
            return
        folder = services.export_folder or Path.home()
        sync = services.sync

        def open_it() -> None:
            if self.dialog is None:
                self._open(QuarantineDialog(self.session, sync, folder, self.window))

        permit(self, Action.QUARANTINE, open_it)  # a manager's screen: others need a manager's approval

    def menu(self) -> None:
        """F10: the store's day menu (ui.store_menu); the chosen entry runs once it closed."""
        menu = StoreMenu(self.window)

        def chosen(_code: int) -> None:
            if menu.chosen is not None:
                run_entry(menu.chosen, self)

        self._open(menu)
        qconnect(menu.finished, chosen)  # after _open's own: the menu is closed when the entry runs

    # -- dialogs -----------------------------------------------------------------------
    def open_dialog(self, dialog: QDialog) -> None:
        """Open a dialog of the sale screen (one at a time; the scan field gets the keys back after)."""
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        qconnect(dialog.finished, lambda _code: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.screen.focus_scan_field()
