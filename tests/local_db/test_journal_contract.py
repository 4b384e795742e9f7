"""The in-memory journal of tests.fakes (used by the domain and UI tests) keeps the same
contract as the real SQLite journal: the same scenario gives the same answers from both,
so a test passing on the fake is not passing on a fake's private behaviour."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from local_db.database import Database
from local_db.journal import SqlJournal
from pos.errors import StorageProblem
from pos.sale import Sale
from tests.fakes import CREAM, SHAMPOO, MemoryJournal, make_till
from tests.local_db.conftest import TILL_ID, make_sql_till


@pytest.fixture(params=["memory", "sqlite"])
def any_journal(request: pytest.FixtureRequest, db: Database) -> Iterator[Any]:
    yield MemoryJournal() if request.param == "memory" else SqlJournal(db, TILL_ID)


def till_over(journal: Any):  # noqa: ANN201
    till = make_till(journal) if isinstance(journal, MemoryJournal) else make_sql_till(journal)
    till.start()
    till.sign_in("1", "1234")
    return till


def sell(till: Any, *codes: str) -> Sale:
    for code in codes:
        till.scan(code)
    return till.pay_cash("").sale


def test_both_journals_number_receipts_one_after_another_from_one(any_journal: Any) -> None:
    assert any_journal.next_receipt_number() == 1
    till = till_over(any_journal)
    sales = [sell(till, SHAMPOO.barcode) for _ in range(4)]
    assert [s.receipt_number for s in sales] == [1, 2, 3, 4]
    assert any_journal.next_receipt_number() == 5
    assert any_journal.unsent_count() == 4
    assert [s.receipt_number for s in any_journal.recent_sales(2)] == [4, 3]
    assert any_journal.sale_by_receipt_number(3) == sales[2]
    assert any_journal.get_sale(sales[0].sale_id) == sales[0]
    assert any_journal.get_sale(uuid.uuid4()) is None


def test_both_journals_record_a_sale_once(any_journal: Any) -> None:
    sale = sell(till_over(any_journal), SHAMPOO.barcode, CREAM.barcode)
    assert any_journal.record_sale(replace(sale, receipt_number=0)) == sale
    assert any_journal.next_receipt_number() == 2 and any_journal.unsent_count() == 1
    assert len(any_journal.pending_jobs()) == 1


def test_both_journals_clear_the_open_basket_with_the_sale(any_journal: Any) -> None:
    till = till_over(any_journal)
    till.scan(SHAMPOO.barcode)
    assert any_journal.load_basket()["lines"][0]["product"]["code"] == "1001"
    till.pay_cash("")
    assert any_journal.load_basket() is None
    any_journal.save_basket({"schema": "x"})
    any_journal.discard_basket()
    assert any_journal.load_basket() is None


def test_both_print_queues_keep_a_failed_job_and_add_copies_at_the_end(any_journal: Any) -> None:
    till = till_over(any_journal)
    first, second = sell(till, SHAMPOO.barcode), sell(till, CREAM.barcode)
    job1, job2 = any_journal.pending_jobs()
    assert [(j.sale_id, j.is_copy, j.attempts) for j in (job1, job2)] == [
        (first.sale_id, False, 0), (second.sale_id, False, 0)]
    any_journal.mark_failed(job1.job_id, "out of paper")
    assert any_journal.pending_jobs()[0] == replace(job1, attempts=1)
    any_journal.mark_printed(job1.job_id)
    any_journal.enqueue_copy(first.sale_id)
    assert [(j.sale_id, j.is_copy) for j in any_journal.pending_jobs()] == [
        (second.sale_id, False), (first.sale_id, True)]


def test_after_a_failed_recording_both_journals_give_the_next_sale_the_number_it_would_have_had(
        any_journal: Any, db: Database) -> None:
    till = till_over(any_journal)
    till.scan(SHAMPOO.barcode)
    if isinstance(any_journal, MemoryJournal):
        any_journal.fail_next_record = True
    else:
        with db.writing() as conn:
            conn.exec_driver_sql("CREATE TRIGGER fail BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    with pytest.raises(StorageProblem):
        till.pay_cash("")
    if not isinstance(any_journal, MemoryJournal):
        with db.writing() as conn:
            conn.exec_driver_sql("DROP TRIGGER fail")
    assert any_journal.next_receipt_number() == 1 and any_journal.unsent_count() == 0
    assert till.pay_cash("").sale.receipt_number == 1
