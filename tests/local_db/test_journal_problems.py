"""When the SQLite journal cannot do a thing, the StorageProblem says what the till was
doing; the print queue's edges; a saved basket that is not a basket."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from local_db.database import Database
from local_db.journal import MAX_ERROR_TEXT, SqlJournal
from pos.errors import StorageProblem
from tests.fakes import SHAMPOO
from tests.local_db.conftest import make_sql_till, sell

SOME_ID = uuid.UUID(int=7)

FAILING: list[tuple[str, str, Callable[[SqlJournal], Any]]] = [
    ("sales", "reading a sale", lambda j: j.get_sale(SOME_ID)),
    ("sales", "reading a sale", lambda j: j.sale_by_receipt_number(1)),
    ("sales", "reading recent sales", lambda j: j.recent_sales()),
    ("sales", "reading the receipt counter", lambda j: j.next_receipt_number()),
    ("outbox", "counting unsent sales", lambda j: j.unsent_count()),
    ("print_jobs", "reading the print queue", lambda j: j.pending_jobs()),
    ("print_jobs", "marking a receipt printed", lambda j: j.mark_printed(1)),
    ("print_jobs", "noting a printing problem", lambda j: j.mark_failed(1, "out of paper")),
    ("print_jobs", "queueing a receipt copy", lambda j: j.enqueue_copy(SOME_ID)),
    ("open_basket", "saving the open sale", lambda j: j.save_basket({"schema": "x"})),
    ("open_basket", "reading the open sale", lambda j: j.load_basket()),
    ("open_basket", "discarding the open sale", lambda j: j.discard_basket()),
]


@pytest.mark.parametrize(("table", "doing", "call"), FAILING, ids=[f[1] + f"-{n}" for n, f in enumerate(FAILING)])
def test_a_storage_problem_says_what_the_till_was_doing(
        journal: SqlJournal, db: Database, table: str, doing: str, call: Callable[[SqlJournal], Any]) -> None:
    with db.writing() as conn:  # as if the file had been damaged by hand
        if table == "sales":
            conn.exec_driver_sql("DELETE FROM till_counter")
        conn.exec_driver_sql(f"ALTER TABLE {table} RENAME TO lost_{table}")
    with pytest.raises(StorageProblem) as caught:
        call(journal)
    assert caught.value.fields["reason"].startswith(f"{doing}: no such table: {table}")


def test_a_sale_that_cannot_be_recorded_is_named(journal: SqlJournal, db: Database) -> None:
    till = make_sql_till(journal)
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    with db.writing() as conn:
        conn.exec_driver_sql("ALTER TABLE outbox RENAME TO lost_outbox")
    with pytest.raises(StorageProblem) as caught:
        till.pay_cash("")
    assert caught.value.fields["reason"].startswith(f"recording sale {till.basket.basket_id}: no such table: outbox")
    assert journal.next_receipt_number() == 1


def test_a_sale_of_another_till_names_both_tills(journal: SqlJournal, db: Database) -> None:
    from dataclasses import replace

    sale = sell(make_sql_till(journal), SHAMPOO.barcode)
    with pytest.raises(StorageProblem) as caught:
        SqlJournal(db, "T02").record_sale(replace(sale, sale_id=uuid.UUID(int=1)))
    assert caught.value.fields["reason"] == f"sale {uuid.UUID(int=1)} belongs to till T01, this is till T02"


def test_recording_a_sale_again_answers_the_first_recording(journal: SqlJournal, caplog: pytest.LogCaptureFixture) -> None:
    sale = sell(make_sql_till(journal), SHAMPOO.barcode)
    with caplog.at_level(logging.INFO, logger="local_db.journal"):
        assert journal.record_sale(sale) == sale
    assert [r.getMessage() for r in caplog.records] == [f"sale {sale.sale_id} was already recorded as receipt 1"]


def test_a_saved_basket_that_is_not_json_or_not_an_object_reads_as_none(
        journal: SqlJournal, db: Database, caplog: pytest.LogCaptureFixture) -> None:
    for text in ("{not json", "[1, 2]", '"text"', "null"):
        with db.writing() as conn:
            conn.exec_driver_sql("INSERT OR REPLACE INTO open_basket (slot, snapshot, saved_at) VALUES (1, ?, 'x')",
                                 (text,))
        with caplog.at_level(logging.ERROR, logger="local_db.journal"):
            assert journal.load_basket() is None
    assert [r.getMessage() for r in caplog.records] == ["the saved open basket is not valid JSON; starting a new one"]
    till = make_sql_till(journal)
    assert till.start().view.lines == ()


def test_a_failed_print_is_counted_and_its_reason_kept_cut_to_500_characters(journal: SqlJournal, db: Database) -> None:
    assert MAX_ERROR_TEXT == 500
    sale = sell(make_sql_till(journal), SHAMPOO.barcode)
    [job] = journal.pending_jobs()
    assert (type(job.job_id), job.sale_id, job.is_copy, job.attempts) == (int, sale.sale_id, False, 0)
    journal.mark_failed(job.job_id, "x" * 499 + "yz")
    with db.lookup() as conn:
        reason = conn.exec_driver_sql("SELECT last_error FROM print_jobs").scalar_one()
    assert reason == "x" * 499 + "y"
    assert journal.pending_jobs()[0].attempts == 1


def test_a_printed_job_is_not_printed_again_nor_counted_as_failed(journal: SqlJournal, db: Database) -> None:
    sell(make_sql_till(journal), SHAMPOO.barcode)
    [job] = journal.pending_jobs()
    journal.mark_printed(job.job_id)
    with db.lookup() as conn:
        printed_at = conn.exec_driver_sql("SELECT printed_at FROM print_jobs").scalar_one()
    assert printed_at.endswith("+00:00")
    journal.mark_printed(job.job_id)
    journal.mark_failed(job.job_id, "late complaint")
    with db.lookup() as conn:
        row = conn.exec_driver_sql("SELECT printed_at, attempts, last_error FROM print_jobs").one()
    assert tuple(row) == (printed_at, 0, None)
    assert journal.pending_jobs() == []


def test_the_print_queue_is_in_the_order_jobs_were_made_copies_included(journal: SqlJournal) -> None:
    till = make_sql_till(journal)
    first, second = sell(till, SHAMPOO.barcode), sell(till, SHAMPOO.barcode)
    journal.enqueue_copy(first.sale_id)
    jobs = journal.pending_jobs()
    assert [(j.sale_id, j.is_copy) for j in jobs] == [(first.sale_id, False), (second.sale_id, False), (first.sale_id, True)]
    assert [j.job_id for j in jobs] == sorted(j.job_id for j in jobs)
    journal.mark_failed(jobs[0].job_id, "off")
    journal.mark_failed(jobs[0].job_id, "off")
    assert [j.attempts for j in journal.pending_jobs()] == [2, 0, 0]


def test_discarding_the_open_sale_empties_its_slot(journal: SqlJournal, db: Database) -> None:
    journal.save_basket({"schema": "x"})
    journal.discard_basket()
    with db.lookup() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM open_basket").scalar_one() == 0


def test_a_damaged_file_found_while_recording_names_the_file(journal: SqlJournal, db: Database) -> None:
    from local_db.problems import DatabaseDamaged

    till = make_sql_till(journal)
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    with db.writing() as conn:  # what SQLite says of a damaged page, at the last insert of the sale
        conn.exec_driver_sql(
            "CREATE TRIGGER damaged BEFORE INSERT ON print_jobs BEGIN SELECT RAISE(ABORT, 'database disk image is malformed'); END"
        )
    with pytest.raises(DatabaseDamaged) as caught:
        till.pay_cash("")
    assert caught.value.fields["path"] == str(db.path)
    assert journal.next_receipt_number() == 1
