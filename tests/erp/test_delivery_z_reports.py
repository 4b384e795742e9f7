"""A till's Z report closes its point of sale's cash session in Tryton, after its shift's sales,
once, with the counted cash and the difference (counted - expected) as a transfer of its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from central.erp import delivery
from central.erp.cash_sessions import (DIFFERENCE_TYPE, IN_AND_OUT_TYPE, _balance, _the_session, _till_point,
                                       closing_for_erp)
from central.erp.outbox import DELIVERED, QUEUED, Z_REPORT, erp_outbox
from tests.central.conftest import scratch_postgresql_url
from tests.central.store_day_documents import a_day, post, set_up_tills, statuses
from tests.erp.hub_side import TrytonReader, connector, hub_with_shop
from tests.erp.test_delivery_returns import add_point_of_sale
from tests.erp.tryton_server import TrytonDatabase
from tests.erp.tryton_template import ADMIN_PASSWORD
from tests.pos.store_day.day import STORE, TILL

POINT = f"{STORE}/{TILL}"


def add_transfer_types(tryton: TrytonDatabase) -> None:
    """The two cash transfer types the connector books with (as the chain's accountant adds them)."""
    admin = connector(replace(tryton, login="admin", password=ADMIN_PASSWORD))
    (company,) = admin.call("company.company", "search", [], 0, 1, None)
    (journal,) = admin.call("account.journal", "search", [("type", "=", "cash")], 0, 1, None)
    (account,) = admin.call("account.account", "search", [("type.expense", "=", True), ("closed", "!=", True)],
                            0, 1, None)
    for name in (DIFFERENCE_TYPE, IN_AND_OUT_TYPE):
        if not admin.call("sale.point.cash.transfer.type", "search", [("name", "=", name)], 0, 1, None):
            admin.call("sale.point.cash.transfer.type", "create",
                       [{"company": company, "name": name, "journal": journal, "account": account}])
    admin.close()


@pytest.fixture
def tills_tryton(tryton: TrytonDatabase) -> TrytonDatabase:
    add_point_of_sale(tryton, POINT)
    add_transfer_types(tryton)
    return tryton


def session_of(tryton: TrytonDatabase, reference: str) -> dict[str, Any]:
    erp = connector(replace(tryton, login="admin", password=ADMIN_PASSWORD))
    session_id = int(reference.split()[-1])
    (session,) = erp.call("sale.point.cash.session", "read", [session_id],
                          ["state", "start_amount", "balance", "end_amount", "point.name"])
    transfers = erp.call("sale.point.cash.transfer", "search_read", [("session", "=", session_id)], 0, None,
                         [("id", "ASC")], ["type.name", "amount", "state"])
    erp.close()
    return {**session, "transfers": [(t["type."]["name"], t["amount"], t["state"]) for t in transfers]}


def z_row(db: Any) -> Any:
    with db.reading() as conn:
        return conn.execute(select(erp_outbox).where(erp_outbox.c.kind == Z_REPORT)).one()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    with hub_with_shop(f"sqlite:///{tmp_path / 'hub.sqlite3'}") as (db, shop):
        yield db, shop


def counted_and_expected(envelopes: list[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    closing = next(e["body"] for e in envelopes if e["series"] == "shift" and e["body"]["event"] == "closed")
    return Decimal(closing["counted_total"]), Decimal(closing["expected"])


def test_a_z_report_closes_and_posts_the_tills_cash_session_with_the_counted_cash_and_its_difference(
        tills_tryton: TrytonDatabase, hub: tuple[Any, Any]) -> None:
    closes_the_session_once(tills_tryton, *hub)


def test_on_a_postgresql_hub_too_a_z_report_closes_the_tills_cash_session_once(tills_tryton: TrytonDatabase) -> None:
    with scratch_postgresql_url("erp_z") as url, hub_with_shop(url) as (db, shop):
        closes_the_session_once(tills_tryton, db, shop)


def closes_the_session_once(tills_tryton: TrytonDatabase, db: Any, shop: Any) -> None:
    till, _ = set_up_tills(shop)
    day = a_day()
    envelopes = day.envelopes()
    counted, expected = counted_and_expected(envelopes)
    assert counted != expected  # the day's count is short or over: the difference must show
    assert set(statuses(post(shop, till, *envelopes))) == {"accepted"}
    erp = connector(tills_tryton)
    early = delivery.deliver_due(db, erp)  # the Z came before its sales: it waits for them
    assert early.held == 1 and "waiting for the shift's sales" in (z_row(db).last_error or "")
    shop.push(till, *day.sales)
    sold = delivery.deliver_due(db, erp, retry_all=True)  # the Z, ahead in the queue, still waits
    assert (sold.delivered, sold.held, sold.failed) == (len(day.sales), 1, 0), sold.describe()
    done = delivery.deliver_due(db, erp, retry_all=True)  # a minute later: its sales went, so it goes
    z = z_row(db)
    assert z.state == DELIVERED, (z.last_error, done.describe())
    session = session_of(tills_tryton, z.erp_reference)
    assert session["state"] == "posted" and session["point."]["name"] == POINT
    assert session["end_amount"] == counted
    assert (DIFFERENCE_TYPE, counted - expected, "posted") in session["transfers"]
    assert session["start_amount"] + session["balance"] == counted
    # the answer lost: the same Z queued again is found posted, and nothing is added
    with db.writing() as conn:
        conn.execute(update(erp_outbox).where(erp_outbox.c.kind == Z_REPORT).values(state=QUEUED))
    again = delivery.deliver_due(db, erp, retry_all=True)
    erp.close()
    assert (again.delivered, again.already_there) == (1, 1), again.describe()
    assert session_of(tills_tryton, z_row(db).erp_reference) == session


def test_a_z_report_left_half_done_by_a_crash_is_finished_without_doubling_a_transfer(
        tills_tryton: TrytonDatabase, hub: tuple[Any, Any]) -> None:
    db, shop = hub
    till, _ = set_up_tills(shop)
    day = a_day()
    envelopes = day.envelopes()
    counted, expected = counted_and_expected(envelopes)
    shop.push(till, *day.sales)
    post(shop, till, *envelopes[:-1])  # the day without its Z: its sales and return go first
    erp = connector(tills_tryton)
    first = delivery.deliver_due(db, erp, retry_all=True)
    assert (first.delivered, first.failed) == (len(day.sales) + 1, 0), first.describe()
    post(shop, till, envelopes[-1])
    with db.writing() as conn:
        delivery.queue_z_reports(conn, delivery._now())
    with db.reading() as conn:  # a crash after the transfers were made, before the close
        closing = closing_for_erp(conn, z_row(db).document_id)
    point = _till_point(erp, closing)
    session = _the_session(erp, point, closing)
    assert session is not None and session["state"] == "open"
    _balance(erp, point, session, closing)
    done = delivery.deliver_due(db, erp, retry_all=True)
    erp.close()
    assert (done.delivered, done.already_there) == (1, 0), done.describe()
    closed = session_of(tills_tryton, z_row(db).erp_reference)
    assert closed["state"] == "posted" and closed["end_amount"] == counted
    assert [t[0] for t in closed["transfers"]].count(DIFFERENCE_TYPE) == 1
    assert (DIFFERENCE_TYPE, counted - expected, "posted") in closed["transfers"]
    assert closed["start_amount"] + closed["balance"] == counted


def test_a_till_without_its_own_point_of_sale_leaves_the_z_failed_with_the_reason(
        tryton: TrytonDatabase, hub: tuple[Any, Any]) -> None:
    db, shop = hub
    till = shop.enrol("T9", store_id=STORE)
    day = a_day()
    day.shift.till_id = "T9"
    day.sales = [replace(s, till_id="T9") for s in day.sales]
    day.returns = [replace(r, till_id="T9", original_till_id="T9") for r in day.returns]
    shop.push(till, *day.sales)
    post(shop, till, *day.envelopes())
    add_point_of_sale(tryton, STORE)  # the store's sales have a point; the till has none of its own
    erp = connector(tryton)
    for _ in range(3):
        delivery.deliver_due(db, erp, retry_all=True)
    erp.close()
    z = z_row(db)
    assert z.state == "failed" and f"no point of sale '{STORE}/T9'" in z.last_error


def test_a_sale_of_the_next_shift_waits_for_the_z_so_its_cash_goes_to_the_next_session(
        tills_tryton: TrytonDatabase, hub: tuple[Any, Any]) -> None:
    db, shop = hub
    till, _ = set_up_tills(shop)
    day = a_day()
    envelopes = day.envelopes()
    closed_at = datetime.fromisoformat(next(e["body"]["at"] for e in envelopes if e["series"] == "shift"
                                            and e["body"]["event"] == "closed"))
    next_shift = replace(day.sales[0], sale_id=uuid.uuid4(), receipt_number=len(day.sales) + 1,
                         completed_at=closed_at + timedelta(hours=1))
    post(shop, till, *envelopes)
    assert statuses(shop.push(till, next_shift)) == ["accepted"]
    erp = connector(tills_tryton)
    waiting = delivery.deliver_due(db, erp)  # the Z waits for its sales, the next shift's sale for the Z
    with db.reading() as conn:
        reason = conn.execute(select(erp_outbox.c.last_error).where(
            erp_outbox.c.document_id == str(next_shift.sale_id))).scalar_one()
    assert waiting.held == 2 and "waiting for the Z report" in reason
    shop.push(till, *day.sales)
    for _ in range(3):  # the shift's sales, then the Z, then the next shift's sale
        delivery.deliver_due(db, erp, retry_all=True)
    erp.close()
    assert delivery.counts(db)[QUEUED] == 0
    reader = TrytonReader(tills_tryton)
    (later,) = reader.sales(str(next_shift.sale_id))
    (first,) = reader.sales(str(day.sales[0].sale_id))
    sessions = [reader.connector.call("sale.point.payment", "search_read",
                                      [("sale", "=", s["id"]), ("session", "!=", None)], 0, 1, None,
                                      ["session", "session.state"]) for s in (first, later)]
    reader.close()
    assert z_row(db).erp_reference == f"cash session {sessions[0][0]['session']}"
    assert sessions[1][0]["session"] != sessions[0][0]["session"] and sessions[1][0]["session."]["state"] == "open"


def test_a_z_waiting_for_a_sale_that_never_reaches_the_hub_goes_without_it_after_its_patience(
        tills_tryton: TrytonDatabase, hub: tuple[Any, Any]) -> None:
    from central.erp.cash_sessions import PATIENCE

    db, shop = hub
    till, _ = set_up_tills(shop)
    day = a_day()
    envelopes = day.envelopes()
    counted, _ = counted_and_expected(envelopes)
    assert set(statuses(shop.push(till, day.sales[0], day.sales[2]))) == {"accepted"}  # receipt 2 stays away
    post(shop, till, *envelopes)
    erp = connector(tills_tryton)
    now = delivery.deliver_due(db, erp, retry_all=True)
    assert "receipts 1-3) to reach the hub" in (z_row(db).last_error or ""), now.describe()
    later = delivery.deliver_due(db, erp, retry_all=True, clock=lambda: delivery._now() + PATIENCE)
    erp.close()
    assert z_row(db).state == DELIVERED, later.describe()
    closed = session_of(tills_tryton, z_row(db).erp_reference)
    assert closed["state"] == "posted" and closed["end_amount"] == counted
