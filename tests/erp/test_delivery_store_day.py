"""Tryton books each sale, and a Z report's cash transfers, on the store's own day: the local date
of the till's UTC time in the store's time zone, as the store's Z report counts it (not the UTC day)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from central.database import HubDatabase
from central.erp import delivery
from central.erp.cash_sessions import closing_for_erp
from central.erp.outbox import DELIVERED, Z_REPORT, erp_outbox
from central.stores import add_store
from central.tables import documents
from tests.central.shop import STORE_ID, Shop, make_sales
from tests.central.store_day_documents import a_day, post, set_up_tills, statuses
from tests.erp.hub_side import TrytonReader, connector, hub_with_shop
from tests.erp.test_delivery_z_reports import POINT, session_of, tills_tryton  # noqa: F401 - the fixture
from tests.erp.tryton_server import TrytonDatabase
from tests.pos.store_day.day import STORE

UTC = timezone.utc
TODAY = datetime.now(UTC).date()  # Tryton's books have periods for this year: the days stay near today
YESTERDAY = TODAY - timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), UTC)


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[HubDatabase, Shop]]:
    monkeypatch.delenv("KASSA_HUB_TIMEZONE", raising=False)  # the shop's store follows the chain's Kyiv
    with hub_with_shop(f"sqlite:///{tmp_path / 'hub.sqlite3'}") as both:
        yield both


def tryton_day(tryton: TrytonDatabase, reference: str) -> Any:
    reader = TrytonReader(tryton)
    try:
        (found,) = reader.connector.call("sale.point.sale", "search_read", [("kassa_reference", "=", reference)],
                                         0, None, None, ["date", "state"])
    finally:
        reader.close()
    assert found["state"] == "posted"
    return found["date"]


def deliver_sales_at(db: HubDatabase, shop: Shop, tryton: TrytonDatabase, *moments: datetime) -> list[Any]:
    till = shop.enrol("T01")
    sales = [replace(sale, completed_at=moment) for sale, moment in zip(make_sales(len(moments), till), moments)]
    assert all(r["status"] == "accepted" for r in shop.push(till, *sales))
    erp = connector(tryton)
    done = delivery.deliver_due(db, erp)
    erp.close()
    assert (done.delivered, done.failed) == (len(moments), 0), done.describe()
    return [tryton_day(tryton, str(sale.sale_id)) for sale in sales]


def test_a_kyiv_stores_sale_at_23_30_utc_is_booked_in_tryton_on_the_next_day_and_one_at_noon_on_its_day(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase) -> None:
    db, shop = hub
    night, noon = at(YESTERDAY, 23, 30), at(TODAY, 12)  # 01:30 (or 02:30 in summer) and 14:00 in Kyiv
    assert deliver_sales_at(db, shop, tryton, night, noon) == [TODAY, TODAY]


def test_a_store_given_its_own_time_zone_is_booked_on_that_zones_day(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase) -> None:
    db, shop = hub
    add_store(db, STORE_ID, "Kyiv 14 (as if in Tokyo)", "Asia/Tokyo")
    evening = at(YESTERDAY, 16)  # 01:00 today in Tokyo (UTC+9); still yesterday in Kyiv
    assert deliver_sales_at(db, shop, tryton, evening) == [TODAY]


def test_a_z_report_closed_at_23_30_utc_books_its_cash_transfers_on_the_kyiv_stores_next_day(
        tills_tryton: TrytonDatabase, hub: tuple[HubDatabase, Shop]) -> None:  # noqa: F811 - the fixture
    db, shop = hub
    till, _ = set_up_tills(shop)
    day = a_day()
    envelopes = day.envelopes()
    assert set(statuses(post(shop, till, *envelopes))) == {"accepted"}
    shop.push(till, *day.sales)
    closing = next(e for e in envelopes if e["series"] == "shift" and e["body"]["event"] == "closed")
    body = {**closing["body"], "at": at(YESTERDAY, 23, 30).isoformat()}  # the till closed after midnight in Kyiv
    with db.writing() as conn:
        conn.execute(update(documents).where(documents.c.document_id == str(closing["document_id"]))
                     .values(body=json.dumps(body)))
    erp = connector(tills_tryton)
    delivery.deliver_due(db, erp, retry_all=True)  # the sales; the Z waits for them to be delivered
    delivery.deliver_due(db, erp, retry_all=True)
    erp.close()
    with db.reading() as conn:
        z = conn.execute(select(erp_outbox).where(erp_outbox.c.kind == Z_REPORT)).one()
        assert closing_for_erp(conn, z.document_id).day == TODAY
    assert z.state == DELIVERED, z.last_error
    assert session_of(tills_tryton, z.erp_reference)["point."]["name"] == POINT == f"{STORE}/{till.till_id}"
    admin = connector(tills_tryton)
    transfers = admin.call("sale.point.cash.transfer", "search_read",
                           [("session", "=", int(z.erp_reference.split()[-1]))], 0, None, None, ["date"])
    admin.close()
    assert transfers and {t["date"] for t in transfers} == {TODAY}
