"""The inactivity lock: an application event filter notes every key, touch and mouse press
(and every change the till answers, a serial scan too); a timer asks the store's day rule
(``rules.inactivity.is_due(last, now)``, the till's clock) whether the till should lock.

When it is due the till locks (``till.lock()``) and the lock screen opens; whatever dialog
was open is closed as Esc would (nothing half done is kept) -- except a payment under way:
while the payment dialog is open, or the till worker is busy (a card terminal being
waited on), the lock waits, and locks at the next check once the payment is over.  Nobody
signed in (the sign-in screen): nothing to lock."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pos.ports import Clock
from pos.store_day.lock import InactivityLock
from ui.qt import QApplication, QEvent, QObject, QTimer, qconnect
from ui.sale_control.lock_screen import LockScreen, lock_till

if TYPE_CHECKING:
    from ui.main_window import MainWindow

CHECK_EVERY_MS = 5_000
ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
})
PAYMENT_MODULES = ("ui.payment_dialog", "ui.payment")  # a payment under way is never interrupted


class InactivityWatch(QObject):
    def __init__(self, window: MainWindow, rule: InactivityLock, clock: Clock, check_every_ms: int = CHECK_EVERY_MS) -> None:
        super().__init__(window)
        self.window = window
        self.rule = rule
        self.clock = clock
        self.last_activity: datetime = clock.now()
        self.timer = QTimer(self)
        self.timer.setInterval(check_every_ms)
        qconnect(self.timer.timeout, self.check)
        qconnect(window.session.changed, lambda _result: self.note_activity())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in ACTIVITY:
            self.note_activity()
        return False

    def note_activity(self) -> None:
        self.last_activity = self.clock.now()

    def check(self) -> bool:
        """Lock the till if it is due and nothing forbids it now; True when it locked."""
        if not self.rule.is_due(self.last_activity, self.clock.now()) or not self.may_lock_now():
            return False
        lock_till(self.window.sale_actions)
        self.note_activity()  # the lock screen itself starts a new wait
        return True

    def may_lock_now(self) -> bool:
        window = self.window
        if not window.on_sale_screen() or not window.isVisible():
            return False  # nobody is signed in
        dialog = window.sale_actions.dialog
        if isinstance(dialog, LockScreen):
            return False
        if dialog is not None and type(dialog).__module__.startswith(PAYMENT_MODULES):
            return False
        return window.session.till_worker.is_idle()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def install_inactivity_lock(window: MainWindow) -> Any:
    """Watch ``window`` for inactivity (the store's day's rule, the till's clock); returns the
    watch (``stop()`` it when the window closes), or None on a till without a store's day."""
    day = window.services.store_day
    if day is None:
        return None
    return InactivityWatch(window, day.rules.inactivity, window.services.till.clock)
