"""Hypothesis: any sale reads back exactly; receipt numbers stay gapless whatever happens."""

from __future__ import annotations

import json
import tempfile
import uuid
from dataclasses import replace
from datetime import timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local_db.database import Database, open_database
from local_db.journal import SqlJournal, journal_check
from pos.catalog import VatRate
from pos.codec import sale_to_dict
from pos.errors import StorageProblem
from pos.money import Money
from pos.sale import Cashier, Sale, SaleLine
from pos.tax import TaxLine
from pos.tender import Payment
from tests.local_db.conftest import TILL_ID, make_sql_till, sell

CURRENCY = "UAH"
text = st.text(max_size=40)
money = st.integers(min_value=-10**15, max_value=10**15).map(lambda minor: Money.from_minor(minor, CURRENCY))
vat = st.builds(
    VatRate, st.text(min_size=1, max_size=3),
    st.decimals(min_value=0, max_value=Decimal("99.99"), places=2, allow_nan=False, allow_infinity=False),
)
zones = st.none() | st.just(timezone.utc) | st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.datetimes(timezones=zones)
lines = st.builds(
    SaleLine, line_id=st.uuids(), product_code=text, barcode=text, name=text,
    quantity=st.decimals(allow_nan=False, allow_infinity=False), unit_price=money, total=money, vat=vat,
    sold_by_weight=st.booleans(), voided=st.booleans(),
)
payments = st.builds(Payment, payment_id=st.uuids(), method=text, amount=money, tendered=money, change=money)
taxes = st.builds(TaxLine, vat=vat, gross=money, net=money, tax=money)
sales = st.builds(
    Sale, sale_id=st.uuids(), store_id=text, till_id=st.just(TILL_ID), receipt_number=st.just(0),
    cashier=st.builds(Cashier, text, text), opened_at=moments, completed_at=moments, currency=st.just(CURRENCY),
    lines=st.lists(lines, max_size=6).map(tuple), taxes=st.lists(taxes, max_size=3).map(tuple),
    total=money, rounding=money, payments=st.lists(payments, max_size=3).map(tuple),
)


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(tmp_path_factory.mktemp("roundtrip") / "till.sqlite3")
    yield db  # type: ignore[misc]
    db.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sale=sales)
def test_any_recorded_sale_reads_back_exactly(shared_db: Database, sale: Sale) -> None:
    journal = SqlJournal(shared_db, TILL_ID)
    sale = replace(sale, sale_id=uuid.uuid4())  # one database for all examples: Hypothesis repeats UUIDs
    recorded = journal.record_sale(sale)
    assert recorded == replace(sale, receipt_number=recorded.receipt_number)
    assert journal.get_sale(sale.sale_id) == recorded
    with shared_db.lookup() as conn:
        payload = conn.exec_driver_sql("SELECT payload FROM outbox WHERE sale_id = ?", (str(sale.sale_id),)).scalar_one()
    assert json.loads(payload) == sale_to_dict(recorded)


def _template_sale() -> Sale:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "till.sqlite3")
        sale = sell(make_sql_till(SqlJournal(db, TILL_ID)), "1001", "2*1002", "0.5*20001")
        db.close()
    return replace(sale, receipt_number=0)


TEMPLATE = _template_sale()
STEPS = st.lists(st.sampled_from(["sell", "sell again", "reopen", "fail", "print"]), max_size=14)


@settings(max_examples=40, deadline=None)
@given(steps=STEPS)
def test_receipt_numbers_stay_gapless_across_reopening_the_database(steps: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "till.sqlite3"
        db = open_database(path)
        recorded: list[Sale] = []
        try:
            for step in steps:
                journal = SqlJournal(db, TILL_ID)
                if step == "sell":
                    recorded.append(journal.record_sale(replace(TEMPLATE, sale_id=uuid.uuid4())))
                elif step == "sell again" and recorded:
                    assert journal.record_sale(recorded[-1]) == recorded[-1]
                elif step == "reopen":
                    db.close()
                    db = open_database(path)
                elif step == "fail":
                    with db.writing() as conn:
                        conn.exec_driver_sql(
                            "CREATE TRIGGER fail BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'I/O error'); END"
                        )
                    with pytest.raises(StorageProblem):
                        journal.record_sale(replace(TEMPLATE, sale_id=uuid.uuid4()))
                    with db.writing() as conn:
                        conn.exec_driver_sql("DROP TRIGGER fail")
                elif step == "print":
                    for job in journal.pending_jobs()[:1]:
                        journal.mark_printed(job.job_id)
            journal = SqlJournal(db, TILL_ID)
            assert [s.receipt_number for s in recorded] == list(range(1, len(recorded) + 1))
            assert journal.next_receipt_number() == len(recorded) + 1
            assert journal.unsent_count() == len(recorded)
            assert [s.receipt_number for s in journal.recent_sales(100)] == list(range(len(recorded), 0, -1))
            assert journal_check(db) == []
        finally:
            db.close()
