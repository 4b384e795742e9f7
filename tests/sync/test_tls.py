"""The hub over HTTPS with a private CA (made here with trustme): the till trusts only
what it is told to.  By default (the public CAs) it refuses the hub's certificate with a
clear message and sends nothing; with the chain's CA bundle configured it pushes; a CA
bundle that cannot be read is reported on every exchange and never stops the till."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import trustme

from central.database import HubDatabase, open_hub_database
from local_db.database import Database
from sync.errors import HubNotTrusted
from sync.hub_client import HubClient
from sync.link import Link
from tests.central.hub_process import hub_process
from tests.central.shop import Shop
from tests.fakes import STORE
from tests.sync.faults import FAST_RETRY, TillHolds, assert_each_sale_once, enrol, hub_holds, record, till_holds, till_sync

pytestmark = pytest.mark.timeout(20)


@dataclass
class TlsHub:
    url: str
    db: HubDatabase
    ca_file: Path  # the chain's CA certificate (PEM): what ca_bundle names
    other_ca_file: Path  # some other CA's


@pytest.fixture
def tls_hub(tmp_path: Path) -> Iterator[TlsHub]:
    ca, other_ca = trustme.CA(), trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile = tmp_path / "hub-chain.pem", tmp_path / "hub-key.pem"
    ca_file, other_ca_file = tmp_path / "chain-ca.pem", tmp_path / "other-ca.pem"
    server.private_key_pem.write_to_path(str(keyfile))
    for n, blob in enumerate(server.cert_chain_pems):
        blob.write_to_path(str(certfile), append=n > 0)
    ca.cert_pem.write_to_path(str(ca_file))
    other_ca.cert_pem.write_to_path(str(other_ca_file))

    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    db = open_hub_database(url, migrate_schema=True)
    with httpx.Client() as unused:
        Shop.set_up(db, unused, store_id=STORE.store_id)
    try:
        with hub_process(url, certfile=certfile, keyfile=keyfile, ca_file=ca_file) as hub:
            assert hub.url.startswith("https://")
            yield TlsHub(hub.url, db, ca_file, other_ca_file)
    finally:
        db.close()


@pytest.mark.parametrize("trusting", ["the public CAs (the default)", "another CA's bundle"])
def test_a_hub_whose_certificate_the_till_does_not_trust_is_refused_clearly_and_nothing_is_sent(
        tls_hub: TlsHub, till_db: Database, trusting: str) -> None:
    credential = enrol(tls_hub.url, tls_hub.db, till_db, ca_bundle=tls_hub.ca_file)
    bundle = None if trusting.startswith("the public") else tls_hub.other_ca_file
    sync = till_sync(tls_hub.url, till_db, credential, ca_bundle=bundle)
    record(till_db, 3)

    refused = sync.push()

    assert isinstance(refused.error, HubNotTrusted) and not refused.error.retryable
    message = refused.error.user_message()
    assert tls_hub.url in message and "certificate" in message and "ca_bundle" in message
    assert "unable to get local issuer certificate" in message  # what verification said
    assert refused.acknowledged == 0 and hub_holds(tls_hub.db).count == 0
    assert till_holds(till_db) == TillHolds(unsent=3, acknowledged=0, quarantined=0)
    status = sync.monitor.status()
    assert status.link is Link.DEGRADED and "certificate" in status.problem  # reached, but not to be used


def test_with_the_chains_ca_bundle_the_till_pushes_over_https(tls_hub: TlsHub, till_db: Database) -> None:
    credential = enrol(tls_hub.url, tls_hub.db, till_db, ca_bundle=tls_hub.ca_file)
    sync = till_sync(tls_hub.url, till_db, credential, ca_bundle=tls_hub.ca_file)
    record(till_db, 5)

    outcome = sync.push()
    sync.client.close()  # an idle TLS connection left open holds up the hub's graceful stop

    assert outcome.error is None and outcome.acknowledged == 5
    assert sync.monitor.status().link is Link.ONLINE
    assert_each_sale_once(tls_hub.db, till_db, 5)


def test_a_ca_bundle_that_cannot_be_read_is_reported_on_every_exchange_and_does_not_stop_the_till(
        tls_hub: TlsHub, till_db: Database, tmp_path: Path) -> None:
    credential = enrol(tls_hub.url, tls_hub.db, till_db, ca_bundle=tls_hub.ca_file)
    missing = tmp_path / "no-such-ca.pem"
    client = HubClient(tls_hub.url, credential, ca_bundle=missing, retry=FAST_RETRY)  # does not raise
    with pytest.raises(HubNotTrusted) as refused:
        client.heartbeat(0, None)
    client.close()
    assert str(missing) in refused.value.user_message() and "ca_bundle" in refused.value.user_message()

    sync = till_sync(tls_hub.url, till_db, credential, ca_bundle=missing)
    record(till_db, 2)
    outcome = sync.push()
    assert isinstance(outcome.error, HubNotTrusted) and outcome.acknowledged == 0
    assert sync.monitor.status().link is Link.DEGRADED and str(missing) in sync.monitor.status().problem
    assert till_holds(till_db) == TillHolds(unsent=2, acknowledged=0, quarantined=0)
