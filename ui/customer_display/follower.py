"""The customer display follows the sale: every ``TillResult`` the session announces becomes a
``CustomerScreen`` in the store's language, shown in the customer window and sent to the pole
display on a worker thread of its own (a slow or unplugged display never holds the till)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pos.receipt import StoreInfo
from pos.till import TillResult
from ui.customer_display.options import CustomerDisplayOptions
from ui.customer_display.texts import CustomerScreen, CustomerTexts
from ui.customer_display.window import CustomerWindow
from ui.operations import Op, Worker
from ui.qt import QObject, QWidget, qconnect

if TYPE_CHECKING:
    from ui.session import TillSession

log = logging.getLogger(__name__)


class CustomerFacing(QObject):
    def __init__(self, session: TillSession, options: CustomerDisplayOptions, store: StoreInfo, parent: QWidget) -> None:
        super().__init__(parent)
        self.texts = CustomerTexts(store.locale, store.name)
        self.options = options
        self.window = CustomerWindow(store.name, parent) if options.enabled else None
        self.pole = options.pole
        self.pole_worker = Worker("pole-display") if self.pole is not None else None
        self.screen = self.texts.welcome()
        self._paid_shown = False
        self._pole_failing = False
        self._last_pole: tuple[str, str] | None = None
        qconnect(session.changed, self.follow)
        self.show_screen(self.screen)
        if self.window is not None:
            self.window.place(options)

    @classmethod
    def for_window(cls, session: TillSession, parent: QWidget) -> CustomerFacing | None:
        options = session.services.customer_display
        if options is None or not (options.enabled or options.pole is not None):
            return None
        return cls(session, options, session.services.store, parent)

    def follow(self, result: TillResult) -> None:
        if result.sale is not None:
            self._paid_shown = True
            self.show_screen(self.texts.paid(result.sale))
            return
        if self._paid_shown and not any(not line.voided for line in result.view.lines):
            return  # the change stays on the screen until the next customer's first item
        self._paid_shown = False
        self.show_screen(self.texts.basket(result.view))

    def show_screen(self, screen: CustomerScreen) -> None:
        self.screen = screen
        if self.window is not None:
            self.window.show_screen(screen)
        if self.pole is not None and self.pole_worker is not None:
            lines = (screen.pole_upper, screen.pole_lower)
            if lines == self._last_pole:
                return
            self._last_pole = lines
            pole = self.pole
            Op(lambda: pole.show(*lines), self.pole_worker).success(self._pole_works).failure(self._pole_failed).run()

    def _pole_works(self, _result: object) -> None:
        if self._pole_failing:
            log.info("the pole display works again")
        self._pole_failing = False

    def _pole_failed(self, error: BaseException) -> None:
        self._last_pole = None  # sent again at the next change (the display may be back)
        if not self._pole_failing:
            log.warning("the pole display failed: %s", error)
        self._pole_failing = True

    def stop(self) -> None:
        if self.pole_worker is not None:
            self.pole_worker.shutdown()
        if self.pole is not None:
            self.pole.close()
        if self.window is not None:
            self.window.close()
