"""The sync worker: one plain thread (not Qt) that pushes the outbox and pulls the
catalog, so the till's UI thread never waits on the network.

It wakes at once when a sale is recorded (``wake()``, called by the composition root
after ``record_sale``), and otherwise every ``push_interval_seconds``; a pull runs every
``pull_interval_seconds`` or when asked (``pull_soon()``).  When the hub cannot be
reached it backs off (doubling, up to the push interval) and wakes are held until the
backoff ends.  When there was nothing to push it sends a heartbeat, which keeps the link
state current.  A push that failed is tried again after the backoff; if the failure may be
one sale's, the pusher sends that batch's sales alone and quarantines one that keeps
failing (``sync/push.py``), so the rounds drain the queue past it.
"""

from __future__ import annotations

import logging
import threading
import time

from pos.errors import PosError
from sync.errors import SyncError
from sync.service import TillSync

log = logging.getLogger(__name__)

FIRST_BACKOFF = 0.5


class SyncWorker:
    def __init__(self, sync: TillSync) -> None:
        self.sync = sync
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._pull_due = True  # pull once at start-up
        self._last_pull = float("-inf")
        self._failures = 0
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self.rounds = 0  # finished rounds (tests wait on it)

    def start(self) -> SyncWorker:
        self._thread.start()
        return self

    def wake(self) -> None:
        """A sale was recorded: push now (or as soon as a backoff ends)."""
        self._wake.set()

    def pull_soon(self) -> None:
        self._pull_due = True
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        config = self.sync.config
        try:
            self.sync.refresh_counts()
        except PosError:
            log.exception("could not read the outbox")
        while not self._stop.is_set():
            self._wake.clear()
            ok = self._round()
            self.rounds += 1
            if ok:
                self._failures = 0
                self._wake.wait(config.push_interval_seconds)
            else:
                self._failures += 1
                backoff = min(config.push_interval_seconds, FIRST_BACKOFF * 2 ** (self._failures - 1))
                self._stop.wait(backoff)  # a wake during the backoff is kept for after it
        log.info("sync worker stopped")

    def _round(self) -> bool:
        config = self.sync.config
        try:
            pushed = self.sync.push()
            if pushed.error is not None:
                return False
            if self._pull_due or time.monotonic() - self._last_pull >= config.pull_interval_seconds:
                self._pull_due = False
                self._last_pull = time.monotonic()
                if isinstance(self.sync.pull(), SyncError):
                    self._pull_due = True  # again after the backoff
                    return False
            elif pushed.sent == 0:
                return self.sync.heartbeat() is None
            return True
        except PosError as error:  # the local database: log, keep the worker alive
            log.error("sync round failed: %s", error)
            return False
        except Exception:
            log.exception("sync round failed unexpectedly")
            return False
