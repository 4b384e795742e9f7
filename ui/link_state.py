"""The link to the hub as the window sees it.  ``LinkWatch`` turns the sync worker's
``SyncStatus`` updates (heard on the worker's thread) into a Qt signal delivered on the
main thread; ``describe_link`` words a status for the status bar and ``kassa status``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from pos.i18n import _
from sync.link import Link, LinkMonitor, SyncStatus
from ui.qt import QObject, Signal


class LinkWatch(QObject):
    changed = Signal(object)  # SyncStatus, on the main thread

    def __init__(self, monitor: LinkMonitor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        monitor.listen(self._heard)  # the worker's thread: Qt queues the signal to ours

    def _heard(self, status: SyncStatus) -> None:
        try:
            self.changed.emit(status)
        except RuntimeError:  # the window is gone
            pass

    def status(self) -> SyncStatus:
        return self.monitor.status()


def link_word(link: Link) -> str:
    return {
        Link.ONLINE: _("Online"),
        Link.DEGRADED: _("Hub problem"),
        Link.OFFLINE: _("Offline"),
        Link.NOT_CONFIGURED: _("Offline"),
    }[link]


def age_words(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 60:
        return _("{count} s").format(count=seconds)
    if seconds < 3600:
        return _("{count} min").format(count=seconds // 60)
    if seconds < 86400:
        return _("{count} h").format(count=seconds // 3600)
    return _("{count} d").format(count=seconds // 86400)


def waiting_words(status: SyncStatus, now: datetime | None = None) -> str:
    text = _("Waiting to send: {count}").format(count=status.queue_length)
    age = status.oldest_unsent_age(now)
    if status.queue_length and age is not None:
        text += " " + _("(oldest {age})").format(age=age_words(age))
    if status.quarantined:
        text += " · " + _("Quarantined: {count}").format(count=status.quarantined)
    return text


def pull_words(status: SyncStatus, zone_name: str) -> str:
    if status.last_pull_at is None:
        return _("Catalog not updated yet")
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError, OSError):
        zone = timezone.utc  # type: ignore[assignment]
    moment = status.last_pull_at.astimezone(zone)
    today = datetime.now(zone).date()
    shown = moment.strftime("%H:%M") if moment.date() == today else moment.strftime("%d.%m %H:%M")
    return _("Catalog updated: {time}").format(time=shown)
