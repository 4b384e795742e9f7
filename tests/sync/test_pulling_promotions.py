"""Promotions from a real hub process to a real till database: set at the hub, pulled with the
catalog, held by the till; one the till cannot read skipped alone; a pull in the middle of a
sale leaves that sale as it was and the next sale takes the new set; a hub without the
dataset does not stop the pull."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import update

from central.promotion_tables import promotions
from central.promotions import remove_promotion, store_promotions
from central.versions import VersionClock
from local_db.catalog import SqlCatalog
from local_db.database import Database
from local_db.journal import SqlJournal
from local_db.promotions import SqlPromotions, skipped_promotions
from local_db.reference_data import ReferenceData
from pos.money import Money
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from sync.pull import CatalogPuller, PullOutcome
from tests.fakes import SHAMPOO, STORE, VITAMINS, MemoryCashiers, StepClock
from tests.sync.conftest import Hub, connect
from tests.sync.poison_proxy import poison_proxy
from tests.sync.test_pulling_from_an_older_hub import older_hub


def percent_off(promotion_id: str, percent: str, product: str) -> dict:
    return {"format": "kassa.promotion.v1", "id": promotion_id, "name": f"{product} -{percent} %",
            "kind": "percent_off", "percent": percent, "scope": {"products": [product]}}


def _ids(till_db: Database) -> set[str]:
    held = SqlPromotions(till_db, "UAH").current()
    return {p.promotion_id for p in held.promotions} | {c.cap_id for c in held.caps}


def test_promotions_set_at_the_hub_reach_the_till_and_a_removed_one_goes(hub: Hub, till_db: Database) -> None:
    store_promotions(hub.db, [percent_off("P-SHAMPOO-10", "10", SHAMPOO.code),
                              percent_off("P-VITAMINS-5", "5", VITAMINS.code)])
    sync = connect(hub.url, till_db, hub)

    outcome = sync.pull()

    assert isinstance(outcome, PullOutcome) and outcome.items["promotions"] == 2
    assert _ids(till_db) == {"P-SHAMPOO-10", "P-VITAMINS-5"}
    assert SqlPromotions(till_db, "UAH").current().version == ReferenceData(till_db).cursors()["promotions"].cursor
    remove_promotion(hub.db, "P-VITAMINS-5")
    assert sync.pull().items["promotions"] == 1  # type: ignore[union-attr]
    assert _ids(till_db) == {"P-SHAMPOO-10"}
    assert sync.pull().items["promotions"] == 0  # type: ignore[union-attr]  # nothing new: nothing sent


def test_a_definition_the_till_cannot_read_is_skipped_alone_and_the_rest_of_the_pull_applied(
        hub: Hub, till_db: Database) -> None:
    store_promotions(hub.db, [percent_off("P-SHAMPOO-10", "10", SHAMPOO.code),
                              percent_off("P-NEWER", "5", VITAMINS.code)])
    newer = {"format": "kassa.promotion.v2", "id": "P-NEWER", "name": "Points x2", "kind": "points", "factor": "2"}
    with hub.db.writing() as conn, VersionClock(conn) as clock:  # what only a newer hub could send
        conn.execute(update(promotions).where(promotions.c.promotion_id == "P-NEWER")
                     .values(definition=json.dumps(newer), version=clock.next()))
    sync = connect(hub.url, till_db, hub)

    outcome = sync.pull()

    assert isinstance(outcome, PullOutcome) and outcome.items["promotions"] == 2 and outcome.items["products"] >= 1
    assert _ids(till_db) == {"P-SHAMPOO-10"}
    [(skipped, why)] = skipped_promotions(till_db)
    assert skipped == "P-NEWER" and "kassa.promotion.v2" in why


def _till(till_db: Database) -> Till:
    journal = SqlJournal(till_db, STORE.till_id)
    till = Till(TillSettings(STORE, CashPolicy(Decimal("0.01"))), catalog=SqlCatalog(till_db), journal=journal,
                baskets=journal, cashiers=MemoryCashiers(), clock=StepClock(),
                promotions=SqlPromotions(till_db, STORE.currency))
    till.sign_in("1", "1234")
    return till


def test_a_pull_in_the_middle_of_a_sale_leaves_it_as_it_was_and_the_next_sale_takes_the_new_promotions(
        hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    sync.pull()
    till = _till(till_db)
    till.scan(SHAMPOO.barcode)
    assert till.priced().discount == Money.of("0", "UAH")

    store_promotions(hub.db, [percent_off("P-SHAMPOO-10", "10", SHAMPOO.code)])
    assert sync.pull().items["promotions"] == 1  # type: ignore[union-attr]

    assert till.priced().discount == Money.of("0", "UAH")  # the open sale keeps the set it began with
    first = till.pay_cash("").sale
    assert first is not None and first.total == SHAMPOO.price and first.lines[0].discounts == ()
    till.scan(SHAMPOO.barcode)
    assert till.priced().discount == Money.of("8.99", "UAH")  # 10 % of 89.90, at the next sale
    second = till.pay_cash("").sale
    assert second is not None and second.total == Money.of("80.91", "UAH")
    assert [d.promotion_id for d in second.lines[0].discounts] == ["P-SHAMPOO-10"]


def test_a_hub_without_the_promotions_dataset_still_gives_the_catalog_and_the_till_keeps_its_promotions(
        hub: Hub, till_db: Database) -> None:
    store_promotions(hub.db, [percent_off("P-SHAMPOO-10", "10", SHAMPOO.code)])
    connect(hub.url, till_db, hub).pull()
    with poison_proxy(hub.url) as proxy:
        sync = connect(older_hub(proxy, "promotions").url, till_db, hub, enrol_through=hub.url)
        store_promotions(hub.db, [percent_off("P-SHAMPOO-10", "50", SHAMPOO.code)])

        outcome = CatalogPuller(sync.client, ReferenceData(till_db)).pull()

    assert outcome.items["promotions"] == 0
    assert SqlCatalog(till_db).by_code(SHAMPOO.code) == SHAMPOO
    [kept] = SqlPromotions(till_db, "UAH").current().promotions
    assert kept.promotion_id == "P-SHAMPOO-10" and kept.benefit.percent == Decimal("10")  # type: ignore[union-attr]


def test_the_demo_hub_gives_the_demo_till_the_same_promotions_it_starts_with(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from datetime import date

    from local_db.database import open_database
    from local_db.demo_store import create_demo_store
    from shell.demo import connect_to_hub, demo_settings
    from shell.demo_hub import DemoHub
    from shell.till import OpenTill
    from tests.test_demo import free_port

    monkeypatch.setenv("KASSA_DATA_DIR", str(tmp_path))
    settings = demo_settings(tmp_path / "demo")
    db = open_database(settings.database.path)
    create_demo_store(db, items=300, promotions=True)
    before = SqlPromotions(db, "UAH").current()
    hub = DemoHub(tmp_path / "demo" / "hub", free_port())
    try:
        with OpenTill(connect_to_hub(settings, db, hub, 300), db) as till:
            assert till.sync is not None
            outcome = till.sync.pull()
            assert isinstance(outcome, PullOutcome) and outcome.items["promotions"] == len(before.promotions) + 1
            after = till.promotions.current()
            assert after.promotions == before.promotions and after.caps == before.caps
            assert skipped_promotions(db) == [] and after.version != "demo"
            assert hub.promotions(date.today(), 300) is False  # given once a day
    finally:
        hub.stop()
