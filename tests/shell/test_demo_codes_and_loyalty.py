"""The demo has promo codes and loyalty rules: the embedded store holds them (``kassa demo
--no-hub``) until a hub sends its own, and the demo hub is given the same ones, so the till
pulls them."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from local_db.database import Database, open_database
from local_db.demo_store import create_demo_store, load_demo_loyalty_rules, load_demo_promo_codes
from local_db.loyalty import SqlLoyalty
from local_db.promo_codes import SqlPromoCodeBook
from local_db.promotions import SqlPromotions
from pos.demo_catalog import generate_catalog
from pos.demo_loyalty import DEMO_PROMO_CODES
from pos.pricing.code_desk import PromoCodeDesk
from shell.demo import connect_to_hub, demo_settings
from shell.demo_hub import DemoHub
from shell.wiring import build_services
from tests.shift_setup import open_shift_in

ITEMS = 300
TODAY = date(2026, 12, 2)


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:  # noqa: ANN001
    database = open_database(tmp_path / "till.sqlite3")
    yield database
    database.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_each_demo_code_unlocks_a_promotion_the_demo_store_holds_and_the_rules_earn_more_for_vip(
        db: Database) -> None:
    create_demo_store(db, items=ITEMS, promotions=True, today=TODAY)
    held = {p.promotion_id for p in SqlPromotions(db, "UAH").current().promotions}
    book = SqlPromoCodeBook(db, "UAH")
    for code, promotion_id in DEMO_PROMO_CODES:
        entry = book.entry(code)
        assert entry is not None and entry.promotion_ids == frozenset({promotion_id}) and promotion_id in held
    rules = SqlLoyalty(db).rules()
    assert rules is not None and rules.earn["vip"] > rules.earn["gold"] > rules.earn["default"] == Decimal("1")
    balances = {row[0] for row in db.read(lambda c: c.exec_driver_sql("SELECT points_balance FROM customers").all(),
                                             "reading balances")}
    assert 2500 in balances  # the demo customers open with points, so F7 pays with them


def test_welcome10_takes_20_percent_off_skin_care_in_the_demo_store(tmp_path) -> None:  # noqa: ANN001
    settings = demo_settings(tmp_path / "demo")
    db = open_database(settings.database.path)
    create_demo_store(db, items=ITEMS, promotions=True)
    open_shift_in(db, settings.store.store_id, settings.till.till_id, settings.store.currency)
    till = build_services(settings, db).till
    till.start()
    till.sign_in("1", "1234")
    cream = next(p for p in generate_catalog(ITEMS) if p.category == "Skin care" and p.barcode)
    till.scan(cream.barcode)
    before = till.view().total
    PromoCodeDesk(till, SqlPromoCodeBook(db, "UAH")).apply("welcome10")
    assert till.promo_codes == ("WELCOME10",)
    priced = till.view().priced
    assert priced is not None and "P-CODE-WELCOME" in {d.promotion_id for d in priced.lines[0].discounts}
    assert till.view().total < before
    db.close()


def test_a_hubs_own_codes_and_rules_are_left_alone_by_the_demo_store(db: Database) -> None:
    SqlLoyalty(db).keep_rules('{"format": "kassa.loyalty.v1", "earn": {"default": "5"}, "point_value": "0.01", '
                              '"min_redeem": 1, "offline_cap_per_sale": 10, "offline_cap_per_day": 10}')
    with db.writing() as conn:
        conn.exec_driver_sql("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) "
                             "VALUES ('promo_codes', '3', '3', '2026-12-02T10:00:00+00:00')")
    assert load_demo_loyalty_rules(db) is False and load_demo_promo_codes(db) is False
    rules = SqlLoyalty(db).rules()
    assert rules is not None and rules.earn == {"default": Decimal("5")}
    assert SqlPromoCodeBook(db, "UAH").entry("WELCOME10") is None


def test_the_demo_hub_gets_the_codes_and_rules_once_and_the_till_pulls_them(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("KASSA_DATA_DIR", str(tmp_path))
    settings = demo_settings(tmp_path / "demo")
    db = open_database(settings.database.path)
    create_demo_store(db, items=200)  # no demo codes or rules of its own: they must come from the hub
    hub = DemoHub(tmp_path / "demo" / "hub", free_port())
    try:
        settings = connect_to_hub(settings, db, hub, 200)
        listed = hub._hub("promo-codes")
        assert all(code in listed and promotion_id in listed for code, promotion_id in DEMO_PROMO_CODES)
        assert '"vip"' in hub._hub("loyalty")
        assert ": 2500" in hub._hub("loyalty")  # Olena's opening points (pos.demo_customers.OPENING_POINTS)
        assert hub.customers(date.today()) is False  # given once: the grant is not given again
        assert hub._hub("loyalty").count(": 2500") == 1
        assert hub.codes_and_loyalty() is False  # given once
        from shell.till import OpenTill

        sync = OpenTill(settings, db).sync
        assert sync is not None
        sync.sync_now()
        assert SqlPromoCodeBook(db, "UAH").entry("HAIR2FOR1") is not None
        rules = SqlLoyalty(db).rules()
        assert rules is not None and rules.earn["vip"] == Decimal("3")
    finally:
        hub.stop()
        db.close()
