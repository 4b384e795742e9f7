"""The link to the hub as the till sees it: online, degraded or offline, with the figures
the status bar and ``kassa status`` show.  ``LinkMonitor`` is fed the outcome of every
push, pull and heartbeat (from the sync worker's thread) and hands out an immutable
``SyncStatus``; listeners hear of every change.

* online: the last exchange with the hub worked.
* degraded: the hub answered, but something is wrong that retrying will not fix by itself
  (credential refused, a malformed answer, a refused request) - or one exchange failed
  after a good one, which may be a blip.
* offline: two exchanges in a row could not reach the hub (or it was never reached).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from sync.errors import SyncError

OFFLINE_AFTER = 2  # failed exchanges in a row


class Link(enum.Enum):
    ONLINE = "online"
    DEGRADED = "degraded"
    OFFLINE = "offline"
    NOT_CONFIGURED = "not configured"  # no [sync] section: an offline-only till


@dataclass(frozen=True, slots=True)
class SyncStatus:
    link: Link = Link.OFFLINE
    queue_length: int = 0  # sales waiting to be sent
    quarantined: int = 0  # sales the hub refused, waiting for a manager
    oldest_unsent_at: datetime | None = None
    last_pull_at: datetime | None = None
    last_push_at: datetime | None = None
    last_contact_at: datetime | None = None
    problem: str = ""  # the last failure, one line
    hub: str = ""

    def oldest_unsent_age(self, now: datetime | None = None) -> timedelta | None:
        if self.oldest_unsent_at is None:
            return None
        return max(timedelta(0), (now or datetime.now(timezone.utc)) - self.oldest_unsent_at)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class LinkMonitor:
    def __init__(self, hub: str = "", *, initial: SyncStatus | None = None) -> None:
        self._lock = threading.Lock()
        self._status = initial or SyncStatus(hub=hub)
        self._failures = 0
        self._listeners: list[Callable[[SyncStatus], None]] = []

    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def listen(self, listener: Callable[[SyncStatus], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def succeeded(self, *, pushed: bool = False, pulled_at: datetime | None = None) -> SyncStatus:
        now = _now()
        return self._change(lambda s: replace(
            s, link=Link.ONLINE, problem="", last_contact_at=now,
            last_push_at=now if pushed else s.last_push_at, last_pull_at=pulled_at or s.last_pull_at,
        ), failures=0)

    def failed(self, error: SyncError) -> SyncStatus:
        with self._lock:
            failures = self._failures + 1 if error.retryable else self._failures
            never_reached = self._status.last_contact_at is None
        if error.retryable:  # a blip only after a good exchange: never reached is offline
            link = Link.OFFLINE if failures >= OFFLINE_AFTER or never_reached else Link.DEGRADED
        else:
            link = Link.DEGRADED
        return self._change(lambda s: replace(s, link=link, problem=error.user_message()), failures=failures)

    def counted(self, *, queue_length: int, quarantined: int, oldest_unsent_at: datetime | None,
                last_pull_at: datetime | None = None) -> SyncStatus:
        return self._change(lambda s: replace(
            s, queue_length=queue_length, quarantined=quarantined, oldest_unsent_at=oldest_unsent_at,
            last_pull_at=last_pull_at or s.last_pull_at,
        ))

    def _change(self, change: Callable[[SyncStatus], SyncStatus], failures: int | None = None) -> SyncStatus:
        with self._lock:
            before = self._status
            self._status = change(before)
            if failures is not None:
                self._failures = failures
            after, listeners = self._status, list(self._listeners)
        if after != before:
            for listener in listeners:
                listener(after)
        return after
