"""The cashier's window: sign-in screen, then the sale screen, with the status bar below.

``MainWindow(services)`` is all the composition root needs.  On first show it reopens the
basket saved before a crash (on the till worker); every basket change arrives through the
session's ``changed`` signal and refreshes the screen, the status bar and the printer."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from pos.i18n import _, ngettext
from pos.sale import Sale
from pos.store_day.paid_sale import cash_changes_hands
from pos.till import TillResult
from ui import formatting
from ui.customer_display.follower import CustomerFacing
from ui.errors import show_problem
from ui.printing import PrinterWatch
from ui.qt import QCloseEvent, QMainWindow, QResizeEvent, QShowEvent, QStackedWidget, QWidget, qconnect
from ui.sale_actions import SaleActions
from ui.sale_screen import SaleScreen
from ui.scanning.setup import Scanning
from ui.services import TillServices
from ui.session import TillSession
from ui.sign_in import SignInScreen
from ui.status_bar import TillStatusBar
from ui.style import stylesheet_for
from ui.weighing import Weighing

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, services: TillServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        store = services.store
        self.setWindowTitle(_("Kassa — {store}, till {till}").format(store=store.name, till=store.till_id))
        self.services = services
        self.session = TillSession(services)
        self.printer = PrinterWatch(self.session, enabled=_printing_enabled(services))
        self.sign_in_screen = SignInScreen(f"{store.name} · {store.address} · {store.till_id}", self)
        self.sale_screen = SaleScreen(services.ui_locale, self)
        self.sale_actions = SaleActions(self.session, self.sale_screen, self.printer, self)
        self.status = TillStatusBar(self.session, self)
        self.setStatusBar(self.status)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.sign_in_screen)
        self.stack.addWidget(self.sale_screen)
        self.setCentralWidget(self.stack)
        self.started = False  # till.start() has answered
        self._start_asked = False
        self._shut_down = False

        qconnect(self.session.changed, self.show_result)
        qconnect(self.sign_in_screen.sign_in_requested, self.sign_in)
        qconnect(self.sale_screen.action_requested, self._sale_screen_action)
        qconnect(self.printer.state_changed, self.status.show_printer)
        self.status.show_printer(self.printer.state)
        self.show_sign_in()
        self.weighing = Weighing(self)  # F6: the scale's weight into the sale
        self.customer_facing = CustomerFacing.for_window(self.session, self)  # None without [customer_display]
        self.scanning = Scanning(services, self.sale_actions, self.status.show_scanner, self)  # scans wherever the focus is
        self.inactivity = (store_day_hook("ui.sale_control.inactivity", "install_inactivity_lock", self)
                           if services.store_day is not None else None)  # locks the till after the idle time

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """A small screen gets slightly smaller fonts and paddings (the dialogs too)."""
        look = stylesheet_for(event.size().width(), event.size().height())
        if look != self.styleSheet():
            self.setStyleSheet(look)
        super().resizeEvent(event)

    # -- start and sign-in -------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._start_asked:
            self._start_asked = True
            self.session.change(lambda till: till.start()).success(self._started).failure(self._start_failed).run()
            self.status.refresh_counts()
            self.printer.print_now()  # receipts left in the queue before a restart
            if self.services.sync_worker is not None and not self.services.sync_worker.is_alive():
                self.services.sync_worker.start()

    def _started(self, result: TillResult) -> None:
        self.started = True
        reopened = int(result.view.item_count)  # as "Items: N" counts them (a weighed line is one)
        if reopened:
            text = ngettext(
                "Sale reopened with {count} item after restart",
                "Sale reopened with {count} items after restart",
                reopened,
            ).format(count=formatting.count(reopened, self.services.ui_locale))
            self.sale_screen.message.show_notice(text)
            self.sign_in_screen.message.show_notice(text)

    def _start_failed(self, error: BaseException) -> None:
        self.started = True
        show_problem(self.sign_in_screen.message, error)

    def sign_in(self, cashier_code: str, pin: str) -> None:
        (
            self.session.change(lambda till: till.sign_in(cashier_code, pin))
            .success(lambda _result: self._signed_in())
            .failure(self._sign_in_refused)
            .run()
        )

    def _signed_in(self) -> None:
        """The sale screen; with a store's day and no shift open, the open-shift dialog first."""
        self.show_sale()
        if self.services.store_day is None:
            return

        def shift_known(shift: object) -> None:
            if shift is None and self.sale_actions.dialog is None:
                store_day_hook("ui.shift.actions", "ask_for_shift", self.sale_actions)

        self.session.query(lambda till, _journal: till.day.shift if till.day else True).success(shift_known).failure(
            self.sale_actions.problem).run()

    def _sign_in_refused(self, error: BaseException) -> None:
        show_problem(self.sign_in_screen, error)

    def sign_out(self) -> None:
        self.session.change(lambda till: till.sign_out()).success(lambda _r: self.show_sign_in()).failure(
            self.sale_actions.problem
        ).run()

    def _sale_screen_action(self, action: str) -> None:
        if action == "sign_out" and self.sale_actions.dialog is None:
            self.sign_out()

    def show_sign_in(self) -> None:
        self.stack.setCurrentWidget(self.sign_in_screen)
        self.sign_in_screen.reset()

    def show_sale(self) -> None:
        if self.sign_in_screen.message.kind == "error":
            self.sign_in_screen.message.clear_message()
        self.stack.setCurrentWidget(self.sale_screen)
        self.sale_screen.focus_scan_field()

    def on_sale_screen(self) -> bool:
        return self.stack.currentWidget() is self.sale_screen

    # -- every change ------------------------------------------------------------------
    def show_result(self, result: TillResult) -> None:
        """Changes drive refreshes: one place updates everything a TillResult touches."""
        screen = self.sale_screen
        screen.show_view(result.view, select=result.line.line_id if result.line else None)
        self.status.show_cashier(result.cashier)
        if result.sale is not None:
            sale = result.sale
            screen.totals.show_change(sale.change)
            screen.message.show_notice(_("Receipt {number} saved").format(number=sale.receipt_number))
            self.open_drawer_for(sale)
            self.printer.print_now()
        elif result.basket_changed:
            screen.totals.clear_change()
            screen.message.clear_message()
        else:
            screen.message.clear_error()
        if result.journal_changed:
            self.status.refresh_counts()

    def open_drawer_for(self, sale: Sale) -> None:
        """Cash taken or given back: the drawer opens (the printer's drawer port, ESC p on the pin
        of ``[store_day] drawer_pin``), on the printer worker, before the receipt prints."""
        day = self.services.store_day
        if day is None or not day.rules.open_drawer or not self.printer.enabled:
            return
        if not cash_changes_hands(sale):
            return
        pin = day.rules.drawer_pin
        (self.session.printing(lambda spooler: spooler.open_drawer(pin))
         .failure(lambda error: show_problem(self.sale_screen.message, error)).run())

    # -- for tests and for shutting down -----------------------------------------------
    def is_idle(self) -> bool:
        """Nothing queued on either worker and every result delivered."""
        return self.session.is_idle()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the timers, finish the queued till work and printing, stop the workers."""
        if self._shut_down:
            return
        self._shut_down = True
        self.status.stop()
        self.printer.stop()
        self.weighing.stop()
        self.scanning.stop()
        stop = getattr(self.inactivity, "stop", None)
        if callable(stop):
            stop()
        if self.customer_facing is not None:
            self.customer_facing.stop()
        self.session.shutdown()
        if self.services.sync_worker is not None:
            self.services.sync_worker.stop()
        log.info("till window closed")


def store_day_hook(module_name: str, function_name: str, *args: object) -> Any:
    """Call a store's day screen's entry point (ui.shift, ui.sale_control...), logged if missing."""
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError):
        log.exception("the store's day entry %s.%s is missing", module_name, function_name)
        return None
    return function(*args)


def _printing_enabled(services: TillServices) -> bool:
    return services.spooler is not None and bool(getattr(services, "printing_enabled", True))
