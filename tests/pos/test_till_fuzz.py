"""Hypothesis drives the real Till over a real SQLite journal with what cashiers type:
scans, quantities, weights, cash.  Every call works or raises a PosError with a message;
the basket on screen, the basket saved on disk and the journal stay consistent."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from local_db.database import Database, open_database
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from pos.basket import BasketState
from pos.codec import basket_from_dict
from pos.errors import PosError
from pos.money import money_sum
from pos.quantity import check_quantity, parse_decimal
from pos.tender import CashPolicy
from pos.till import Till, TillSettings, is_scan
from tests.fakes import APPLES, STORE, MemoryCashiers, MemoryCatalog, StepClock
from tests.pos.typed_inputs import SESSIONS, quantities, scans, typed_numbers

actions = st.lists(
    st.one_of(
        st.tuples(st.just("scan"), scans),
        st.tuples(st.just("scan"), scans),
        st.tuples(st.just("quantity"), st.integers(0, 20), quantities),
        st.tuples(st.just("void"), st.integers(0, 20)),
        st.tuples(st.just("weight"), quantities),
        st.tuples(st.just("pay"), st.one_of(st.just(""), st.sampled_from(["100", "1000", "5000,50"]), typed_numbers)),
        st.tuples(st.just("cancel")),
    ),
    max_size=25,
)


@pytest.fixture(scope="module")
def shared_db() -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "till.sqlite3")
        yield db
        db.close()


def perform(till: Till, action: tuple) -> object:
    kind, *args = action
    lines = till.basket.lines
    if kind == "scan":
        text = args[0]
        return till.scan(text) if is_scan(text) else till.search(text)
    if kind == "quantity" and lines:
        return till.change_quantity(lines[args[0] % len(lines)].line_id, args[1])
    if kind == "void" and lines:
        return till.void_line(lines[args[0] % len(lines)].line_id)
    if kind == "weight":  # the search dialog's weight entry
        return till.add_product(APPLES, parse_decimal(args[0]))
    if kind == "pay":
        till.begin_payment()
        return till.pay_cash(args[0])
    if kind == "cancel":
        return till.cancel_payment()
    return None


def check_consistent(till: Till, journal: SqlJournal, increment: Decimal) -> None:
    view = till.view()
    active = [line for line in view.lines if not line.voided]
    assert view.total == money_sum([line.total for line in active], STORE.currency)
    view.total.minor_units()
    assert abs(view.cash_due.amount - view.total.amount) <= increment / 2
    for line in active:
        assert check_quantity(line.quantity, sold_by_weight=line.product.sold_by_weight, name="") == line.quantity
    saved = journal.load_basket()
    if saved is not None and till.basket.state is not BasketState.COMPLETED:
        assert basket_from_dict(saved).lines == till.basket.lines


@settings(max_examples=SESSIONS, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow, HealthCheck.data_too_large])
@given(session=actions, rounding=st.sampled_from(["0.01", "0.05", "0.10", "0.50", "1"]))
def test_whatever_a_cashier_types_the_till_answers_or_explains_and_stays_consistent(shared_db, session, rounding):
    journal = SqlJournal(shared_db, STORE.till_id)
    journal.discard_basket()
    increment = Decimal(rounding)
    till = Till(TillSettings(STORE, CashPolicy(increment)), catalog=MemoryCatalog(), journal=journal, baskets=journal,
                cashiers=MemoryCashiers(), clock=StepClock())
    till.start()
    till.sign_in("1", "1234")
    for action in session:
        sales_before = journal.next_receipt_number()
        try:
            result = perform(till, action)
        except PosError as err:
            event(f"{action[0]} refused: {type(err).__name__}")
            assert err.user_message().strip()
            assert journal.next_receipt_number() == sales_before  # a refusal records nothing
        else:
            event(f"{action[0]} done")
            sale = getattr(result, "sale", None)
            if sale is not None:
                payment = sale.payments[0]
                assert payment.tendered - payment.change == payment.amount == sale.due
                assert journal.get_sale(sale.sale_id) == sale
        check_consistent(till, journal, increment)
    assert journal_check(shared_db) == []
