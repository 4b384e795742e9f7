"""The real SQLite journal across restarts: gapless receipt numbers, the reopened basket
(voided lines included but not counted), the counter of a journal that predates it."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from local_db.database import Database, open_database
from local_db.journal import SqlJournal, journal_check
from pos.barcode import with_check_digit
from pos.money import Money
from tests.fakes import CREAM, SHAMPOO
from tests.local_db.conftest import TILL_ID, make_sql_till, sell


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def test_receipt_numbers_are_gapless_over_many_sales_and_restarts_in_the_real_journal(db_path: Path) -> None:
    numbers = []
    for _restart in range(3):
        db = open_database(db_path)
        journal = SqlJournal(db, TILL_ID)
        till = make_sql_till(journal)
        till.start()
        for _ in range(4):
            numbers.append(sell(till, SHAMPOO.barcode).receipt_number)
        db.close()
    assert numbers == list(range(1, 13))
    db = open_database(db_path)
    journal = SqlJournal(db, TILL_ID)
    assert journal.next_receipt_number() == 13
    assert [journal.sale_by_receipt_number(n).receipt_number for n in (1, 12)] == [1, 12]  # type: ignore[union-attr]
    assert journal.sale_by_receipt_number(13) is None and journal.sale_by_receipt_number(0) is None
    assert journal_check(db) == []
    db.close()


def test_a_basket_reopened_from_sqlite_after_a_crash_keeps_its_voided_lines_out_of_the_total(db_path: Path) -> None:
    db = open_database(db_path)
    till = make_sql_till(SqlJournal(db, TILL_ID))
    till.sign_in("1", "1234")
    shampoo = till.scan("2*" + SHAMPOO.barcode).line
    till.scan(CREAM.barcode)
    till.scan(with_check_digit("222000100500"))  # apples 0.5 kg: 16.50
    till.void_line(shampoo.line_id)  # type: ignore[union-attr]
    basket_id = till.basket.basket_id
    db.close()  # the power goes off

    db = open_database(db_path)
    journal = SqlJournal(db, TILL_ID)
    reopened = make_sql_till(journal)
    view = reopened.start().view
    assert view.basket_id == basket_id and reopened.restored_lines == 2
    assert [(l.product.code, l.voided) for l in view.lines] == [("1001", True), ("1002", False), ("20001", False)]
    assert view.total == uah("71.00") and view.item_count == 2
    sale = sell(reopened)
    assert sale.sale_id == basket_id and sale.total == uah("71.00")
    assert [l.voided for l in sale.lines] == [True, False, False]
    assert sale.payments[0].amount == uah("71.00")
    assert journal.get_sale(basket_id) == sale
    assert journal.load_basket() is None
    db.close()


def test_a_basket_saved_mid_payment_reopens_for_scanning(db_path: Path) -> None:
    db = open_database(db_path)
    till = make_sql_till(SqlJournal(db, TILL_ID))
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    till.begin_payment()
    journal = SqlJournal(db, TILL_ID)
    from pos.codec import basket_to_dict

    journal.save_basket(basket_to_dict(till.basket, till.cashier))
    assert journal.load_basket()["state"] == "paying"  # type: ignore[index]
    reopened = make_sql_till(journal)
    assert reopened.start().view.state.value == "open"
    reopened.sign_in("1", "1234")
    assert reopened.scan(CREAM.barcode).view.total == uah("144.40")
    db.close()


def test_a_journal_whose_counter_row_is_missing_counts_on_from_its_last_sale(journal: SqlJournal, db: Database) -> None:
    """A journal written before the counter existed (or whose row was lost) numbers on from MAX + 1."""
    till = make_sql_till(journal)
    sell(till, SHAMPOO.barcode)
    sell(till, SHAMPOO.barcode)
    with db.writing() as conn:
        conn.exec_driver_sql("DELETE FROM till_counter")
    assert journal.next_receipt_number() == 3
    assert sell(till, CREAM.barcode).receipt_number == 3
    assert journal.next_receipt_number() == 4
    with db.lookup() as conn:
        assert conn.exec_driver_sql("SELECT till_id, next_receipt_number FROM till_counter").all() == [(TILL_ID, 4)]


def test_each_till_of_one_file_has_its_own_receipt_numbers(db: Database) -> None:
    ours, theirs = SqlJournal(db, TILL_ID), SqlJournal(db, "T02")
    template = sell(make_sql_till(ours), SHAMPOO.barcode)
    other = theirs.record_sale(replace(template, sale_id=uuid.uuid4(), till_id="T02", receipt_number=0))
    assert other.receipt_number == 1
    assert (ours.next_receipt_number(), theirs.next_receipt_number()) == (2, 2)
    assert [s.sale_id for s in ours.recent_sales()] == [template.sale_id]
    assert [s.sale_id for s in theirs.recent_sales()] == [other.sale_id]
    assert theirs.sale_by_receipt_number(1) == other and ours.sale_by_receipt_number(1) == template
    assert SqlJournal(db, "T03").next_receipt_number() == 1


def test_recent_sales_are_the_newest_up_to_the_limit(journal: SqlJournal) -> None:
    till = make_sql_till(journal)
    for _ in range(22):
        sell(till, SHAMPOO.barcode)
    assert [s.receipt_number for s in journal.recent_sales()] == list(range(22, 2, -1))  # twenty by default
    assert [s.receipt_number for s in journal.recent_sales(1)] == [22]
    assert journal.recent_sales(0) == [] and journal.recent_sales(-5) == []


def test_the_outbox_message_keeps_every_letter_as_written(journal: SqlJournal, db: Database) -> None:
    sale = sell(make_sql_till(journal), SHAMPOO.barcode)
    with db.lookup() as conn:
        payload = conn.exec_driver_sql("SELECT payload FROM outbox").scalar_one()
    assert "Шампунь Herbal 250 мл" in payload  # UTF-8 text, not \\u escapes
    assert json.loads(payload)["receipt_number"] == sale.receipt_number == 1


def test_an_unsent_count_counts_only_what_the_hub_has_not_acknowledged(journal: SqlJournal, db: Database) -> None:
    till = make_sql_till(journal)
    first = sell(till, SHAMPOO.barcode)
    sell(till, SHAMPOO.barcode)
    assert journal.unsent_count() == 2
    with db.writing() as conn:
        conn.exec_driver_sql("UPDATE outbox SET acked_at = '2026-11-24T10:00:00+00:00' WHERE sale_id = ?",
                             (str(first.sale_id),))
    assert journal.unsent_count() == 1


def test_the_open_basket_is_kept_as_readable_json(journal: SqlJournal, db: Database) -> None:
    journal.save_basket({"schema": "x", "name": "Шампунь", "price": "89.90"})
    with db.lookup() as conn:
        text, saved_at = conn.exec_driver_sql("SELECT snapshot, saved_at FROM open_basket WHERE slot = 1").one()
    assert "Шампунь" in text and json.loads(text) == {"schema": "x", "name": "Шампунь", "price": "89.90"}
    assert saved_at.endswith("+00:00")
    journal.save_basket({"schema": "x", "n": 2})
    with db.lookup() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM open_basket").scalar_one() == 1


def test_a_quantity_read_back_is_the_decimal_written(journal: SqlJournal) -> None:
    sale = sell(make_sql_till(journal), "0.347*20001", "3*1002")
    again = journal.get_sale(sale.sale_id)
    assert again is not None and [l.quantity for l in again.lines] == [Decimal("0.347"), Decimal(3)]
