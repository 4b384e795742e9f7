"""Qt garbage is freed on the GUI thread only (ui/garbage.py)."""

from __future__ import annotations

import gc
import threading

from ui.app import make_application
from ui.qt import QObject, QTimer


def test_the_application_turns_automatic_collection_off_and_collects_on_a_gui_timer(qtbot, qapp):  # noqa: ANN001
    gc.enable()
    make_application()
    assert not gc.isenabled()
    timers = qapp.findChildren(QTimer, "garbage-collector")
    assert len(timers) == 1 and timers[0].isActive()
    make_application()  # a second call adds no second timer
    assert len(qapp.findChildren(QTimer, "garbage-collector")) == 1


def test_a_cycle_holding_a_qt_object_is_freed_by_the_gui_timer_not_by_a_worker(qtbot, qapp):  # noqa: ANN001
    gc.enable()  # as in a process where nothing has turned it off yet
    make_application()
    freed_on: list[str] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self
            self.qobject = QObject()
            self.qobject.destroyed.connect(lambda: freed_on.append(threading.current_thread().name))

    Cycle()
    worker = threading.Thread(target=lambda: [[] for _ in range(100_000)], name="worker")
    worker.start()
    worker.join()  # allocations on a worker: no collection may run there
    assert freed_on == []
    timer = qapp.findChild(QTimer, "garbage-collector")
    timer.timeout.emit()
    qtbot.waitUntil(lambda: freed_on == [threading.main_thread().name], timeout=60_000)
