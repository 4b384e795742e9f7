"""Python's cyclic garbage collector runs on whichever thread happens to allocate when a
threshold is crossed.  If that is a worker thread (the till worker, the printer worker)
and the garbage holds Qt objects, Qt destroys them off the GUI thread and the process can
crash (seen as a segmentation fault inside "Garbage-collecting" in a worker).  Anki does
the same as here: automatic collection is turned off and a timer on the GUI thread
collects instead, so Qt garbage is always freed on the thread that owns it."""

from __future__ import annotations

import gc

from ui.qt import QObject, QTimer, qconnect

COLLECT_EVERY_MS = 5_000


def collect_on_the_gui_thread(parent: QObject) -> QTimer:
    """Disable automatic collection; collect every few seconds on the GUI thread instead
    (once per ``parent``: a second call returns the running timer)."""
    gc.disable()
    running = parent.findChild(QTimer, "garbage-collector")
    if isinstance(running, QTimer):
        return running
    timer = QTimer(parent)
    timer.setObjectName("garbage-collector")
    qconnect(timer.timeout, lambda: gc.collect())  # never pass Qt's arguments on to collect()
    timer.start(COLLECT_EVERY_MS)
    return timer
