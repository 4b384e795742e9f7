"""Parked sales on a real SQLite file (local_db/parked_sales.py): they survive a restart, and
a basket is always in exactly one place on disk, parked or open, whatever fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_db.database import open_database
from local_db.journal import SqlJournal
from local_db.parked_sales import SqlParkedSales
from pos.errors import StorageProblem
from pos.store_day.parking import ParkedSaleGone, park, recall
from tests.fakes import CREAM, SHAMPOO
from tests.local_db.conftest import TILL_ID, make_sql_till


def started_till(path: Path):  # noqa: ANN201
    db = open_database(path)
    journal = SqlJournal(db, TILL_ID)
    till = make_sql_till(journal)
    till.start()
    till.sign_in("1", "1234")
    return db, journal, till, SqlParkedSales(db)


def test_a_parked_sale_survives_a_restart_and_a_recalled_one_reopens_after_the_next(db_path):
    db, journal, till, store = started_till(db_path)
    till.scan(SHAMPOO.barcode)
    till.scan(f"2*{CREAM.barcode}")
    basket_id, total = till.basket.basket_id, till.basket.total()
    park(till, store)
    assert journal.load_basket() is None
    db.close()

    db, journal, till, store = started_till(db_path)  # restart: nothing open, one sale parked
    assert till.basket.lines == []
    [parked] = store.parked()
    assert (parked.basket_id, parked.cashier_name, parked.item_count, parked.total) == (basket_id, "Olena", 3, total)
    recall(till, store, basket_id)
    db.close()

    db, journal, till, store = started_till(db_path)  # restart after the recall: it is the open sale
    assert till.basket.basket_id == basket_id and [x.product.code for x in till.basket.lines] == ["1001", "1002"]
    assert store.parked() == [] and store.count() == 0
    db.close()


def test_a_parking_that_fails_keeps_the_open_sale_where_it_was(db_path):
    db, journal, till, store = started_till(db_path)
    till.scan(SHAMPOO.barcode)
    with db.writing() as conn:  # the same basket id parked already: the insert fails
        conn.exec_driver_sql("INSERT INTO parked_sales VALUES (?, '1', '2026-12-01T10:00:00+00:00', '1', 1, '{}')",
                             (str(till.basket.basket_id),))
    with pytest.raises(StorageProblem):
        park(till, store)
    assert journal.load_basket() is not None and journal.load_basket()["basket_id"] == str(till.basket.basket_id)
    assert len(till.basket.lines) == 1
    db.close()


def test_a_recall_of_a_sale_no_longer_parked_changes_nothing(db_path):
    db, journal, till, store = started_till(db_path)
    till.scan(SHAMPOO.barcode)
    park(till, store)
    basket_id = store.parked()[0].basket_id
    with pytest.raises(ParkedSaleGone):
        store.recall(basket_id.__class__(int=basket_id.int ^ 1), {"schema": "x"})
    assert journal.load_basket() is None and [p.basket_id for p in store.parked()] == [basket_id]
    db.close()


def test_a_damaged_parked_row_is_left_out_of_the_list_but_kept(db_path):
    db, _journal, till, store = started_till(db_path)
    till.scan(SHAMPOO.barcode)
    park(till, store)
    with db.writing() as conn:
        conn.exec_driver_sql("INSERT INTO parked_sales VALUES ('not-a-uuid', '1', 'yesterday', 'x', 1, 'not json')")
    assert len(store.parked()) == 1 and store.count() == 2
    db.close()
