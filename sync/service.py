"""Everything one till does with its hub, over its database: push the outbox, pull the
reference data, say it is alive, and keep the link's status.  ``TillSync`` does one step
when asked (``kassa sync``, the worker thread); it never raises a SyncError: failures are
returned in the outcome and recorded in the ``LinkMonitor``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from local_db.database import Database
from local_db.loyalty import SqlLoyalty
from local_db.outbox import SqlOutbox
from local_db.reference_data import ReferenceData
from local_db.sync_state import LAST_PULL_AT, LAST_PUSH_AT, SyncStateStore
from pos.errors import StorageProblem
from sync.errors import SyncError
from sync.hub_client import HubClient, RetryPolicy
from sync.link import LinkMonitor, SyncStatus
from sync.loyalty_rules import pull_loyalty_rules
from sync.customer_pull import pull_customers
from sync.pull import CatalogPuller, PullOutcome
from sync.push import FAILURES_BEFORE_ISOLATING, Failure, PushOutcome, SalePusher, failure_kind

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncConfig:
    hub_url: str
    ca_bundle: Path | None = None
    push_batch_size: int = 200
    pull_page_size: int = 2000
    push_interval_seconds: float = 10.0
    pull_interval_seconds: float = 300.0
    timeout: float = 10.0
    retry: RetryPolicy = RetryPolicy()
    failures_before_isolating: int = FAILURES_BEFORE_ISOLATING  # see sync/push.py


@dataclass(frozen=True, slots=True)
class SyncRound:
    push: PushOutcome
    pull: PullOutcome | None = None
    pull_error: SyncError | None = None

    def describe(self) -> str:
        pulled = self.pull.describe() if self.pull else (f"pull failed: {self.pull_error}" if self.pull_error else "")
        return "; ".join(part for part in (self.push.describe(), pulled) if part)


class TillSync:
    def __init__(self, db: Database, client: HubClient, config: SyncConfig, monitor: LinkMonitor | None = None) -> None:
        self.db = db
        self.client = client
        self.config = config
        self.outbox = SqlOutbox(db)
        self.reference_data = ReferenceData(db)
        self.state = SyncStateStore(db)
        self.monitor = monitor or LinkMonitor(config.hub_url)
        self.pusher = SalePusher(client, self.outbox, batch_size=config.push_batch_size,
                                 failures_before_isolating=config.failures_before_isolating)
        self.puller = CatalogPuller(client, self.reference_data, page_size=config.pull_page_size)

    def refresh_counts(self) -> SyncStatus:
        return self.monitor.counted(
            queue_length=self.outbox.unsent_count(), quarantined=self.outbox.quarantined_count(),
            oldest_unsent_at=self.outbox.oldest_unsent_at(), last_pull_at=self.state.moment(LAST_PULL_AT),
        )

    def push(self) -> PushOutcome:
        outcome = self.pusher.push_pending()
        if outcome.error is not None:
            self.monitor.failed(outcome.error)
        elif outcome.sent:
            now = datetime.now(timezone.utc)
            self.state.put(**{LAST_PUSH_AT: now.isoformat()})
            self.monitor.succeeded(pushed=True)
        self.refresh_counts()
        return outcome

    def pull(self) -> PullOutcome | SyncError:
        try:
            outcome = self.puller.pull()
            pull_customers(self.client, self.db, page_size=self.config.pull_page_size)  # local_db/customers.py
            log.info("%s", pull_loyalty_rules(self.client, SqlLoyalty(self.db)))  # never fails the pull
        except SyncError as error:
            log.warning("pull failed, the catalog stays as it was: %s", error)
            self.monitor.failed(error)
            return error
        self.monitor.succeeded(pulled_at=self.state.moment(LAST_PULL_AT))
        self.refresh_counts()
        return outcome

    def heartbeat(self) -> SyncError | None:
        status = self.monitor.status()
        age = status.oldest_unsent_age()
        try:
            self.client.heartbeat(status.queue_length, None if age is None else int(age.total_seconds()))
        except SyncError as error:
            self.monitor.failed(error)
            return error
        self.monitor.succeeded()
        return None

    def sync_now(self) -> SyncRound:
        """One push, then one pull (``kassa sync``).  A push that fails in a way that may be
        one sale's (see sync/push.py) is tried again at once, a bounded number of times, so
        the good sales get through and a poison one reaches the quarantine in one run."""
        self.refresh_counts()
        pushed = self.push()
        for _ in range(4 * self.config.failures_before_isolating):
            if pushed.error is None or failure_kind(pushed.error) is Failure.WAIT:
                break
            pushed = pushed.then(self.push())
        pulled = self.pull()
        if isinstance(pulled, SyncError):
            return SyncRound(pushed, None, pulled)
        return SyncRound(pushed, pulled)

    def last_pull_at(self) -> datetime | None:
        try:
            return self.state.moment(LAST_PULL_AT)
        except StorageProblem:
            return None
