"""Background work as small operation objects (after Anki's ``CollectionOp``/``QueryOp``).

A ``Worker`` owns one thread and runs submitted work strictly in order.  The till window has
two: the *till worker* (every Till and journal call) and the *printer worker* (the receipt
spooler), so a slow printer never holds up scanning.  Each ``Op`` hands its result back to
the Qt main thread through a queued signal, where its ``success`` or ``failure`` callback
runs; an op never touches a widget, its callbacks do.

    Op(lambda: till.scan(text), till_worker).success(show).failure(explain).run()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Generic, TypeVar

from ui.qt import QObject, Qt, Signal, qconnect

log = logging.getLogger(__name__)

T = TypeVar("T")
SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]


def _log_failure(error: BaseException) -> None:
    """What happens to a failure nobody asked about: it is logged, never lost."""
    from ui.errors import log_problem

    log_problem(error)


class _Relay(QObject):
    """Lives on the main thread; the worker emits, Qt queues, the main thread delivers."""

    delivered = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        qconnect(self.delivered, self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, delivery: Callable[[], None]) -> None:
        delivery()


class Worker:
    """One background thread that runs ops in the order they were submitted.

    ``pending`` counts ops submitted but not yet delivered back on the main thread, so
    ``is_idle()`` means "everything asked for has run and its callbacks have been called".
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._relay = _Relay()
        self._pending = 0
        self._closed = False

    @property
    def pending(self) -> int:
        return self._pending

    def is_idle(self) -> bool:
        return self._pending == 0

    def submit(self, work: Callable[[], T], on_success: SuccessCallback, on_failure: FailureCallback) -> bool:
        """Queue ``work``; returns False (and runs nothing) once the worker is shut down."""
        if self._closed:
            log.warning("%s is shut down; work dropped", self.name)
            return False
        self._pending += 1

        def run() -> None:
            try:
                result = work()
            except BaseException as error:  # noqa: BLE001 - every failure goes back to the UI
                self._send(partial(self._finish, on_failure, error))
            else:
                self._send(partial(self._finish, on_success, result))

        self._executor.submit(run)
        return True

    def _send(self, delivery: Callable[[], None]) -> None:
        try:
            self._relay.delivered.emit(delivery)
        except RuntimeError:  # the window is gone: nobody is left to tell
            log.debug("%s: result arrived after the window closed", self.name)

    def _finish(self, callback: Callable[[Any], None], value: Any) -> None:
        self._pending -= 1
        try:
            callback(value)
        except Exception:
            log.exception("%s: a result callback failed", self.name)

    def shutdown(self) -> None:
        """Refuse new work, finish what is queued, stop the thread."""
        if self._closed:
            return
        self._closed = True
        self._executor.shutdown(wait=True)


class Op(Generic[T]):
    """A piece of background work for one worker, and what to do on the main thread after."""

    def __init__(self, work: Callable[[], T], worker: Worker) -> None:
        self._work = work
        self._worker = worker
        self._announce: list[SuccessCallback] = []
        self._on_success: SuccessCallback = lambda _result: None
        self._on_failure: FailureCallback = _log_failure

    def announce(self, callback: Callable[[T], None]) -> Op[T]:
        """Run ``callback`` before ``success`` (how the session tells every screen)."""
        self._announce.append(callback)
        return self

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: FailureCallback) -> Op[T]:
        self._on_failure = callback
        return self

    def run(self) -> Op[T]:
        def succeeded(result: Any) -> None:
            for announce in self._announce:
                announce(result)
            self._on_success(result)

        self._worker.submit(self._work, succeeded, self._on_failure)
        return self
