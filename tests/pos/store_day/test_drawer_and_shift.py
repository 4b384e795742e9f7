"""Counting the drawer by denomination, and a shift's life: float, cash in/out, blind close."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.errors import PosError
from pos.store_day.approval import ApprovalDesk
from pos.store_day.drawer import (
    BadCount,
    Denominations,
    NegativeCount,
    UnknownDenomination,
    count_drawer,
    count_from_data,
    default_denominations,
    read_pieces,
)
from pos.store_day.roles import DEFAULT_TABLE, Action, NotPermitted
from pos.store_day.shift import (
    CASH_IN,
    CASH_OUT,
    CashMovementNotPositive,
    CloseWithOpenSale,
    NoOpenShift,
    NotClosing,
    NotCountedYet,
    PreviousZUnsent,
    Shift,
    ShiftNotOpen,
    ShiftState,
    require_open_shift,
)
from tests.pos.store_day.day import CASHIER, EXAMPLES, MANAGER, SENIOR, STORE, TILL, at, money

UAH = default_denominations("UAH")


def float_of(**typed: str):  # type: ignore[no-untyped-def]
    return count_drawer(UAH, {Decimal(k.lstrip("_").replace("_", ".")): v for k, v in typed.items()})


def open_shift(**typed: str) -> Shift:
    return Shift.open(store_id=STORE, till_id=TILL, currency="UAH", who=SENIOR,
                      float_count=float_of(**typed) if typed else float_of(_100="5", _0_50="4"),
                      now=at(0), table=DEFAULT_TABLE)


def test_a_count_adds_up_the_pieces_of_each_denomination():
    count = float_of(_500="2", _100="3", _1="7", _0_50="1 000")
    assert count.total == money("1807")  # 2 x 500 + 3 x 100 + 7 x 1 + 1000 x 0.50
    assert count_from_data(UAH, count.to_data()) == count


@pytest.mark.parametrize("typed, error", [
    ("abc", BadCount), ("1.5", BadCount), ("12a", BadCount), ("100000", BadCount), ("1e3", BadCount),
    ("-1", NegativeCount), ("−3", NegativeCount),
])
def test_letters_fractions_huge_and_negative_counts_are_refused_naming_the_denomination(typed, error):
    with pytest.raises(error) as refused:
        float_of(_200=typed)
    assert refused.value.fields["denomination"] == money("200")


def test_blank_counts_nothing_and_thousands_separators_are_read():
    assert read_pieces("  ", UAH.values[0]) == 0
    assert read_pieces("1 200", UAH.values[0]) == 1200


def test_a_denomination_the_till_does_not_count_is_refused():
    with pytest.raises(UnknownDenomination):
        float_of(_3="1")


@settings(max_examples=EXAMPLES * 5)
@given(st.text(max_size=30))
def test_any_typed_count_is_a_whole_number_in_range_or_a_clear_refusal(text):
    try:
        pieces = read_pieces(text, UAH.values[0])
    except PosError as refused:
        assert refused.user_message()
    else:
        assert 0 <= pieces <= 99_999


@pytest.mark.parametrize("data", [
    {"notes": ["abc"]}, {"notes": ["-5"]}, {"coins": ["0.005"]}, {"notes": ["10"], "coins": ["10.00"]},
    {"bills": ["10"]}, {}, ["10"], {"notes": [1.5]},
])
def test_bad_denomination_settings_are_refused(data):
    with pytest.raises(ValueError):
        Denominations.from_data("UAH", data)


@pytest.mark.parametrize("currency", ["UAH", "AZN", "GEL"])
def test_every_currency_of_the_chain_has_notes_and_coins_largest_first(currency):
    values = default_denominations(currency).values
    assert any(d.is_coin for d in values) and any(not d.is_coin for d in values)
    assert [d.value.amount for d in values] == sorted((d.value.amount for d in values), reverse=True)


# -- the shift -----------------------------------------------------------------------------
def test_a_cashier_may_not_open_a_shift_without_a_manager():
    with pytest.raises(NotPermitted):
        Shift.open(store_id=STORE, till_id=TILL, currency="UAH", who=CASHIER, float_count=float_of(_100="1"),
                   now=at(0), table=DEFAULT_TABLE)


def test_cash_in_and_out_are_recorded_with_their_reason_and_cash_out_needs_a_manager():
    shift = open_shift()
    moved_in = shift.move_cash(CASH_IN, money("200"), "change_top_up", SENIOR, at(1), DEFAULT_TABLE)
    with pytest.raises(NotPermitted):
        shift.move_cash(CASH_OUT, money("1000"), "bank", SENIOR, at(2), DEFAULT_TABLE)
    desk = ApprovalDesk()
    request = desk.ask(SENIOR, Action.CASH_OUT, at(2), amount=money("1000"))
    desk.approve(request.request_id, MANAGER, "other", at(2))
    approval = desk.spend(request.request_id, Action.CASH_OUT, amount=money("1000"))
    moved_out = shift.move_cash(CASH_OUT, money("1000"), "bank", SENIOR, at(3), DEFAULT_TABLE, approval)
    assert (moved_in.signed, moved_out.signed, moved_out.approval_id) == (money("200"), money("-1000"), request.request_id)
    assert shift.movements == [moved_in, moved_out]
    with pytest.raises(CashMovementNotPositive):
        shift.move_cash(CASH_IN, money("0"), "x", MANAGER, at(4), DEFAULT_TABLE)


def test_a_blind_close_shows_the_variance_of_counted_against_expected():
    shift = open_shift()
    shift.begin_close(SENIOR, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
    with pytest.raises(NotCountedYet):
        shift.close(money("1000"), SENIOR, at(9))
    shift.count_blind(float_of(_500="1", _200="2", _50="1"))  # 950
    closed = shift.close(money("1000.00"), SENIOR, at(9))
    assert (closed.counted.total, closed.expected, closed.variance) == (money("950"), money("1000"), money("-50"))
    assert shift.state is ShiftState.CLOSED


def test_no_sale_and_no_cash_movement_while_closing_or_closed():
    shift = open_shift()
    shift.require_selling()
    shift.begin_close(SENIOR, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
    with pytest.raises(ShiftNotOpen):
        shift.require_selling()
    with pytest.raises(ShiftNotOpen):
        shift.move_cash(CASH_IN, money("1"), "x", MANAGER, at(1), DEFAULT_TABLE)
    shift.count_blind(float_of(_100="5"))
    shift.close(money("500"), SENIOR, at(2))
    with pytest.raises(NoOpenShift):
        shift.require_selling()
    with pytest.raises(NotClosing):
        shift.count_blind(float_of(_100="5"))


def test_closing_can_be_abandoned_before_the_count_but_not_after():
    shift = open_shift()
    shift.begin_close(SENIOR, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
    shift.resume()
    assert shift.state is ShiftState.OPEN
    shift.begin_close(SENIOR, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
    shift.count_blind(float_of(_100="5"))
    shift.resume()
    assert shift.state is ShiftState.CLOSING


def test_no_close_with_a_sale_open_or_the_previous_z_unsent():
    shift = open_shift()
    with pytest.raises(CloseWithOpenSale):
        shift.begin_close(SENIOR, DEFAULT_TABLE, sale_open=True, unsent_z_number=None)
    with pytest.raises(PreviousZUnsent) as refused:
        shift.begin_close(SENIOR, DEFAULT_TABLE, sale_open=False, unsent_z_number=41)
    assert refused.value.fields == {"number": 41}
    assert shift.state is ShiftState.OPEN
    with pytest.raises(NotPermitted):
        shift.begin_close(CASHIER, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)


def test_no_sale_without_a_shift_at_all():
    with pytest.raises(NoOpenShift):
        require_open_shift(None)
    shift = open_shift()
    assert require_open_shift(shift) is shift
