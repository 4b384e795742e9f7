"""The newcomer's story of the README: the demo till sends its sales to the demo hub,
keeps selling while the hub is stopped, and its queue drains when the hub is back."""

from __future__ import annotations

import socket

import pytest

from local_db.database import open_database
from local_db.demo_store import create_demo_store
from local_db.outbox import SqlOutbox
from pos.demo_catalog import generate_catalog
from shell.demo import connect_to_hub, demo_settings
from shell.demo_hub import DemoHub
from shell.till import OpenTill
from shell.wiring import build_services
from tests.shift_setup import open_shift_in

ITEMS = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sell(till, barcode: str) -> None:  # noqa: ANN001
    till.scan(barcode)
    till.pay_cash("")


def sales_at_hub(hub: DemoHub) -> int:
    last = hub.sales_report().splitlines()[-1]  # "N sale(s)"
    return int(last.split()[0])


@pytest.fixture
def demo(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("KASSA_DATA_DIR", str(tmp_path))
    settings = demo_settings(tmp_path / "demo")
    db = open_database(settings.database.path)
    create_demo_store(db, items=ITEMS)
    hub = DemoHub(tmp_path / "demo" / "hub", free_port())
    try:
        yield connect_to_hub(settings, db, hub, ITEMS), db, hub
    finally:
        hub.stop()


def test_the_demo_till_sells_through_a_hub_outage_and_the_queue_drains(demo):
    settings, db, hub = demo
    open_shift_in(db, settings.store.store_id, settings.till.till_id, settings.store.currency)
    till = build_services(settings, db).till
    till.start()
    till.sign_in("1", "1234")
    barcode = next(p.barcode for p in generate_catalog(ITEMS) if p.barcode)
    sync = OpenTill(settings, db).sync
    assert sync is not None

    sell(till, barcode)
    sell(till, barcode)
    sync.sync_now()
    assert sales_at_hub(hub) == 2 and SqlOutbox(db).unsent_count() == 0

    hub.stop()
    sell(till, barcode)  # the hub is down: the till sells all the same
    sync.sync_now()
    assert SqlOutbox(db).unsent_count() == 1

    hub.start()
    sync.sync_now()
    assert sales_at_hub(hub) == 3 and SqlOutbox(db).unsent_count() == 0


def test_a_second_demo_start_reuses_the_hub_and_the_enrolment(demo):
    settings, db, hub = demo
    again = connect_to_hub(settings, db, hub, ITEMS)
    assert again.sync is not None and again.sync.hub_url == hub.url
