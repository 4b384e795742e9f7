"""A one-time promo code at two tills of a store, through a real hub process: both tills pull
the code, both use it while the hub is away (each on its last known state), both sales are
accepted when the link is back, the hub reports the second use as a conflict, and after the
next pull each till refuses the code as already used."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.promo_codes import CodeRules, add_code, conflicts
from central.promotions import set_promotions
from local_db.database import open_database
from local_db.promo_codes import SqlPromoCodeBook
from local_db.promotions import load_promotions
from pos.pricing.code_desk import PromoCodeDesk
from pos.pricing.codes import CodeAlreadyUsed
from pos.sale import Sale
from sync.credentials import FileStore
from sync.enrolment import enrol_till
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from tests.fakes import STORE
from tests.sync.conftest import FAST_RETRY, Hub
from tests.ui.returns.till_world import GOODS, SENIOR, RealTill, make_store_file, real_till

CODE_ONLY = {"format": "kassa.promotion.v1", "id": "P-CODE-20", "name": "Promo code -20 %", "kind": "percent_off",
             "percent": "20", "validity": {"needs_code": True}}


@dataclass
class CodeTill:
    real: RealTill
    sync: TillSync
    desk: PromoCodeDesk

    def sell_with(self, code: str) -> Sale:
        till = self.real.till
        till.scan(GOODS[0].barcode)
        self.desk.apply(code)
        sale = till.pay_cash("").sale
        assert sale is not None
        return sale


def _enrolled(hub: Hub, path: Path, till_id: str) -> CodeTill:
    make_store_file(path, till_id, STORE.store_id)
    with open_database(path) as db:
        load_promotions(db, [CODE_ONLY])  # the till's promotions (the hub's dataset in production)
    real = real_till(path, till_id, store_id=STORE.store_id, who=SENIOR)
    with HubClient(hub.url, retry=FAST_RETRY) as enrolling:
        enrolment = enrol_till(real.db, enrolling, hub.enrolment_code(STORE.store_id, till_id),
                               FileStore(path.parent), store_id=STORE.store_id, till_id=till_id)
    config = SyncConfig(hub.url, push_interval_seconds=0.5, pull_interval_seconds=3600, retry=FAST_RETRY)
    sync = TillSync(real.db, HubClient(hub.url, enrolment.credential, timeout=5, retry=FAST_RETRY), config)
    return CodeTill(real, sync, PromoCodeDesk(real.till, SqlPromoCodeBook(real.db, "UAH")))


@pytest.fixture
def two_tills(hub: Hub, tmp_path: Path) -> Iterator[tuple[CodeTill, CodeTill]]:
    import_catalog(hub.db, rows_from_products(GOODS[:2]))
    set_promotions(hub.db, [CODE_ONLY])
    add_code(hub.db, "ONCE2026", CodeRules(("P-CODE-20",), uses_allowed=1))
    tills = (_enrolled(hub, tmp_path / "a" / "till.sqlite3", "T01"), _enrolled(hub, tmp_path / "b" / "till.sqlite3", "T02"))
    yield tills
    for till in tills:
        till.sync.client.close()
        till.real.db.close()


def test_two_tills_use_a_one_time_code_offline_both_sales_stand_and_the_hub_reports_the_second(
        hub: Hub, two_tills: tuple[CodeTill, CodeTill]) -> None:
    first, second = two_tills
    for till in two_tills:
        pulled = till.sync.pull()
        assert not isinstance(pulled, Exception), pulled

    # the hub is away for both: nothing is pushed until both sold with the code
    sale_a, sale_b = first.sell_with("ONCE2026"), second.sell_with("once-2026")
    assert sale_a.promo_codes == sale_b.promo_codes == ("ONCE2026",)
    assert sale_a.discount.amount > 0 and sale_b.discount.amount > 0  # the code's promotion was given

    first.sync.push()
    second.sync.push()
    assert hub.sale_count() == 2  # both accepted: the customers have the goods

    [conflict] = conflicts(hub.db)
    assert (conflict.code, conflict.sale_id, conflict.till_id) == ("ONCE2026", str(sale_b.sale_id), "T02")
    assert conflict.reason == "used once already: a one-time code"

    for till in two_tills:
        assert not isinstance(till.sync.pull(), Exception)
        till.real.till.scan(GOODS[1].barcode)
        with pytest.raises(CodeAlreadyUsed):
            till.desk.apply("ONCE2026")
