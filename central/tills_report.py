"""How every till is doing, as the hub sees it: ``kassa-hub tills`` and the status page.

One row per till the hub knows (a till is known from its first enrolment code, so a till
not enrolled yet is listed too): its store, the last heartbeat and what it said (app
version, queue length, age of the oldest unsent sale, the till's clock), the last sale
received, whether its credential is live, revoked or never issued, and a verdict.

The verdict is the worst that applies, in this order (``THRESHOLDS``, documented in
docs/sync-protocol.md, "The hub's view of the tills"):

* **silent**: never heard from, or no contact (a heartbeat or a sale) for ``silent_after``
  (30 minutes).  A till sends a heartbeat every ``push_interval_seconds`` (10 s) when it
  has nothing to push, so a till that is on and linked is never silent.
* **backlog**: at the last heartbeat the oldest unsent sale was ``backlog_after`` (15
  minutes) old or more, or ``backlog_sales`` (500) sales or more were waiting.
* **skewed**: the till's clock was ``skew_limit`` (2 minutes) or more off the hub's at the
  last heartbeat (``last_till_time - last_seen_at``: the time the till wrote into its
  heartbeat against the hub's time when it arrived; a request takes well under a second).
* **late**: no contact for ``late_after`` (5 minutes): the link is down or the till is off.
* **OK**: none of these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, func, select

from central.database import HubDatabase
from central.stores import require_store
from central.tables import sales, stores, till_credentials, tills


@dataclass(frozen=True, slots=True)
class Thresholds:
    late_after: timedelta = timedelta(minutes=5)
    silent_after: timedelta = timedelta(minutes=30)
    skew_limit: timedelta = timedelta(minutes=2)
    backlog_after: timedelta = timedelta(minutes=15)
    backlog_sales: int = 500


THRESHOLDS = Thresholds()
VERDICTS = ("OK", "late", "skewed", "backlog", "silent")  # from the best to the worst


@dataclass(frozen=True, slots=True)
class TillState:
    store_id: str
    store_name: str
    till_id: str
    credential: str  # "live", "revoked" or "none" (an enrolment code was made, never used)
    last_seen_at: datetime | None
    app_version: str | None
    queue_length: int | None
    oldest_unsent_seconds: int | None
    clock_skew_seconds: float | None  # the till's clock minus the hub's, at the last heartbeat
    last_sale_seq: int | None
    last_sale_at: datetime | None  # when the hub received the till's highest seq
    verdict: str
    reasons: tuple[str, ...]

    def last_contact(self) -> datetime | None:
        known = [moment for moment in (self.last_seen_at, self.last_sale_at) if moment is not None]
        return max(known) if known else None

    def as_json(self, now: datetime) -> dict[str, Any]:
        def when(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "store_id": self.store_id, "store_name": self.store_name, "till_id": self.till_id,
            "credential": self.credential, "last_heartbeat_at": when(self.last_seen_at),
            "last_heartbeat_seconds_ago": seconds_since(self.last_seen_at, now),
            "app_version": self.app_version, "queue_length": self.queue_length,
            "oldest_unsent_seconds": self.oldest_unsent_seconds, "clock_skew_seconds": self.clock_skew_seconds,
            "last_sale_seq": self.last_sale_seq, "last_sale_received_at": when(self.last_sale_at),
            "verdict": self.verdict, "reasons": list(self.reasons),
        }


def seconds_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else int((now - moment).total_seconds())


def ago(moment: datetime | None, now: datetime) -> str:
    """``42 s ago``, ``7 min ago``, ``3 h ago``, ``2 d ago``; ``never``."""
    seconds = seconds_since(moment, now)
    if seconds is None:
        return "never"
    if seconds < 0:
        return "just now"
    for size, unit in ((86_400, "d"), (3_600, "h"), (60, "min")):
        if seconds >= 2 * size or (unit == "min" and seconds >= size):
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    if whole >= 3_600:
        hours, minutes = divmod(whole // 60, 60)
        return f"{sign}{hours} h" + (f" {minutes} min" if minutes else "")
    if whole >= 60:
        minutes, rest = divmod(whole, 60)
        return f"{sign}{minutes} min" + (f" {rest} s" if rest else "")
    return f"{sign}{whole} s"


def judge(last_seen_at: datetime | None, last_sale_at: datetime | None, queue_length: int | None,
          oldest_unsent_seconds: int | None, skew_seconds: float | None, now: datetime,
          limits: Thresholds = THRESHOLDS) -> tuple[str, tuple[str, ...]]:
    """The verdict (the worst that applies) and every reason, in words."""
    found: list[tuple[str, str]] = []
    contact = max((m for m in (last_seen_at, last_sale_at) if m is not None), default=None)
    if contact is None:
        found.append(("silent", "never heard from"))
    else:
        quiet = now - contact
        if quiet >= limits.silent_after:
            found.append(("silent", f"no contact for {duration(quiet.total_seconds())}"))
        elif quiet >= limits.late_after:
            found.append(("late", f"no contact for {duration(quiet.total_seconds())}"))
    if oldest_unsent_seconds is not None and oldest_unsent_seconds >= limits.backlog_after.total_seconds():
        found.append(("backlog", f"oldest unsent sale {duration(oldest_unsent_seconds)} old"))
    if queue_length is not None and queue_length >= limits.backlog_sales:
        found.append(("backlog", f"{queue_length} sales waiting"))
    if skew_seconds is not None and abs(skew_seconds) >= limits.skew_limit.total_seconds():
        side = "ahead of" if skew_seconds > 0 else "behind"
        found.append(("skewed", f"clock {duration(abs(skew_seconds))} {side} the hub"))
    if not found:
        return "OK", ()
    worst = max(found, key=lambda item: VERDICTS.index(item[0]))[0]
    order = sorted(found, key=lambda item: -VERDICTS.index(item[0]))
    return worst, tuple(reason for _verdict, reason in order)


def till_states(db: HubDatabase, store_id: str | None = None, *, now: datetime | None = None,
                limits: Thresholds = THRESHOLDS) -> list[TillState]:
    """Every till (of ``store_id``, else of every store), by store and till."""
    moment = now or datetime.now(timezone.utc)
    t = tills
    same_till = and_(sales.c.store_id == t.c.store_id, sales.c.till_id == t.c.till_id)
    # the highest seq through the (store_id, till_id, seq) index, and when it came: short looks per till
    last_seq = select(func.max(sales.c.seq)).where(same_till).scalar_subquery()
    newest = sales.alias("newest")
    last_at = (select(newest.c.hub_received_at)
               .where(newest.c.store_id == t.c.store_id, newest.c.till_id == t.c.till_id)
               .order_by(newest.c.seq.desc()).limit(1).scalar_subquery())
    live = (select(func.count()).select_from(till_credentials)
            .where(till_credentials.c.store_id == t.c.store_id, till_credentials.c.till_id == t.c.till_id,
                   till_credentials.c.revoked_at.is_(None)).scalar_subquery())
    issued = (select(func.count()).select_from(till_credentials)
              .where(till_credentials.c.store_id == t.c.store_id, till_credentials.c.till_id == t.c.till_id)
              .scalar_subquery())
    query = (select(t.c.store_id, stores.c.name, t.c.till_id, t.c.last_seen_at, t.c.last_till_time,
                    t.c.queue_length, t.c.oldest_unsent_seconds, t.c.app_version,
                    last_seq.label("last_seq"), last_at.label("last_at"), live.label("live"), issued.label("issued"))
             .join(stores, stores.c.store_id == t.c.store_id)
             .order_by(t.c.store_id, t.c.till_id))
    with db.reading() as conn:
        if store_id is not None:
            require_store(conn, store_id)
            query = query.where(t.c.store_id == store_id)
        rows = conn.execute(query).all()
    found = []
    for r in rows:
        skew = None
        if r.last_seen_at is not None and r.last_till_time is not None:
            skew = round((r.last_till_time - r.last_seen_at).total_seconds(), 1)
        sale_at = r.last_at
        verdict, reasons = judge(r.last_seen_at, sale_at, r.queue_length, r.oldest_unsent_seconds, skew, moment, limits)
        credential = "live" if r.live else ("revoked" if r.issued else "none")
        found.append(TillState(r.store_id, r.name, r.till_id, credential, r.last_seen_at, r.app_version,
                               r.queue_length, r.oldest_unsent_seconds, skew, r.last_seq, sale_at, verdict, reasons))
    return found


def store_names(db: HubDatabase) -> list[tuple[str, str]]:
    """Every store: (id, name), by id."""
    with db.reading() as conn:
        return [(str(i), str(n)) for i, n in conn.execute(select(stores.c.store_id, stores.c.name)
                                                          .order_by(stores.c.store_id))]


def summary(states: list[TillState]) -> str:
    counts = {verdict: sum(1 for s in states if s.verdict == verdict) for verdict in reversed(VERDICTS)}
    shown = ", ".join(f"{n} {verdict}" for verdict, n in counts.items() if n)
    return f"{len(states)} till(s): {shown or 'none'}"


def as_text(states: list[TillState], now: datetime) -> list[str]:
    """The ``kassa-hub tills`` table (one line per till), then the summary line."""
    header = (f"{'store':<14} {'till':<6} {'verdict':<8} {'last heartbeat (UTC)':<32} {'version':<9} {'queue':>5} "
              f"{'oldest unsent':>13} {'clock skew':>12} {'last sale':<18} {'credential':<10} why")
    lines = [header]
    for s in states:
        sale = "none" if s.last_sale_seq is None else f"#{s.last_sale_seq} {ago(s.last_sale_at, now)}"
        seen = "never" if s.last_seen_at is None else (
            f"{s.last_seen_at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S} ({ago(s.last_seen_at, now)})")
        lines.append(
            f"{s.store_id:<14} {s.till_id:<6} {s.verdict:<8} {seen:<32} "
            f"{s.app_version or '-':<9} {'-' if s.queue_length is None else s.queue_length:>5} "
            f"{duration(s.oldest_unsent_seconds):>13} {duration(s.clock_skew_seconds):>12} {sale:<18} "
            f"{s.credential:<10} {'; '.join(s.reasons)}".rstrip())
    lines.append(summary(states))
    return lines


def as_json(states: list[TillState], now: datetime, limits: Thresholds = THRESHOLDS) -> str:
    return json.dumps({
        "hub_time": now.isoformat(),
        "thresholds": {"late_after_seconds": int(limits.late_after.total_seconds()),
                       "silent_after_seconds": int(limits.silent_after.total_seconds()),
                       "skew_limit_seconds": int(limits.skew_limit.total_seconds()),
                       "backlog_after_seconds": int(limits.backlog_after.total_seconds()),
                       "backlog_sales": limits.backlog_sales},
        "tills": [s.as_json(now) for s in states],
    }, ensure_ascii=False, indent=2)
