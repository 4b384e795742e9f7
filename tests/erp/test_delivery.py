"""The hub delivers each accepted sale to a real Tryton as a posted POS sale, exactly once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from central.database import HubDatabase
from central.erp import delivery
from central.erp.erp_cli import status_lines
from central.erp.outbox import DELIVERED, QUEUED, erp_outbox
from tests.central.shop import Shop
from tests.erp.hub_side import TrytonReader, connector, hub_with_shop, push_sales
from tests.erp.tryton_server import TrytonDatabase


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[HubDatabase, Shop]]:
    with hub_with_shop(f"sqlite:///{tmp_path / 'hub.sqlite3'}") as both:
        yield both


@pytest.fixture
def reader(tryton: TrytonDatabase) -> Iterator[TrytonReader]:
    found = TrytonReader(tryton)
    yield found
    found.close()


def states(db: HubDatabase) -> dict[str, str]:
    with db.reading() as conn:
        return {r.document_id: r.state for r in conn.execute(select(erp_outbox.c.document_id, erp_outbox.c.state))}


def test_an_accepted_sale_lands_in_tryton_posted_with_its_lines_prices_and_payment(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase, reader: TrytonReader) -> None:
    db, shop = hub
    sale = push_sales(shop, 3)[2]  # shampoo, cream and vitamins: VAT 20 % and 7 %
    assert states(db)[str(sale.sale_id)] == QUEUED
    erp = connector(tryton)
    started = time.monotonic()
    done = delivery.deliver_due(db, erp)
    took = time.monotonic() - started
    erp.close()
    assert (done.delivered, done.failed, done.retried) == (3, 0, 0), done.describe()
    print(f"3 sales delivered in {took:.2f} s")
    (found,) = reader.sales(str(sale.sale_id))
    assert found["state"] == "posted" and found["move"] and found["point."]["name"] == "UA-KYIV-014"
    assert found["total"] == sale.total.amount
    lines = reader.lines(found["id"])
    assert [(line["product."]["code"], Decimal(str(line["quantity"])), line["amount"]) for line in lines] == [
        (line.product_code, line.quantity, line.total.amount) for line in sale.lines]
    assert [(p["method."]["name"], p["amount"]) for p in reader.payments(found["id"])] == [("Cash", sale.total.amount)]
    assert set(states(db).values()) == {DELIVERED}


def test_a_sale_delivered_again_after_its_answer_was_lost_stays_one_sale_in_tryton(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase, reader: TrytonReader) -> None:
    db, shop = hub
    (sale,) = push_sales(shop, 1)
    erp = connector(tryton)
    delivery.deliver_due(db, erp)
    with db.writing() as conn:  # the hub never learnt Tryton had committed it
        conn.execute(update(erp_outbox).values(state=QUEUED, erp_reference=None))
    again = delivery.deliver_due(db, erp)
    erp.close()
    assert (again.delivered, again.already_there) == (1, 1)
    assert len(reader.sales(str(sale.sale_id))) == 1


def test_a_sale_left_open_in_tryton_by_a_crash_is_processed_and_posted_not_made_again(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase, reader: TrytonReader) -> None:
    db, shop = hub
    (sale,) = push_sales(shop, 1)
    erp = connector(tryton)
    with db.reading() as conn:
        erp_sale = delivery.sale_for_erp(conn, str(sale.sale_id))
    erp.call("sale.point.sale", "create", [erp._sale_values(erp_sale)])  # created, then the hub died
    assert reader.sales(str(sale.sale_id))[0]["state"] == "open"
    done = delivery.deliver_due(db, erp)
    erp.close()
    assert (done.delivered, done.already_there) == (1, 1)
    (found,) = reader.sales(str(sale.sale_id))
    assert found["state"] == "posted"


def test_the_status_shows_the_counts_and_the_reason_of_each_failed_sale(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase) -> None:
    db, shop = hub
    push_sales(shop, 1)
    (elsewhere,) = push_sales(shop, 1, store_id="UA-ODESA-001", till_id="T09")  # no point of sale in Tryton
    erp = connector(tryton)
    done = delivery.deliver_due(db, erp)
    erp.close()
    assert (done.delivered, done.failed) == (1, 1)
    lines = status_lines(db)
    assert "queued 0, delivered 1, failed 1" in lines
    assert any(str(elsewhere.sale_id) in line and "no point of sale for store 'UA-ODESA-001'" in line for line in lines)


def test_a_failed_sale_waits_for_a_fix_and_the_retry_then_goes_once(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase, reader: TrytonReader) -> None:
    db, shop = hub
    (sale,) = push_sales(shop, 1)
    wrong = connector(tryton, password="not-the-password")
    done = delivery.deliver_due(db, wrong)
    wrong.close()
    assert done.failed == 1 and "refused user 'kassa'" in done.reasons[0]
    assert "not-the-password" not in "\n".join(status_lines(db))
    erp = connector(tryton)
    assert delivery.deliver_due(db, erp).claimed == 0  # failed: not retried by itself
    assert delivery.retry_failed(db) == 1
    assert delivery.deliver_due(db, erp).delivered == 1
    erp.close()
    assert len(reader.sales(str(sale.sale_id))) == 1


def test_a_user_without_rights_leaves_the_sale_failed_with_tryton_s_words(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase) -> None:
    from tests.erp.tryton_template import CLERK_LOGIN, CLERK_PASSWORD

    db, shop = hub
    push_sales(shop, 1)
    clerk = connector(tryton, user=CLERK_LOGIN, password=CLERK_PASSWORD)
    done = delivery.deliver_due(db, clerk)
    clerk.close()
    assert done.failed == 1 and "not allowed" in done.reasons[0]


def test_a_product_tryton_does_not_have_is_named_in_the_failure(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase) -> None:
    db, shop = hub
    (sale,) = push_sales(shop, 1)
    erp = connector(tryton)
    with db.reading() as conn:
        erp_sale = delivery.sale_for_erp(conn, str(sale.sale_id))
    from dataclasses import replace

    missing = replace(erp_sale, reference=f"{erp_sale.reference[:-4]}beef",
                      lines=(replace(erp_sale.lines[0], product_code="9999-GONE"),))
    with pytest.raises(delivery.ErpRefused, match="no product '9999-GONE'"):
        erp.deliver_sale(missing)
    erp.close()


def test_backoff_grows_with_the_attempts_and_stops_at_fifteen_minutes() -> None:
    waits = [delivery.backoff(n) for n in (1, 2, 5, 30)]
    assert timedelta(seconds=5) <= waits[0] <= timedelta(seconds=10)
    assert waits[1] > timedelta(seconds=9) and waits[2] > timedelta(seconds=79)
    assert waits[3] <= timedelta(minutes=15, seconds=5)


def test_a_sale_flagged_for_an_unknown_product_waits_until_mapped_then_goes_with_the_catalog_s_code(
        hub: tuple[HubDatabase, Shop], tryton: TrytonDatabase, reader: TrytonReader) -> None:
    from central.flagged_sales import map_product
    from pos.codec import sale_to_dict
    from tests.central.shop import make_sales

    db, shop = hub
    till = shop.enrol("T01")
    document = sale_to_dict(make_sales(1, till)[0])
    document["lines"][0]["product_code"] = "OLD-1001"  # a code the till knew and the hub does not
    (answer,) = shop.push(till, document)
    assert answer["status"] == "accepted" and answer["reason"] == "unknown_product"
    erp = connector(tryton)
    held = delivery.deliver_due(db, erp)
    assert (held.held, held.delivered) == (1, 0)
    assert states(db)[document["sale_id"]] == QUEUED
    map_product(db, "OLD-1001", "1001")
    later = lambda: datetime.now(timezone.utc) + timedelta(minutes=2)  # noqa: E731 - past the minute it waits
    released = delivery.deliver_due(db, erp, clock=later)
    erp.close()
    assert released.delivered == 1, released.describe()
    (found,) = reader.sales(document["sale_id"])
    assert [line["product."]["code"] for line in reader.lines(found["id"])] == ["1001"]
