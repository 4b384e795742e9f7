"""The store's day in a real SQLite journal: every document in one transaction with its
gapless number and its outbox row; returns never beyond what was sold; an exchange is one
transaction; a Z report is recorded only when it reconciles with the journal."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from local_db.card_payment_log import SqlCardPaymentLog
from local_db.database import Database, open_database
from local_db.journal_check import journal_check
from local_db.outbox import OutboxCounts, SqlOutbox
from local_db.store_day_journal import (
    ApprovalAlreadyUsed,
    ShiftAlreadyClosed,
    ShiftNotRecorded,
    SqlStoreDay,
    ZDoesNotReconcile,
    shift_document_id,
)
from pos.card_payments import PendingCardPayment
from pos.errors import StorageProblem
from pos.payment_terminal import CardDeclined
from pos.store_day import forms
from pos.store_day.approval import ApprovalRecord
from pos.store_day.report import CancelledSale, reconcile
from pos.store_day.returns import ReturnTooMuch, return_from_sale
from pos.store_day.roles import DEFAULT_TABLE, Action
from pos.store_day.shift import CASH_IN, CASH_OUT, CashMovement
from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS
from tests.local_db.store_day_builders import close, context, exchange, give_back, open_shift, sell, z_report
from tests.pos.discounted_sale import discounted_sale
from tests.pos.store_day.day import CARD_OK, CASHIER, EXAMPLES, MANAGER, TILL, at, basket_of, money


@pytest.fixture
def store(db: Database) -> SqlStoreDay:
    return SqlStoreDay(db, TILL)


def _outbox_rows(db: Database) -> list[tuple[str, str, int]]:
    with db.reading() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(  # type: ignore[misc]
            "SELECT kind, series, number FROM outbox ORDER BY row_id")]


def _approval(sale_id: uuid.UUID | None = None) -> ApprovalRecord:
    return ApprovalRecord(uuid.uuid4(), Action.CANCEL_SALE, money("12.50"), sale_id, None, CASHIER.cashier.cashier_id,
                          MANAGER.cashier.cashier_id, "customer_changed_mind", at(1), at(2))


def test_a_whole_day_is_recorded_document_by_document_with_gapless_numbers_and_an_outbox_row_each(
        db: Database, store: SqlStoreDay) -> None:
    shift = open_shift(store)
    assert store.open_shift_id() == shift.shift_id
    cash_in = store.record_cash_movement(shift.move_cash(CASH_IN, money("200"), "change", MANAGER, at(1),
                                                         DEFAULT_TABLE))
    first = sell(store, basket_of([(SHAMPOO, Decimal(2)), (CREAM, Decimal(1))]), card="50")
    second = sell(store, basket_of([(VITAMINS, Decimal(1)), (APPLES, Decimal("0.750"))]))
    approval = _approval()
    store.record_approval(approval)
    store.record_cancelled_sale(CancelledSale(uuid.uuid4(), "c1", at(3), money("89.90"), 1, approval.approval_id))
    shampoo = first.lines[0].line_id
    returned = store.record_return(give_back(store, first, {shampoo: Decimal(1)}))
    back, new_sale = exchange(store, second, {second.lines[0].line_id: Decimal(1)}, basket_of([(CREAM, Decimal(2))]))
    back, new_sale = store.record_exchange(back, new_sale)
    cash_out = store.record_cash_movement(shift.move_cash(CASH_OUT, money("100"), "bank", MANAGER, at(50),
                                                          DEFAULT_TABLE))
    z = close(store, shift)

    assert (cash_in.number, cash_out.number) == (1, 2)
    assert [s.receipt_number for s in (first, second, new_sale)] == [1, 2, 3]
    assert (returned.return_number, back.return_number, back.exchange_sale_id) == (1, 2, new_sale.sale_id)
    assert z.z_number == 1 and z.sales_count == 3 and z.returns_count == 2 and z.cancelled_count == 1
    assert reconcile(z, store.day_documents(shift)) == ()
    assert store.already_returned(first.sale_id) == {shampoo: Decimal(1)}
    assert store.get_return(returned.return_id) == returned
    assert store.z_report(shift.shift_id) == z
    card = next(p for p in first.payments if p.method == "card")
    assert store.card_approval(card.payment_id) == CARD_OK
    assert [store.card_approval(p.payment_id) for p in first.payments if p.method != "card"] == [None]
    assert _outbox_rows(db) == [
        ("kassa.shift.v1", "shift", 0), ("kassa.cash_movement.v1", "cash_movement", 1),
        ("kassa.sale.v2", "receipt", 1), ("kassa.sale.v1", "receipt", 2), ("kassa.approval.v1", "approval", 0),
        ("kassa.sale_cancelled.v1", "sale_cancelled", 0), ("kassa.return.v1", "return", 1),
        ("kassa.sale.v1", "receipt", 3), ("kassa.return.v1", "return", 2),
        ("kassa.cash_movement.v1", "cash_movement", 2), ("kassa.shift.v1", "shift", 0),
        ("kassa.z_report.v1", "z_report", 1),
    ]
    assert SqlOutbox(db).counts() == OutboxCounts(waiting=12, quarantined=0, acknowledged=0)
    assert store.unsent_z_number() == 1
    assert journal_check(db) == []
    late = CashMovement(uuid.uuid4(), shift.shift_id, 0, CASH_IN, money("1"), "change", "m1", at(700))
    with pytest.raises(ShiftAlreadyClosed):
        store.record_cash_movement(late)  # a movement of the closed shift


def test_each_outbox_body_is_the_documents_form_under_the_contracts_key(db: Database, store: SqlStoreDay) -> None:
    shift = open_shift(store)
    sale = sell(store, basket_of([(SHAMPOO, Decimal(1))]))
    returned = store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(1)}))
    z = close(store, shift)
    docs = {m.document.document_id: m.document for m in SqlOutbox(db).pending_documents()}
    assert json.loads(docs[returned.return_id].payload) == forms.return_to_dict(returned)
    assert json.loads(docs[shift.shift_id].payload) == forms.z_report_to_dict(z)
    opened = docs[shift_document_id(shift.shift_id, "opened")]
    assert json.loads(opened.payload) == forms.shift_opened_to_dict(shift)
    assert shift_document_id(shift.shift_id, "opened") == uuid.uuid5(shift.shift_id, "opened")
    assert json.loads(docs[shift_document_id(shift.shift_id, "closed")].payload)["event"] == "closed"
    assert [m.seq for m in SqlOutbox(db).pending_messages()] == [1]  # the sale side still sees the sale only


def test_a_return_beyond_what_was_sold_is_refused_and_leaves_no_trace(db: Database, store: SqlStoreDay) -> None:
    open_shift(store)
    sale = sell(store, basket_of([(SHAMPOO, Decimal(2))]))
    line = sale.lines[0].line_id
    one = give_back(store, sale, {line: Decimal(1)})
    other = give_back(store, sale, {line: Decimal(2)})  # made before the first was recorded: it asks too much now
    store.record_return(one)
    before = _outbox_rows(db)
    with pytest.raises(ReturnTooMuch):
        store.record_return(other)
    assert _outbox_rows(db) == before and store.get_return(other.return_id) is None
    assert store.record_return(give_back(store, sale, {line: Decimal(1)})).return_number == 2  # no gap


def test_an_exchange_whose_return_is_refused_records_neither_the_return_nor_the_new_sale(
        db: Database, store: SqlStoreDay) -> None:
    open_shift(store)
    sale = sell(store, basket_of([(CREAM, Decimal(1))]))
    line = sale.lines[0].line_id
    back, new_sale = exchange(store, sale, {line: Decimal(1)}, basket_of([(SHAMPOO, Decimal(1))]))
    store.record_return(give_back(store, sale, {line: Decimal(1)}))  # meanwhile the cream came back
    before = _outbox_rows(db)
    with pytest.raises(ReturnTooMuch):
        store.record_exchange(back, new_sale)
    assert _outbox_rows(db) == before
    assert store.sales.get_sale(new_sale.sale_id) is None and store.sales.next_receipt_number() == 2


def test_recording_the_same_document_twice_records_it_once(db: Database, store: SqlStoreDay) -> None:
    shift = open_shift(store)
    store.open_shift(shift)
    sale = sell(store, basket_of([(SHAMPOO, Decimal(1))]))
    returned = give_back(store, sale, {sale.lines[0].line_id: Decimal(1)})
    assert store.record_return(returned) == store.record_return(returned)
    movement = shift.move_cash(CASH_IN, money("10"), "change", MANAGER, at(1), DEFAULT_TABLE)
    assert store.record_cash_movement(movement) == store.record_cash_movement(movement)
    assert len(_outbox_rows(db)) == 4


def test_an_approval_is_recorded_once_and_a_replay_is_refused(db: Database, store: SqlStoreDay) -> None:
    approval = _approval()
    store.record_approval(approval)
    with pytest.raises(ApprovalAlreadyUsed):
        store.record_approval(approval)
    assert store.spent_approvals() == [approval.approval_id]
    with sqlite3.connect(db.path) as conn, pytest.raises(sqlite3.IntegrityError):  # the database refuses it too
        conn.execute("INSERT INTO approvals SELECT * FROM approvals")


def test_a_z_report_that_does_not_reconcile_is_refused_with_its_figures_and_the_shift_stays_open(
        db: Database, store: SqlStoreDay) -> None:
    shift = open_shift(store)
    sell(store, basket_of([(SHAMPOO, Decimal(1))]))
    report = z_report(store, shift)
    wrong = replace(report, sales_total=report.sales_total + money("1"))
    shift.begin_close(MANAGER, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
    shift.count_blind(shift.opening_float)
    closed = shift.close(report.expected_cash, MANAGER, at(600))
    with pytest.raises(ZDoesNotReconcile) as refused:
        store.close_shift(shift, closed, wrong)
    assert "sales total (from lines)" in str(refused.value) and "in the journal" in str(refused.value)
    assert store.open_shift_id() == shift.shift_id and store.z_report(shift.shift_id) is None
    late = sell(store, basket_of([(CREAM, Decimal(1))]))  # a sale after the report was made: it is stale
    with pytest.raises(ZDoesNotReconcile):
        store.close_shift(shift, closed, report)
    assert late.receipt_number == 2
    assert store.close_shift(shift, closed, z_report(store, shift)).z_number == 1


def test_z_numbers_go_on_from_shift_to_shift_and_a_movement_needs_an_open_shift(store: SqlStoreDay) -> None:
    numbers = []
    for _ in range(3):
        shift = open_shift(store)
        sell(store, basket_of([(SHAMPOO, Decimal(1))]))
        numbers.append(close(store, shift).z_number)
    assert numbers == [1, 2, 3]
    with pytest.raises(ShiftNotRecorded):
        store.record_cash_movement(CashMovement(uuid.uuid4(), uuid.uuid4(), 0, CASH_IN, money("1"), "change", "m1",
                                                at(700)))


def test_recorded_documents_cannot_be_changed_or_deleted(db: Database, store: SqlStoreDay) -> None:
    open_shift(store)
    sale = sell(store, basket_of([(SHAMPOO, Decimal(1))]))
    store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(1)}))
    with sqlite3.connect(db.path) as conn:
        for statement in ("UPDATE returns SET total_minor = 0", "DELETE FROM return_lines", "DELETE FROM refunds",
                          "UPDATE shifts SET by_whom = 'x'", "UPDATE outbox SET payload = '{}'"):
            with pytest.raises(sqlite3.DatabaseError):
                conn.execute(statement)


def test_a_card_payment_in_flight_survives_a_restart_until_it_is_settled(db_path: Path) -> None:
    waiting, settled = PendingCardPayment(uuid.uuid4(), money("99.90")), PendingCardPayment(uuid.uuid4(), money("5"))
    with open_database(db_path) as db:
        log = SqlCardPaymentLog(db)
        log.remember(waiting)
        log.remember(settled)
        log.settle(settled.payment_id, CardDeclined(settled.payment_id, "51"))
    with open_database(db_path) as db:
        log = SqlCardPaymentLog(db)
        assert log.unsettled() == [waiting]
        assert log.outcome(settled.payment_id) == "CardDeclined"
        log.remember(waiting)  # asked again: still one payment
        assert log.unsettled() == [waiting]
        with sqlite3.connect(db_path) as conn, pytest.raises(sqlite3.DatabaseError):
            conn.execute("DELETE FROM card_payments")


def test_a_document_of_another_till_is_refused(db: Database, store: SqlStoreDay) -> None:
    shift = open_shift(store)
    with pytest.raises(StorageProblem):
        SqlStoreDay(db, "T9").open_shift(shift)
    sale = sell(store, basket_of([(SHAMPOO, Decimal(1))]))
    with pytest.raises(StorageProblem):
        SqlStoreDay(db, "T9").record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(1)}))


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(1, 4)), min_size=1, max_size=8))
def test_returned_quantities_never_exceed_the_sold_ones_under_random_partial_returns(
        tmp_path_factory: pytest.TempPathFactory, asks: list[tuple[int, int]]) -> None:
    with open_database(tmp_path_factory.mktemp("day") / "till.sqlite3") as db:
        store = SqlStoreDay(db, TILL)
        open_shift(store)
        sale = sell(store, basket_of([(SHAMPOO, Decimal(3)), (CREAM, Decimal(2))]))
        numbers = []
        for which, quantity in asks:
            line = sale.lines[which]
            try:  # made as if the journal had nothing returned yet: the journal is the one to refuse
                document = return_from_sale(sale, {line.line_id: Decimal(quantity)}, context(), already_returned={},
                                            already_refunded={}, hub_confirmed=True)
            except ReturnTooMuch:
                continue
            try:
                numbers.append(store.record_return(document).return_number)
            except ReturnTooMuch:
                pass
        returned = store.already_returned(sale.sale_id)
        assert all(returned.get(line.line_id, Decimal(0)) <= line.quantity for line in sale.lines)
        assert numbers == list(range(1, len(numbers) + 1))


def test_the_journal_audit_names_a_document_without_its_outbox_row_or_a_gap_in_a_series(
        db: Database, store: SqlStoreDay) -> None:
    shift = open_shift(store)
    sale = sell(store, basket_of([(SHAMPOO, Decimal(3))]))
    for _ in range(2):
        store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(1)}))
    close(store, shift)
    assert journal_check(db) == []
    with db.writing() as conn:  # what a hand edit past the triggers could leave
        for table in ("returns", "return_lines", "refunds", "outbox"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        conn.exec_driver_sql("DELETE FROM outbox WHERE series = 'z_report'")
        first = conn.exec_driver_sql("SELECT return_id FROM returns WHERE return_number = 1").scalar_one()
        for table in ("refunds", "return_lines", "returns"):
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE return_id = ?", (first,))
    problems = journal_check(db)
    assert f"till {TILL}: return 2 follows return 0 (numbers must have no gaps)" in problems
    assert f"Z report of shift {shift.shift_id} has no outbox message for the hub" in problems


OPERATIONS = st.lists(st.sampled_from(("sell", "sell_card", "return", "cash_in", "cash_out", "cancel", "close")),
                      min_size=1, max_size=14)


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(OPERATIONS)
def test_each_z_counts_exactly_its_own_shifts_documents_and_always_reconciles(
        tmp_path_factory: pytest.TempPathFactory, operations: list[str]) -> None:
    with open_database(tmp_path_factory.mktemp("days") / "till.sqlite3") as db:
        store = SqlStoreDay(db, TILL)
        shift, sales, counts, zs = open_shift(store), [], {"sales": 0, "returns": 0, "cancelled": 0}, []
        for step in [*operations, "close"]:
            if step.startswith("sell"):
                sales.append(sell(store, basket_of([(CREAM, Decimal(2)), (APPLES, Decimal("0.250"))]),
                                  card="10" if step == "sell_card" else None))
                counts["sales"] += 1
            elif step == "return" and sales:
                sale = sales[-1]
                left = sale.lines[0].quantity - store.already_returned(sale.sale_id).get(sale.lines[0].line_id, 0)
                if left > 0:
                    store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(1)}))
                    counts["returns"] += 1
            elif step in ("cash_in", "cash_out"):
                direction = CASH_IN if step == "cash_in" else CASH_OUT
                store.record_cash_movement(shift.move_cash(direction, money("5"), "change", MANAGER, at(1),
                                                           DEFAULT_TABLE))
            elif step == "cancel":
                store.record_cancelled_sale(CancelledSale(uuid.uuid4(), "c1", at(2), money("1"), 1))
                counts["cancelled"] += 1
            elif step == "close":
                z = close(store, shift)
                assert (z.sales_count, z.returns_count, z.cancelled_count) == (
                    counts["sales"], counts["returns"], counts["cancelled"])
                assert reconcile(z, store.day_documents(shift)) == ()
                zs.append(z.z_number)
                shift, counts = open_shift(store), {"sales": 0, "returns": 0, "cancelled": 0}
                with db.writing() as conn:  # the hub acknowledged the Z (the next close needs it)
                    conn.exec_driver_sql("UPDATE outbox SET acked_at = 'x' WHERE series = 'z_report'")
        assert zs == list(range(1, len(zs) + 1))
        assert journal_check(db) == []


def test_an_exchange_whose_credit_and_sale_disagree_is_refused(db: Database, store: SqlStoreDay) -> None:
    open_shift(store)
    sale = sell(store, basket_of([(CREAM, Decimal(1))]))
    back, new_sale = exchange(store, sale, {sale.lines[0].line_id: Decimal(1)}, basket_of([(SHAMPOO, Decimal(1))]))
    paid_in_cash = replace(new_sale, payments=tuple(replace(p, method="cash") for p in new_sale.payments))
    with pytest.raises(StorageProblem, match="credits"):
        store.record_exchange(back, paid_in_cash)
    assert store.get_return(back.return_id) is None and store.sales.get_sale(new_sale.sale_id) is None


def test_the_z_report_counts_the_promotions_discounts_of_the_sales_read_back_from_the_journal(
        db: Database, store: SqlStoreDay) -> None:
    shift = open_shift(store)
    promoted = discounted_sale(receipt_number=0)  # 3 for 2 89.90, cream 10.90 + 4.91, apples 0.35
    sale = store.record_paid_sale(replace(promoted, till_id=store.till_id, store_id=shift.store_id,
                                          sale_id=uuid.uuid4()))
    plain = sell(store, basket_of([(VITAMINS, Decimal(1))]))
    cream = next(line for line in sale.lines if line.product_code == CREAM.code)
    store.record_return(give_back(store, sale, {cream.line_id: Decimal(1)}))  # gives back its share of the net
    z = close(store, shift)
    assert (z.sales_count, z.returns_count, plain.receipt_number) == (2, 1, 2)
    assert z.discounts_total == money("106.06")  # as given: the return leaves it
    assert reconcile(z, store.day_documents(shift)) == ()
    assert store.z_report(shift.shift_id) == z
    sent = {m.document.document_id: m.document for m in SqlOutbox(db).pending_documents()}[shift.shift_id]
    assert json.loads(sent.payload)["discounts_total"] == "106.06"
