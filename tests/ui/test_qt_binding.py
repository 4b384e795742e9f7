"""The Qt binding itself: a till runs for a whole shift, so a slot called a million times
must leave Python as it found it."""

from __future__ import annotations

import gc
import sys

from ui.qt import QApplication, QTimer, qconnect


def test_a_slot_called_many_times_leaves_none_with_all_its_references(qapp: QApplication) -> None:
    # PySide6 6.12.0 takes a reference from None at every slot call; on Python 3.11 (where
    # None is not immortal) the till aborts with "deallocating None" after some tens of
    # thousands of timer ticks or clicks.  pyproject.toml keeps that release out.
    calls: list[int] = []
    timer = QTimer()
    timer.setInterval(0)
    qconnect(timer.timeout, lambda: calls.append(1))
    gc.collect()
    before = sys.getrefcount(None)
    timer.start()
    while len(calls) < 2000:
        qapp.processEvents()
    timer.stop()
    gc.collect()

    assert sys.getrefcount(None) > before - 200, "each slot call took a reference from None"
