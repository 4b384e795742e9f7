"""The shift desk on a real till: the Till and its store's day wired by shell.wiring on a real
SQLite file, the demo catalog, cashiers with roles.  Opening with a counted float, cash in and
out, the X report, the blind close with its variance and the numbered Z, and every refusal
(bad counts, a sale open, the previous Z unsent, no approval) leaving the journal unchanged."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local_db.cashiers import add_cashier
from local_db.database import Database, open_database
from local_db.demo_store import create_demo_store
from local_db.staff import set_role
from local_db.store_day_journal import SqlStoreDay
from pos.demo_catalog import generate_catalog
from pos.errors import PosError
from pos.money import CashNotHandable, Money
from pos.store_day import shift_desk
from pos.store_day.day import NeedsApproval
from pos.store_day.drawer import BadCount, NegativeCount
from pos.store_day.roles import Action, Role
from pos.store_day.shift import (
    CASH_IN,
    CASH_OUT,
    CloseWithOpenSale,
    NoOpenShift,
    PreviousZUnsent,
    ShiftNotOpen,
    ShiftState,
)
from pos.till import Till
from shell.settings import parse_settings
from shell.wiring import build_services
from tests.pos.store_day.day import EXAMPLES

ITEM = next(p for p in generate_catalog(50) if not p.sold_by_weight)
MANAGER = ("31", "Iryna", "3131")
SENIOR = ("32", "Taras", "3232")
FLOAT = {Decimal("100"): "3", Decimal("50"): "2", Decimal("0.50"): "4"}  # 402.00


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def settings_for(path: Path):  # noqa: ANN201
    return parse_settings(f"""
[store]
store_id = "S1"
name = "Test Store"
currency = "UAH"
[till]
till_id = "T07"
cash_rounding = "0.10"
[printer]
connection = "none"
[database]
path = "{path}"
""", Path("test.toml"))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return shop_in(tmp_path / "till.sqlite3")


def shop_in(path: Path) -> Database:
    database = open_database(path)
    create_demo_store(database, items=50)
    for (code, name, pin), role in ((MANAGER, Role.MANAGER), (SENIOR, Role.SENIOR_CASHIER)):
        add_cashier(database, code, name, pin)
        set_role(database, code, role)
    return database


def till_of(db: Database, cashier: tuple[str, str, str]) -> Till:
    till = build_services(settings_for(db.path), db).till
    till.start()
    till.sign_in(cashier[0], cashier[2])
    return till


@pytest.fixture
def manager_till(db: Database) -> Till:
    return till_of(db, MANAGER)


def approved(till: Till, needed: NeedsApproval) -> uuid.UUID:
    assert till.day is not None
    request = till.day.ask(needed)
    return till.day.approve(request.request_id, MANAGER[0], MANAGER[2], "other").request.request_id


def journal_of(db: Database) -> SqlStoreDay:
    return SqlStoreDay(db, "T07")


def test_a_manager_opens_the_shift_with_the_float_counted_by_denomination(manager_till: Till, db: Database) -> None:
    shift = shift_desk.open_shift(manager_till, FLOAT)
    assert shift.opening_float.total == uah("402.00")
    assert manager_till.day is not None and manager_till.day.shift is shift
    assert shift.opened_by == MANAGER[0]
    recorded = journal_of(db).current_shift(manager_till.day.rules.denominations)
    assert recorded is not None and recorded.shift_id == shift.shift_id
    assert recorded.opening_float.total == uah("402.00")
    with pytest.raises(shift_desk.ShiftAlreadyOpen):
        shift_desk.open_shift(manager_till, FLOAT)


@pytest.mark.parametrize("typed, refused, named", [
    ("3a", BadCount, "100"), ("-2", NegativeCount, "100"), ("1.5", BadCount, "100"), ("100000", BadCount, "100"),
])
def test_a_float_with_letters_negatives_or_fractions_is_refused_naming_the_denomination_and_nothing_is_recorded(
        manager_till: Till, db: Database, typed: str, refused: type[PosError], named: str) -> None:
    with pytest.raises(refused) as error:
        shift_desk.open_shift(manager_till, {Decimal("200"): "1", Decimal("100"): typed})
    assert named in error.value.user_message() and typed in error.value.user_message()
    assert manager_till.day is not None and manager_till.day.shift is None
    assert journal_of(db).current_shift(manager_till.day.rules.denominations) is None


def test_a_cashier_opens_the_shift_only_with_a_managers_approval_bound_to_the_float(db: Database) -> None:
    till = till_of(db, ("1", "Olena", "1234"))
    with pytest.raises(NeedsApproval) as asked:
        shift_desk.open_shift(till, FLOAT)
    assert asked.value.action is Action.OPEN_SHIFT and asked.value.amount == uah("402.00")
    approval_id = approved(till, asked.value)
    with pytest.raises(PosError):  # bound to 402.00: another float is refused
        shift_desk.open_shift(till, {Decimal("100"): "1"}, approval_id)
    assert till.day is not None and till.day.shift is None


def test_cash_in_and_out_are_numbered_documents_and_more_than_the_drawer_cannot_be_taken_out(
        manager_till: Till, db: Database) -> None:
    shift_desk.open_shift(manager_till, FLOAT)
    put_in = shift_desk.move_cash(manager_till, CASH_IN, "200", "change_from_safe")
    with pytest.raises(shift_desk.MoreThanTheDrawer):
        shift_desk.move_cash(manager_till, CASH_OUT, "602.50", "safe_drop")
    taken = shift_desk.move_cash(manager_till, CASH_OUT, "602", "safe_drop")
    assert (put_in.number, taken.number) == (1, 2)
    assert (put_in.amount, taken.amount, taken.reason) == (uah("200.00"), uah("602.00"), "safe_drop")
    for text, refused in (("12a", shift_desk.BadCashAmount), ("0", shift_desk.BadCashAmount),
                          ("-5", shift_desk.BadCashAmount), ("0.05", CashNotHandable)):
        with pytest.raises(refused):
            shift_desk.move_cash(manager_till, CASH_IN, text, "other")
    with pytest.raises(shift_desk.UnknownCashReason):
        shift_desk.move_cash(manager_till, CASH_IN, "10", "safe_drop")  # a reason for cash taken out
    assert manager_till.day is not None and manager_till.day.shift is not None
    docs = journal_of(db).day_documents(manager_till.day.shift)
    assert [m.number for m in docs.movements] == [1, 2]


def test_a_cashier_takes_cash_out_only_with_an_approval_that_cannot_be_used_twice(db: Database) -> None:
    shift_desk.open_shift(till_of(db, MANAGER), FLOAT)
    till = till_of(db, SENIOR)  # a senior cashier may put cash in, not take it out
    shift_desk.move_cash(till, CASH_IN, "100", "float_top_up")
    with pytest.raises(NeedsApproval) as asked:
        shift_desk.move_cash(till, CASH_OUT, "300", "bank_deposit")
    approval_id = approved(till, asked.value)
    taken = shift_desk.move_cash(till, CASH_OUT, "300", "bank_deposit", approval_id)
    assert taken.approval_id == approval_id and taken.by == SENIOR[0]
    with pytest.raises(PosError):
        shift_desk.move_cash(till, CASH_OUT, "300", "bank_deposit", approval_id)
    assert till.day is not None and till.day.shift is not None
    assert len(journal_of(db).day_documents(till.day.shift).movements) == 2


def test_the_x_report_counts_the_shift_so_far_and_changes_nothing(manager_till: Till) -> None:
    shift_desk.open_shift(manager_till, FLOAT)
    manager_till.scan(ITEM.barcode)
    sale = manager_till.pay_cash("").sale
    assert sale is not None
    shift_desk.move_cash(manager_till, CASH_OUT, "100", "safe_drop")
    report = shift_desk.x_report(manager_till)
    assert (report.kind.value, report.sales_count, report.first_receipt) == ("X", 1, sale.receipt_number)
    assert report.expected_cash == uah("302.00") + sale.payments[0].amount
    assert shift_desk.x_report(manager_till) == report
    assert manager_till.day is not None and manager_till.day.shift is not None
    assert manager_till.day.shift.state is ShiftState.OPEN


def test_closing_with_a_sale_open_is_refused_and_the_shift_keeps_selling(manager_till: Till) -> None:
    shift_desk.open_shift(manager_till, FLOAT)
    manager_till.scan(ITEM.barcode)
    with pytest.raises(CloseWithOpenSale):
        shift_desk.begin_close(manager_till)
    assert manager_till.day is not None and manager_till.day.shift is not None
    assert manager_till.day.shift.state is ShiftState.OPEN
    assert manager_till.pay_cash("").sale is not None


def test_a_blind_close_records_the_variance_and_a_numbered_z_then_no_sale_until_a_new_shift(
        manager_till: Till, db: Database) -> None:
    shift_desk.open_shift(manager_till, FLOAT)
    manager_till.scan(ITEM.barcode)
    sale = manager_till.pay_cash("").sale
    assert sale is not None
    shift_desk.begin_close(manager_till)
    with pytest.raises(ShiftNotOpen):
        manager_till.scan(ITEM.barcode)
    counted = shift_desk.count_blind(manager_till, {Decimal("100"): "3", Decimal("50"): "2"})  # 2.00 short
    assert counted.total == uah("400.00")
    closed, z = shift_desk.close(manager_till)
    assert closed.expected == uah("402.00") + sale.payments[0].amount
    assert closed.variance == counted.total - closed.expected
    assert (z.kind.value, z.z_number, z.sales_count) == ("Z", 1, 1)
    assert journal_of(db).z_report(z.shift_id) == z
    assert manager_till.day is not None and manager_till.day.shift is None
    with pytest.raises(NoOpenShift):
        manager_till.scan(ITEM.barcode)
    shift_desk.open_shift(manager_till, FLOAT)  # the next shift opens; it closes once Z 1 reached the hub
    with pytest.raises(PreviousZUnsent) as unsent:
        shift_desk.begin_close(manager_till)
    assert "1" in unsent.value.user_message()


def test_a_close_begun_and_not_counted_goes_back_to_selling(manager_till: Till) -> None:
    shift_desk.open_shift(manager_till, FLOAT)
    shift_desk.begin_close(manager_till)
    assert shift_desk.begin_close(manager_till).state is ShiftState.CLOSING  # the close goes on
    shift_desk.resume(manager_till)
    manager_till.scan(ITEM.barcode)
    assert manager_till.pay_cash("").sale is not None


def test_a_cashier_cannot_start_the_close_without_a_managers_approval(db: Database) -> None:
    shift_desk.open_shift(till_of(db, MANAGER), FLOAT)
    till = till_of(db, ("1", "Olena", "1234"))
    with pytest.raises(NeedsApproval) as asked:
        shift_desk.begin_close(till)
    assert asked.value.action is Action.CLOSE_SHIFT
    shift_desk.begin_close(till, approved(till, asked.value))
    shift_desk.count_blind(till, FLOAT)
    with pytest.raises(NeedsApproval) as z_asked:  # the Z report is the manager's
        shift_desk.close(till)
    closed, z = shift_desk.close(till, approved(till, z_asked.value))
    assert closed.variance.is_zero() and z.z_number == 1


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet="0123456789.,- a\u00a0", max_size=12))
def test_any_typed_cash_amount_is_either_recorded_as_read_or_refused_with_a_message(
        manager_till: Till, text: str) -> None:
    assert manager_till.day is not None
    if manager_till.day.shift is None:
        shift_desk.open_shift(manager_till, FLOAT)
    try:
        movement = shift_desk.move_cash(manager_till, CASH_IN, text, "other")
    except PosError as error:
        assert error.user_message()
    else:
        assert movement.amount.amount > 0 and movement.amount == shift_desk.read_cash(manager_till, text)


STEP = st.one_of(st.tuples(st.just("sell"), st.integers(1, 3)), st.tuples(st.just(CASH_IN), st.integers(1, 900)),
                 st.tuples(st.just(CASH_OUT), st.integers(1, 900)))


@settings(max_examples=max(3, EXAMPLES // 10), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, max_size=6), off_by=st.integers(-300, 300))
def test_the_close_expects_the_float_plus_cash_taken_and_moved_and_the_variance_is_counted_minus_that(
        tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int]], off_by: int) -> None:
    till = till_of(shop_in(tmp_path_factory.mktemp("day") / "till.sqlite3"), MANAGER)
    shift_desk.open_shift(till, FLOAT)
    drawer, moved_in, moved_out = uah("402.00"), uah("0"), uah("0")
    for kind, n in steps:
        if kind == "sell":
            till.scan(f"{n}*{ITEM.barcode}")
            sale = till.pay_cash("").sale
            assert sale is not None
            drawer += sale.payments[0].amount
        elif kind == CASH_OUT and uah(str(n)) > drawer:
            with pytest.raises(shift_desk.MoreThanTheDrawer):
                shift_desk.move_cash(till, kind, str(n), "safe_drop")
        else:
            shift_desk.move_cash(till, kind, str(n), "safe_drop" if kind == CASH_OUT else "other")
            drawer += uah(str(n)) if kind == CASH_IN else -uah(str(n))
            moved_in, moved_out = (moved_in + uah(str(n)), moved_out) if kind == CASH_IN else (moved_in, moved_out + uah(str(n)))
    counted = max(Decimal(0), drawer.amount + off_by)
    thousands = int(counted // 1000)
    shift_desk.begin_close(till)
    shift_desk.count_blind(till, {Decimal("1000"): str(thousands), Decimal("0.10"): str(int((counted - thousands * 1000) * 10))})
    closed, z = shift_desk.close(till)
    assert closed.expected == drawer == z.expected_cash
    assert closed.variance.amount == counted - drawer.amount
    assert (z.cash_in, z.cash_out, z.z_number) == (moved_in, moved_out, 1)
    assert journal_of(till.day.journal.db).z_report(z.shift_id) == z  # type: ignore[union-attr]
