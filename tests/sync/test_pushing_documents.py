"""The store's day documents reach a real hub process (POST /v1/documents) exactly once,
after the sales, in outbox order; a document the hub rejects is quarantined alone; the hub
answers what was returned of a sale (GET /v1/sales/{id}/returned)."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from central.tables import documents
from local_db.database import Database
from local_db.outbox import DocumentRow, OutboxCounts, SqlOutbox, add_document
from local_db.store_day_journal import SqlStoreDay
from pos.store_day import forms
from pos.store_day.approval import ApprovalRecord
from pos.store_day.report import CancelledSale
from pos.store_day.roles import DEFAULT_TABLE, Action
from pos.store_day.shift import CASH_OUT
from tests.fakes import CREAM, SHAMPOO, STORE
from tests.local_db.store_day_builders import close, give_back, open_shift, sell
from tests.pos.store_day.day import CASHIER, MANAGER, at, basket_of, money
from sync.errors import BadAnswer, RequestRefused
from sync.push import Failure, failure_kind
from tests.sync.conftest import Hub, connect
from tests.sync.proxy import proxy_to


def _day(till_db: Database) -> SqlStoreDay:
    store = SqlStoreDay(till_db, STORE.till_id)
    shift = open_shift(store, store_id=STORE.store_id)
    sale = sell(store, basket_of([(SHAMPOO, Decimal(2)), (CREAM, Decimal(1))]), store_id=STORE.store_id)
    store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(1)}))
    store.record_cash_movement(shift.move_cash(CASH_OUT, money("100"), "bank", MANAGER, at(40), DEFAULT_TABLE))
    approval = ApprovalRecord(uuid.uuid4(), Action.CANCEL_SALE, money("89.90"), None, None,
                              CASHIER.cashier.cashier_id, MANAGER.cashier.cashier_id, "customer_left", at(41), at(42))
    store.record_approval(approval)
    store.record_cancelled_sale(CancelledSale(uuid.uuid4(), CASHIER.cashier.cashier_id, at(43), money("89.90"), 1,
                                              approval.approval_id))
    close(store, shift)
    return store


def _at_hub(hub: Hub) -> list[tuple[str, str, int | None]]:
    with hub.db.reading() as conn:
        return [(r.document_id, r.series, r.number) for r in conn.execute(
            select(documents.c.document_id, documents.c.series, documents.c.number).order_by(documents.c.id))]


def test_a_whole_day_reaches_the_hub_once_in_outbox_order_and_a_second_push_sends_nothing(
        hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    _day(till_db)
    outbox = SqlOutbox(till_db)
    order = [(str(m.document.document_id), m.document.series) for m in outbox.pending_documents()]

    pushed = sync.push()

    assert pushed.error is None and pushed.quarantined == 0
    assert pushed.acknowledged == 1 + 7 and pushed.batches == 2  # the sale's batch, then the documents'
    assert outbox.counts() == OutboxCounts(waiting=0, quarantined=0, acknowledged=8)
    assert [(d, s) for d, s, _ in _at_hub(hub)] == order
    assert [(s, n or 0) for _, s, n in _at_hub(hub)] == [
        ("shift", 0), ("return", 1), ("cash_movement", 1), ("approval", 0), ("sale_cancelled", 0), ("shift", 0),
        ("z_report", 1)]
    assert sync.push().sent == 0


def test_documents_sent_again_after_a_lost_acknowledgement_are_duplicates_not_copies(
        hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    _day(till_db)
    outbox = SqlOutbox(till_db)
    waiting = outbox.pending_documents()
    sync.push()
    with till_db.writing() as conn:  # as if the till had been killed before it wrote the acknowledgement
        conn.exec_driver_sql("UPDATE outbox SET acked_at = NULL WHERE series != 'receipt'")
    again = sync.push()
    assert again.duplicates == len(waiting) and again.acknowledged == len(waiting)
    assert len(_at_hub(hub)) == len(waiting)


def test_a_document_the_hub_rejects_is_quarantined_with_its_reason_and_the_others_get_through(
        hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    store = SqlStoreDay(till_db, STORE.till_id)
    shift = open_shift(store, store_id=STORE.store_id)
    movement = shift.move_cash(CASH_OUT, money("100"), "bank", MANAGER, at(40), DEFAULT_TABLE)
    form = forms.cash_movement_to_dict(movement) | {"amount": "-5", "number": 7}
    with till_db.writing() as conn:  # a document this till's code would never write: the hub refuses it
        add_document(conn, DocumentRow(movement.movement_id, forms.CASH_MOVEMENT_SCHEMA, "cash_movement", 7,
                                       json.dumps(form)), "2026-12-02T10:00:00+00:00")
    store.record_cash_movement(shift.move_cash(CASH_OUT, money("50"), "bank", MANAGER, at(41), DEFAULT_TABLE))

    pushed = sync.push()

    outbox = SqlOutbox(till_db)
    [bad] = outbox.quarantined_documents()
    assert bad.message.document.document_id == movement.movement_id and bad.reason.startswith("schema")
    assert pushed.quarantined == 1 and outbox.counts() == OutboxCounts(waiting=0, quarantined=1, acknowledged=2)
    assert sync.refresh_counts().quarantined == 1


def test_the_hub_says_what_was_returned_of_a_sale_and_knows_no_unknown_sale(hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    store = SqlStoreDay(till_db, STORE.till_id)
    open_shift(store, store_id=STORE.store_id)
    sale = sell(store, basket_of([(SHAMPOO, Decimal(3))]), store_id=STORE.store_id)
    returned = store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(2)}))
    sync.push()

    [line] = sync.client.returned_of(sale.sale_id) or []
    assert (line.sold_line_id, line.quantity) == (sale.lines[0].line_id, Decimal(2))
    assert line.refunded == returned.total.amount
    assert store.already_returned(sale.sale_id) == {line.sold_line_id: line.quantity}
    assert sync.client.returned_of(uuid.uuid4()) is None


def test_a_hub_that_does_not_know_the_documents_endpoint_is_waited_for_and_nothing_is_quarantined(
        hub: Hub, till_db: Database) -> None:
    with proxy_to(hub.url) as link:
        sync = connect(link.url, till_db, hub, enrol_through=hub.url)
        store = SqlStoreDay(till_db, STORE.till_id)
        shift = open_shift(store, store_id=STORE.store_id)
        store.record_cash_movement(shift.move_cash(CASH_OUT, money("100"), "bank", MANAGER, at(40), DEFAULT_TABLE))
        for _ in range(2 * sync.pusher.failures_before_isolating + 1):  # an older hub: 404 for /v1/documents
            link.answer_next_requests(1, status=404, body=b'{"error": "not_found", "detail": "Not Found"}')
            pushed = sync.push()
            assert isinstance(pushed.error, RequestRefused) and pushed.error.status == 404
            assert failure_kind(pushed.error) is Failure.WAIT
        assert SqlOutbox(till_db).counts() == OutboxCounts(waiting=2, quarantined=0, acknowledged=0)

        back = sync.push()  # the hub is upgraded: the documents go, once
    assert back.error is None and back.acknowledged == 2 and len(_at_hub(hub)) == 2


def test_an_answer_that_does_not_name_the_documents_sent_acknowledges_nothing(hub: Hub, till_db: Database) -> None:
    with proxy_to(hub.url) as link:
        sync = connect(link.url, till_db, hub, enrol_through=hub.url)
        store = SqlStoreDay(till_db, STORE.till_id)
        open_shift(store, store_id=STORE.store_id)
        other = json.dumps({"results": [{"document_id": str(uuid.uuid4()), "status": "accepted"}],
                            "hub_time": "2026-12-02T10:00:00+00:00"}).encode()
        link.answer_next_requests(1, status=200, body=other)
        pushed = sync.push()
        assert isinstance(pushed.error, BadAnswer) and failure_kind(pushed.error) is Failure.CONTENT
        assert SqlOutbox(till_db).counts() == OutboxCounts(waiting=1, quarantined=0, acknowledged=0)
        assert sync.push().acknowledged == 1  # the real hub's answer next time
    assert len(_at_hub(hub)) == 1


def test_a_returned_answer_that_is_not_the_protocols_is_a_bad_answer(hub: Hub, till_db: Database) -> None:
    with proxy_to(hub.url) as link:
        sync = connect(link.url, till_db, hub, enrol_through=hub.url)
        sale_id = uuid.uuid4()
        for body in ({"sale_id": str(sale_id), "lines": [{"sold_line_id": "x", "quantity": "1", "refunded": "2"}]},
                     {"sale_id": str(sale_id), "lines": [{"sold_line_id": str(uuid.uuid4()), "quantity": 1.5,
                                                          "refunded": "2"}]},
                     {"sale_id": str(uuid.uuid4()), "lines": []}):
            link.answer_next_requests(1, status=200, body=json.dumps(body).encode())
            with pytest.raises(BadAnswer):
                sync.client.returned_of(sale_id)
