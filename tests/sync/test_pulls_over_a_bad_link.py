"""A catalog pull through a link that fails most requests, and one cut short by a restart,
against a real hub on loopback: each attempt keeps the pages it staged, the next goes on after
them, and the till ends with exactly the catalog of a pull that never failed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from central.catalog_files import CatalogRow
from central.catalog_import import import_catalog
from central.stores import add_cashier
from local_db.catalog import SqlCatalog, product_count
from local_db.database import Database, open_database
from local_db.reference_data import ReferenceData
from sync.errors import HubUnreachable
from sync.hub_client import HubClient, RetryPolicy
from sync.pull import CatalogPuller, PullOutcome
from sync.service import SyncConfig
from tests.fakes import DEMO_PRODUCTS, STORE
from tests.sync.conftest import Hub, connect
from tests.sync.loopback_hub import gtin
from tests.sync.proxy import proxy_to
from tests.sync.test_resumed_pulls import contents

PAGE = 10
PRODUCTS = 60  # with the hub's 4: 7 pages of products and of prices, 13 of barcodes
ROUNDS = 300  # attempts allowed to the pull through the bad link: a bound, not a wait
QUICK_RETRY = RetryPolicy(attempts=2, first_wait=0.01, max_wait=0.05)


def _bigger_catalog(hub: Hub) -> int:
    rows = [CatalogRow(where=f"row {n}", code=str(2000 + n), name=f"Товар {n}", brand="Brand", category="Догляд",
                       price_minor=100 + n, currency="UAH", vat_code="A", vat_percent="20", sold_by_weight=False,
                       barcodes=(gtin(str(2000 + n), 0), gtin(str(2000 + n), 1))) for n in range(PRODUCTS)]
    import_catalog(hub.db, rows)
    add_cashier(hub.db, STORE.store_id, "7", "Iryna", "2468")
    return PRODUCTS * 2 + len(DEMO_PRODUCTS)  # barcodes


def _clean_pull(hub: Hub, credential: str, path: Path) -> dict[str, list[tuple[object, ...]]]:
    with open_database(path) as db, HubClient(hub.url, credential, retry=QUICK_RETRY) as client:
        CatalogPuller(client, ReferenceData(db), page_size=PAGE).pull()
        return contents(db)


def test_a_pull_completes_through_a_link_that_fails_seven_requests_in_ten(
        hub: Hub, till_db: Database, tmp_path: Path) -> None:
    _bigger_catalog(hub)
    with proxy_to(hub.url) as proxy:
        config = SyncConfig(proxy.url, pull_page_size=PAGE, push_interval_seconds=0.5, pull_interval_seconds=3600,
                            timeout=5, retry=QUICK_RETRY)
        sync = connect(proxy.url, till_db, hub, config=config, enrol_through=hub.url)
        proxy.fail_requests(0.7, seed=20261202)
        outcomes = []
        for _round in range(ROUNDS):
            outcomes.append(sync.pull())
            if isinstance(outcomes[-1], PullOutcome):
                break
        failed, seen = proxy.failed, proxy.requests_seen
        print(f"\n{len(outcomes)} attempts, {seen} requests, {failed} failed ({proxy.requests_failed})")

    assert isinstance(outcomes[-1], PullOutcome), f"no pull completed in {ROUNDS} attempts ({failed} of {seen} failed)"
    assert all(isinstance(o, HubUnreachable) for o in outcomes[:-1])
    assert len(outcomes) > 1 and failed / seen > 0.6
    assert contents(till_db) == _clean_pull(hub, sync.client.credential or "", tmp_path / "clean.sqlite3")
    assert product_count(till_db) == PRODUCTS + len(DEMO_PRODUCTS)


class Recording:
    """The till's real hub client, with one request made to fail and every request noted."""

    def __init__(self, client: HubClient, fail: tuple[str, int] | None = None) -> None:
        self.client = client
        self.base_url = client.base_url
        self.fail = fail
        self.asked: list[tuple[str, str]] = []

    def pull_page(self, dataset: str, after: str, limit: int):  # noqa: ANN201
        self.asked.append((dataset, after))
        if self.fail == (dataset, sum(d == dataset for d, _after in self.asked) - 1):
            raise HubUnreachable(hub=self.base_url, code="transport", reason="the link broke")
        return self.client.pull_page(dataset, after, limit)


def test_a_pull_cut_short_goes_on_after_a_restart_from_the_pages_it_staged(
        hub: Hub, till_db: Database, tmp_path: Path) -> None:
    barcodes = _bigger_catalog(hub)
    sync = connect(hub.url, till_db, hub)
    cut = Recording(sync.client, fail=("barcodes", 2))  # two pages of barcodes come, then the link breaks

    with pytest.raises(HubUnreachable):
        CatalogPuller(cut, ReferenceData(till_db), page_size=PAGE).pull()  # type: ignore[arg-type]

    assert product_count(till_db) == 0 and ReferenceData(till_db).cursors() == {}  # nothing applied
    with till_db.reading() as conn:
        staged = {d: (c, bool(done)) for d, c, done in conn.exec_driver_sql(
            "SELECT dataset, cursor, complete FROM staged_cursors")}
        assert conn.exec_driver_sql("SELECT count(*) FROM staged_barcodes").scalar_one() == 2 * PAGE
    assert staged["barcodes"][1] is False and all(done for d, (_c, done) in staged.items() if d != "barcodes")
    path = till_db.path
    till_db.close()  # the till stops; it starts again on the same file

    with open_database(path) as db:
        resumed = Recording(sync.client)
        outcome = CatalogPuller(resumed, ReferenceData(db), page_size=PAGE).pull()  # type: ignore[arg-type]

        assert set(outcome.resumed) == {"taxes", "products", "prices", "barcodes", "cashiers", "policies", "promotions",
                                         "promo_codes"}
        assert resumed.asked[0] == ("barcodes", staged["barcodes"][0])  # complete datasets are not asked again
        assert len(resumed.asked) == math.ceil(barcodes / PAGE) - 2
        assert SqlCatalog(db).by_barcode(gtin("2059", 1)) is not None
        assert contents(db) == _clean_pull(hub, sync.client.credential or "", tmp_path / "clean.sqlite3")
