"""The SQLite sale journal behaves like tests.fakes.MemoryJournal, durably."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc

from local_db.database import Database, open_database
from local_db.journal import SqlJournal, journal_check
from local_db.problems import DatabaseInUse
from pos.codec import SALE_SCHEMA, basket_to_dict, sale_to_dict
from pos.errors import StorageProblem
from tests.local_db.conftest import TILL_ID, make_sql_till, sell


def table_counts(db: Database) -> dict[str, int]:
    tables = ("sales", "sale_lines", "sale_payments", "sale_taxes", "outbox", "print_jobs", "open_basket")
    with db.lookup() as conn:
        return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one() for t in tables}


def test_a_recorded_sale_reads_back_exactly(journal: SqlJournal) -> None:
    till = make_sql_till(journal, rounding="0.10")
    sale = sell(till, "1001", "2*1002", "1003", "0.347*20001", tendered="500")
    assert sale.receipt_number == 1
    assert journal.get_sale(sale.sale_id) == sale
    assert journal.recent_sales() == [sale]


def test_receipt_numbers_follow_each_other_and_recent_sales_come_newest_first(journal: SqlJournal) -> None:
    till = make_sql_till(journal)
    sales = [sell(till, "1001") for _ in range(5)]
    assert [s.receipt_number for s in sales] == [1, 2, 3, 4, 5]
    assert journal.next_receipt_number() == 6
    assert [s.receipt_number for s in journal.recent_sales(3)] == [5, 4, 3]


def test_a_new_journal_starts_at_receipt_one_with_nothing_unsent(journal: SqlJournal) -> None:
    assert journal.next_receipt_number() == 1
    assert journal.unsent_count() == 0
    assert journal.recent_sales() == []
    assert journal.get_sale(uuid.uuid4()) is None
    assert journal.pending_jobs() == []


def test_recording_the_same_sale_twice_keeps_one(journal: SqlJournal, db: Database) -> None:
    sale = sell(make_sql_till(journal), "1001")
    again = journal.record_sale(replace(sale, receipt_number=0))
    assert again == sale
    assert table_counts(db)["sales"] == 1
    assert journal.next_receipt_number() == 2
    assert journal.unsent_count() == 1
    assert len(journal.pending_jobs()) == 1


def test_a_recorded_sale_has_its_hub_message_and_print_job(journal: SqlJournal, db: Database) -> None:
    sale = sell(make_sql_till(journal), "1001", "1003")
    with db.lookup() as conn:
        kind, payload, acked = conn.exec_driver_sql("SELECT kind, payload, acked_at FROM outbox").one()
    assert (kind, acked) == (SALE_SCHEMA, None)
    assert json.loads(payload) == json.loads(json.dumps(sale_to_dict(sale)))
    assert journal.unsent_count() == 1
    [job] = journal.pending_jobs()
    assert (job.sale_id, job.is_copy, job.attempts) == (sale.sale_id, False, 0)


def test_a_failed_recording_leaves_nothing_behind(journal: SqlJournal, db: Database) -> None:
    till = make_sql_till(journal)
    till.sign_in("1", "1234")
    till.scan("1001")
    with db.writing() as conn:  # the last insert of the transaction fails, as a full disk would
        conn.exec_driver_sql(
            "CREATE TRIGGER fail_print BEFORE INSERT ON print_jobs BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    before = table_counts(db)
    with pytest.raises(StorageProblem) as caught:
        till.pay_cash("")
    assert "disk I/O error" in str(caught.value)
    assert table_counts(db) == before
    assert journal.next_receipt_number() == 1
    assert journal.load_basket() is not None  # the open sale is still there to pay again
    with db.writing() as conn:
        conn.exec_driver_sql("DROP TRIGGER fail_print")
    assert till.pay_cash("").sale.receipt_number == 1  # type: ignore[union-attr]
    assert journal_check(db) == []


def test_a_sale_cannot_be_recorded_while_another_program_holds_the_database(db_path: Path) -> None:
    db = open_database(db_path, busy_timeout_ms=100)
    journal = SqlJournal(db, TILL_ID)
    till = make_sql_till(journal)
    till.sign_in("1", "1234")
    till.scan("1001")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseInUse) as caught:
            till.pay_cash("")
        assert "another program" in caught.value.user_message()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert till.pay_cash("").sale.receipt_number == 1  # type: ignore[union-attr]
    db.close()


def test_sales_cannot_be_updated_or_deleted(journal: SqlJournal, db: Database, db_path: Path) -> None:
    sale = sell(make_sql_till(journal), "1001", "1002")
    attempts = [
        "UPDATE sales SET total_minor = 0",
        "DELETE FROM sales",
        "UPDATE sale_lines SET quantity = '5'",
        "DELETE FROM sale_lines",
        "UPDATE sale_payments SET amount_minor = 1",
        "DELETE FROM sale_payments",
        "UPDATE sale_taxes SET tax_minor = 0",
        "DELETE FROM sale_taxes",
        "UPDATE outbox SET payload = '{}'",
    ]
    for statement in attempts:
        with pytest.raises(sa_exc.IntegrityError, match="cannot be changed"):
            with db.writing() as conn:
                conn.exec_driver_sql(statement)
    other = sqlite3.connect(db_path)  # another program is refused too: the rule lives in the file
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        other.execute("DELETE FROM sales")
    other.close()
    assert journal.get_sale(sale.sale_id) == sale


def test_the_open_basket_survives_reopening_the_database(db_path: Path) -> None:
    db = open_database(db_path)
    till = make_sql_till(SqlJournal(db, TILL_ID))
    till.sign_in("1", "1234")
    till.scan("1001")
    till.scan("0.250*20001")
    basket_id = till.basket.basket_id
    db.close()  # the power goes off

    db = open_database(db_path)
    reopened = make_sql_till(SqlJournal(db, TILL_ID))
    reopened.start()
    assert reopened.basket.basket_id == basket_id
    assert [line.product.code for line in reopened.basket.lines] == ["1001", "20001"]
    assert reopened.basket.lines[1].quantity == Decimal("0.250")
    db.close()


def test_recording_a_sale_clears_the_open_basket(journal: SqlJournal) -> None:
    till = make_sql_till(journal)
    till.sign_in("1", "1234")
    till.scan("1001")
    assert journal.load_basket() == basket_to_dict(till.basket, till.cashier)
    till.pay_cash("")
    assert journal.load_basket() is None


def test_the_open_basket_can_be_saved_replaced_and_discarded(journal: SqlJournal) -> None:
    journal.save_basket({"schema": "x", "n": 1, "name": "Шампунь"})
    journal.save_basket({"schema": "x", "n": 2})
    assert journal.load_basket() == {"schema": "x", "n": 2}
    journal.discard_basket()
    assert journal.load_basket() is None
    journal.discard_basket()  # nothing to discard is not an error
    assert journal.load_basket() is None


def test_a_failed_print_stays_queued_with_its_reason_until_printed(journal: SqlJournal, db: Database) -> None:
    till = make_sql_till(journal)
    first, second = sell(till, "1001"), sell(till, "1002")
    job1, job2 = journal.pending_jobs()
    journal.mark_failed(job1.job_id, "out of paper")
    journal.mark_failed(job1.job_id, "printer off")
    assert journal.pending_jobs()[0] == replace(job1, attempts=2)
    with db.lookup() as conn:
        assert conn.exec_driver_sql("SELECT last_error FROM print_jobs WHERE job_id = ?", (job1.job_id,)).scalar() == "printer off"
    journal.mark_printed(job1.job_id)
    journal.mark_printed(job1.job_id)
    assert journal.pending_jobs() == [job2]
    journal.enqueue_copy(first.sale_id)
    copy = journal.pending_jobs()[-1]
    assert (copy.sale_id, copy.is_copy, copy.job_id > job2.job_id) == (first.sale_id, True, True)
    assert second.sale_id == job2.sale_id


def test_a_copy_of_an_unknown_sale_is_refused(journal: SqlJournal) -> None:
    with pytest.raises(StorageProblem, match="no sale"):
        journal.enqueue_copy(uuid.uuid4())


def test_a_sale_of_another_till_is_refused(journal: SqlJournal, db: Database) -> None:
    sale = sell(make_sql_till(SqlJournal(db, TILL_ID)), "1001")
    with pytest.raises(StorageProblem, match="belongs to till"):
        SqlJournal(db, "T02").record_sale(replace(sale, sale_id=uuid.uuid4()))


def test_two_workers_recording_at_once_get_gapless_numbers(journal: SqlJournal, db: Database) -> None:
    template = sell(make_sql_till(journal), "1001")
    numbers: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(15):
                numbers.append(journal.record_sale(replace(template, sale_id=uuid.uuid4(), receipt_number=0)).receipt_number)
                journal.pending_jobs()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(2, 62))
    assert journal_check(db) == []


def test_the_journal_check_reports_gaps_and_totals_that_do_not_add_up(journal: SqlJournal, db: Database) -> None:
    till = make_sql_till(journal)
    sell(till, "1001")
    sell(till, "1002")
    assert journal_check(db) == []
    with db.writing() as conn:  # what a hand edit of the file could do
        conn.exec_driver_sql("DROP TRIGGER sales_no_update")
        conn.exec_driver_sql("UPDATE sales SET receipt_number = 3, total_minor = total_minor + 1 WHERE receipt_number = 2")
    problems = journal_check(db)
    assert any("receipt 3 follows receipt 1" in p for p in problems)
    assert any("is not the sum of its lines" in p for p in problems)
    assert any("do not settle" in p for p in problems)
    assert any("the next receipt number is 3, but the last recorded receipt is 3" in p for p in problems)
