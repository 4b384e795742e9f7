"""A till newer than its hub: the hub answers 404 unknown_dataset for the ``policies`` dataset
(it has none yet).  The pull still brings the catalog and the cashiers, and the till keeps the
store's day rules it has (Kassa's defaults), instead of failing every pull until the hub is
upgraded.  Any other dataset the hub does not know still fails the pull."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_db.catalog import SqlCatalog
from local_db.database import Database
from local_db.reference_data import ReferenceData
from sync.errors import RequestRefused
from sync.pull import CatalogPuller
from tests.fakes import SHAMPOO
from tests.sync.conftest import Hub, connect
from tests.sync.poison_proxy import poison_proxy

UNKNOWN = (404, {"Content-Type": "application/json"},
           b'{"error": "unknown_dataset", "detail": "there is no dataset policies"}')


def older_hub(proxy, missing: str):  # noqa: ANN001, ANN201
    forward = proxy.handle

    def handle(method: str, path: str, headers: dict[str, str], body: bytes):  # noqa: ANN202
        if path.startswith(f"/v1/datasets/{missing}"):
            return UNKNOWN
        return forward(method, path, headers, body)

    proxy.handle = handle
    return proxy


def test_a_hub_without_the_policies_dataset_still_gives_the_catalog_and_the_till_keeps_its_rules(
        hub: Hub, till_db: Database, tmp_path: Path) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = connect(older_hub(proxy, "policies").url, till_db, hub, enrol_through=hub.url)
        outcome = CatalogPuller(sync.client, ReferenceData(till_db)).pull()
    assert outcome.items["products"] >= 1 and outcome.items["policies"] == 0
    assert SqlCatalog(till_db).by_code(SHAMPOO.code) == SHAMPOO


def test_a_hub_that_does_not_know_the_catalog_fails_the_pull_and_nothing_is_applied(
        hub: Hub, till_db: Database, tmp_path: Path) -> None:
    with poison_proxy(hub.url) as proxy:
        sync = connect(older_hub(proxy, "products").url, till_db, hub, enrol_through=hub.url)
        with pytest.raises(RequestRefused):
            CatalogPuller(sync.client, ReferenceData(till_db)).pull()
    assert SqlCatalog(till_db).by_code(SHAMPOO.code) is None
