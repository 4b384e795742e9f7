"""A keyboard-wedge scan reaches the basket wherever the focus is in the main window.

``WedgeFilter`` is an application event filter.  While ``wants(widget)`` says the focused
widget's keys may be a scan, it holds each key press back and feeds ``pos.scan_timing.KeyBurst``
with the time it came (``clock``: milliseconds; tests pass a clock they move).  A burst the rule
calls a scan is emitted as ``scanned`` and its keys are dropped; anything else is given back to
the widget it was meant for, in order, as if never held (a person's keys are late by at most
``max_gap_ms``).  Which widgets (``SaleActions.scan_may_come_from``): every widget of the sale
screen, its scan field too (a line edit drops a GS1 code's group separators, so the scan is
read before it gets there; "3*" typed before still counts); by decision the search dialog's
field (a scan there sells the item instead of being searched for); a yes/no question's buttons
(a scan's Enter must not answer it: the scan is dropped with a message).  Every other dialog's
field gets the scan as typed (a quantity, cash, a receipt number)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from pos.scan_timing import KeyBurst, Outcome, Scanned, WedgeTiming
from ui.qt import QApplication, QEvent, QKeyEvent, QObject, Qt, QTimer, QWidget, Signal, qconnect

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
GROUP_SEPARATOR = "\x1d"  # FNC1 of a GS1 code, as a scanner types it (Ctrl+])


def monotonic_ms() -> float:
    return time.monotonic() * 1000


class WedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        wants: Callable[[QWidget], bool],
        timing: WedgeTiming | None = None,
        clock: Callable[[], float] = monotonic_ms,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.wants = wants
        self.timing = timing or WedgeTiming()
        self.burst = KeyBurst(self.timing)
        self.clock = clock
        self._held: deque[tuple[QWidget, int, Qt.KeyboardModifier, str]] = deque()
        self._replaying = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(self.timing.max_gap_ms + 5)
        qconnect(self._idle.timeout, self._check_idle)

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def remove(self) -> None:
        self._idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        target = QApplication.focusWidget()
        if target is None or watched is not target:
            return False  # seen once, at the focused widget (not again as it propagates)
        char = None if event.isAutoRepeat() else _char(event, self.timing.terminator)  # a key held down is a person
        if char is None or not self.wants(target):
            self._give_back_all()  # an arrow, a function key, another widget: what was held goes first
            return False
        self._held.append((target, event.key(), event.modifiers(), event.text()))
        self._handle(self.burst.key(char, self.clock()))
        if self.burst.waiting():
            self._idle.start()
        return True

    def _check_idle(self) -> None:
        self._handle(self.burst.idle(self.clock()))
        if self.burst.waiting():
            self._idle.start()  # the clock has not moved past the gap yet (a test's clock)

    def _handle(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            if isinstance(outcome, Scanned):
                count = len(outcome.code) + (1 if self.timing.terminator else 0)
                for _ in range(min(count, len(self._held))):
                    self._held.popleft()
                self.scanned.emit(outcome.code)
            else:
                self._give_back(len(outcome.keys))

    def _give_back_all(self) -> None:
        if self.burst.waiting() or self._held:
            self.burst.held = []
            self._give_back(len(self._held))

    def _give_back(self, count: int) -> None:
        """The held keys, to the widgets they were pressed in, as if never held."""
        self._replaying = True
        try:
            for _ in range(min(count, len(self._held))):
                target, key, modifiers, text = self._held.popleft()
                try:
                    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))
                except RuntimeError:  # the widget is gone (its dialog closed)
                    pass
        finally:
            self._replaying = False


def _char(event: QKeyEvent, terminator: str) -> str | None:
    """The character a key stands for in a scan, or None for a key no scanner sends."""
    if event.key() in ENTER_KEYS:
        return "\r"
    if event.key() == Qt.Key.Key_Tab and terminator == "\t":
        return "\t"
    text = event.text()
    if text == GROUP_SEPARATOR:
        return text
    if len(text) == 1 and text.isprintable() and not event.modifiers() & (
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    ):
        return text
    return None
