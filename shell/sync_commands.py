"""``kassa enrol``, ``kassa sync`` and ``kassa status``: the sync commands IT runs at a till.
Output is plain English for a terminal (like the other commands); errors arrive as a
PosError, which ``shell.cli.main`` prints in one line."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from local_db.sync_state import HUB_URL, SyncStateStore
from shell.first_start import remove_enrolment_code
from shell.logs import never_log
from shell.promotions_report import promotion_lines
from shell.settings import Settings
from shell.till import OpenTill, open_till, sync_config
from sync.enrolment import enrol_till
from sync.hub_client import RetryPolicy
from sync.link import Link
from sync.service import SyncConfig, TillSync


SHOWN_QUARANTINED = 5


def _need_sync(settings: Settings) -> SyncConfig:
    config = sync_config(settings)
    if config is None:
        raise SystemExit("kassa: this till has no [sync] section in its settings, so it works offline only "
                         "(see docs/configuration.md)")
    return config


def enrol(settings: Settings, hub_url: str | None, code: str | None, settings_path: Path | None = None) -> int:
    """Writes the hub it is enrolled with: takes the one-till lock.  Without ``hub_url`` the
    settings' ``hub_url``; without ``code`` the settings' ``enrolment_code``, removed from
    ``settings_path`` once it is used (the code is never printed)."""
    where = f" of {settings_path}" if settings_path else ""
    hub_url = hub_url or (settings.sync.hub_url if settings.sync else None)
    if not hub_url:
        raise SystemExit(f"kassa: name the hub with --hub URL, or set hub_url in the [sync] section{where}")
    written = settings.sync.enrolment_code if settings.sync else None
    in_file = written.get_secret_value() if written else None
    from_file = code is None or code.strip() == in_file
    if code is None:
        if settings.sync is None or settings.sync.enrolment_code is None:
            raise SystemExit(f"kassa: no enrolment code: give it with --code CODE, or set enrolment_code in the "
                             f"[sync] section{where}")
        code = settings.sync.enrolment_code.get_secret_value()
    with open_till(settings, writes=True) as till:
        store = till.credentials
        ca_bundle = settings.sync.ca_bundle if settings.sync else None
        client = till.hub_client(SyncConfig(hub_url, ca_bundle), credential=False)
        never_log(code)
        enrolment = enrol_till(till.db, client, code, store, store_id=settings.store.store_id,
                               till_id=settings.till.till_id)
        never_log(enrolment.credential)
    print(f"enrolled as till {enrolment.till_id} of store {enrolment.store_id} with {client.base_url}; "
          f"the credential is kept in {store.where}")
    if from_file and settings_path is not None:
        if remove_enrolment_code(settings_path):
            print(f"the used enrolment code was removed from {settings_path}")
        else:
            print(f"the used enrolment code is still in {settings_path} (harmless: it cannot be used again); "
                  "remove its line when convenient (see kassa.log)")
    if settings.sync is None or settings.sync.hub_url != client.base_url:
        print(f'add to the settings file:\n[sync]\nhub_url = "{client.base_url}"')
    return 0


def sync_now(settings: Settings) -> int:
    """Acknowledges sales and applies pulls: takes the one-till lock (a running till syncs by itself)."""
    config = _need_sync(settings)
    with open_till(settings, writes=True) as till:
        done = TillSync(till.db, till.hub_client(config), config).sync_now()
    print(done.describe())
    return 1 if done.push.error or done.pull_error else 0


def status(settings: Settings) -> int:
    """Only reads (and says hello to the hub): runs beside a running till, without the lock."""
    with open_till(settings, writes=False) as till:
        return _status(till)


def _status(till: OpenTill) -> int:
    db = till.db
    config = till.sync_config
    if config is None:
        counts = till.outbox.counts()  # the same figures as kassa check-journal
        print(f"link: offline only (no [sync] settings); waiting to send: {counts.waiting}; "
              f"quarantined: {counts.quarantined}")
        for line in promotion_lines(db, unless_none=True):  # an offline till holds promotions only if given some
            print(line)
        return 0
    quick = SyncConfig(config.hub_url, config.ca_bundle, timeout=min(config.timeout, 5.0),
                       retry=RetryPolicy(attempts=1))
    client, _ = till.hub_client_or_problem(quick)
    sync = TillSync(db, client, quick)
    problem = sync.heartbeat() if client.credential else None
    shown = sync.refresh_counts()
    now = datetime.now(timezone.utc)
    age = shown.oldest_unsent_age(now)
    link = shown.link.value if client.credential else "no credential (run kassa enrol)"
    print(f"hub: {config.hub_url} (enrolled with {SyncStateStore(db).get(HUB_URL) or 'none'})")
    print(f"link: {link}" + (f" - {problem}" if problem and shown.link is not Link.ONLINE else ""))
    print(f"waiting to send: {shown.queue_length}" + (f" (oldest {int(age.total_seconds())} s)" if age else ""))
    print(f"quarantined: {shown.quarantined}")
    for held in sync.outbox.quarantined()[:SHOWN_QUARANTINED]:  # the oldest first, each with the hub's answer
        reason = " ".join(held.reason.split())
        print(f"  receipt {held.seq}: {reason[:150]}{'...' if len(reason) > 150 else ''}")
    if shown.quarantined > SHOWN_QUARANTINED:
        print(f"  ... and {shown.quarantined - SHOWN_QUARANTINED} more (Ctrl+Q at the till lists them all)")
    print(f"last catalog update: {shown.last_pull_at.isoformat(timespec='seconds') if shown.last_pull_at else 'never'}")
    print("\n".join(promotion_lines(db)))
    return 0
