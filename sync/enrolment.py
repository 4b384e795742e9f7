"""Enrolling a till with the hub: exchange IT's one-time code for the till's credential,
keep the credential in the credential store and the (non-secret) identity in the
database's sync state."""

from __future__ import annotations

import logging
import platform
from datetime import datetime, timezone

from local_db.database import Database
from local_db.sync_state import ENROLLED_AT, HUB_URL, STORE_ID, TILL_ID, SyncStateStore
from sync.credentials import CredentialStore, account_name
from sync.errors import EnrolmentRefused
from sync.hub_client import Enrolment, HubClient

log = logging.getLogger(__name__)


def device_name() -> str:
    return f"kassa-{platform.node() or 'till'}"[:200]


def enrol_till(db: Database, client: HubClient, code: str, store: CredentialStore, *, store_id: str,
               till_id: str, device: str | None = None) -> Enrolment:
    """Raises EnrolmentRefused when the hub refuses the code or the code is for another till."""
    enrolment = client.enrol(code.strip(), device or device_name())
    if (enrolment.store_id, enrolment.till_id) != (store_id, till_id):
        raise EnrolmentRefused(
            hub=client.base_url, code="wrong_till",
            reason=f"the code is for till {enrolment.till_id} of store {enrolment.store_id}, but this till is "
                   f"{till_id} of store {store_id} (see the [store] and [till] settings); the code is now used, "
                   "ask IT for a new one",
        )
    store.save(account_name(store_id, till_id), enrolment.credential)
    SyncStateStore(db).put(**{HUB_URL: client.base_url, STORE_ID: store_id, TILL_ID: till_id,
                              ENROLLED_AT: datetime.now(timezone.utc).isoformat()})
    client.credential = enrolment.credential
    log.info("enrolled as till %s of store %s with the hub at %s (credential in %s)",
             till_id, store_id, client.base_url, store.where)
    return enrolment
