"""A manager's approval is bound to one action, amount and sale, used once, never self-given;
the inactivity lock and the cashier switch rule."""

import uuid
from datetime import timedelta

import pytest

from pos.store_day.approval import (
    DEFAULT_REASONS,
    ApprovalDesk,
    ApprovalMismatch,
    ApprovalNotNeeded,
    ApprovalUnknown,
    ApproverMayNot,
    NotAManager,
    OwnRequest,
    ReasonCodes,
    RequestExpired,
    UnknownReason,
)
from pos.store_day.lock import InactivityLock, SwitchWithOpenSale, UnlockRefused, check_cashier_switch, check_unlock
from pos.store_day.roles import Action, PermissionTable
from tests.pos.store_day.day import CASHIER, MANAGER, MANAGER_2, SENIOR, at, money

SALE, LINE = uuid.uuid4(), uuid.uuid4()


def asked(desk: ApprovalDesk, amount: str = "89.90"):
    return desk.ask(CASHIER, Action.CANCEL_SALE, at(0), amount=money(amount), sale_id=SALE)


def test_an_approved_request_is_spent_for_its_action_and_recorded_for_the_audit():
    desk = ApprovalDesk()
    request = asked(desk)
    desk.approve(request.request_id, MANAGER, "scanned_by_mistake", at(1))
    record = desk.spend(request.request_id, Action.CANCEL_SALE, amount=money("89.90"), sale_id=SALE)
    assert (record.requested_by, record.approved_by, record.reason) == ("c1", "m1", "scanned_by_mistake")
    assert (record.action, record.amount, record.sale_id) == (Action.CANCEL_SALE, money("89.90"), SALE)
    assert (record.requested_at, record.approved_at) == (at(0), at(1))


def test_an_approval_cannot_be_replayed():
    desk = ApprovalDesk()
    request = asked(desk)
    desk.approve(request.request_id, MANAGER, "other", at(1))
    desk.spend(request.request_id, Action.CANCEL_SALE, amount=money("89.90"), sale_id=SALE)
    with pytest.raises(ApprovalUnknown):
        desk.spend(request.request_id, Action.CANCEL_SALE, amount=money("89.90"), sale_id=SALE)
    with pytest.raises(ApprovalUnknown):
        desk.approve(request.request_id, MANAGER, "other", at(1))


def test_an_approval_spent_before_a_restart_stays_spent():
    desk = ApprovalDesk()
    request = asked(desk)
    desk.approve(request.request_id, MANAGER, "other", at(1))
    record = desk.spend(request.request_id, Action.CANCEL_SALE, amount=money("89.90"), sale_id=SALE)
    restarted = ApprovalDesk.starting_from([record.approval_id])
    restarted.pending[request.request_id] = request  # even a replayed request is refused
    with pytest.raises(ApprovalUnknown):
        restarted.approve(request.request_id, MANAGER, "other", at(1))


@pytest.mark.parametrize("action, amount, sale", [
    (Action.VOID_LINE, "89.90", SALE),
    (Action.CANCEL_SALE, "900.00", SALE),
    (Action.CANCEL_SALE, "89.90", uuid.uuid4()),
])
def test_an_approval_works_only_for_the_action_amount_and_sale_it_was_given_for(action, amount, sale):
    desk = ApprovalDesk()
    request = asked(desk)
    desk.approve(request.request_id, MANAGER, "other", at(1))
    with pytest.raises(ApprovalMismatch):
        desk.spend(request.request_id, action, amount=money(amount), sale_id=sale)
    desk.spend(request.request_id, Action.CANCEL_SALE, amount=money("89.90"), sale_id=SALE)  # still usable as given


def test_nobody_approves_their_own_request():
    table = PermissionTable.from_data({"cash_out": []})  # managers only
    desk = ApprovalDesk(table=table)
    request = desk.ask(SENIOR, Action.CASH_OUT, at(0), amount=money("100"))
    with pytest.raises(OwnRequest):
        desk.approve(request.request_id, SENIOR, "other", at(1))
    desk.approve(request.request_id, MANAGER_2, "other", at(1))


def test_only_a_manager_approves_even_an_action_a_senior_cashier_may_do():
    desk = ApprovalDesk()
    request = desk.ask(CASHIER, Action.CANCEL_SALE, at(0))
    with pytest.raises(NotAManager):
        desk.approve(request.request_id, SENIOR, "other", at(1))
    desk.approve(request.request_id, MANAGER, "other", at(1))


def test_a_manager_whose_role_the_chain_refused_an_action_cannot_approve_it():
    table = PermissionTable({Action.PRICE_OVERRIDE: frozenset()})
    desk = ApprovalDesk(table=table)
    request = desk.ask(CASHIER, Action.PRICE_OVERRIDE, at(0))
    with pytest.raises(ApproverMayNot):
        desk.approve(request.request_id, MANAGER, "other", at(1))


def test_an_action_the_role_may_do_needs_no_approval():
    with pytest.raises(ApprovalNotNeeded):
        ApprovalDesk().ask(MANAGER, Action.CANCEL_SALE, at(0))


def test_an_old_request_must_be_asked_again():
    desk = ApprovalDesk()
    request = asked(desk)
    with pytest.raises(RequestExpired):
        desk.approve(request.request_id, MANAGER, "other", at(6))
    with pytest.raises(ApprovalUnknown):
        desk.approve(request.request_id, MANAGER, "other", at(1))


def test_a_reason_must_come_from_the_chains_list_and_a_wrong_one_keeps_the_request():
    desk = ApprovalDesk()
    request = asked(desk)
    with pytest.raises(UnknownReason):
        desk.approve(request.request_id, MANAGER, "because", at(1))
    desk.approve(request.request_id, MANAGER, "damaged", at(1))


def test_the_chains_reason_list_is_read_and_bad_rows_refused():
    reasons = ReasonCodes.from_data([{"code": "expired", "label": "Термін минув"}])
    assert reasons.get("expired").label == "Термін минув"
    for bad in ({"code": "x"}, [{"code": "", "label": "empty"}], [{"code": 5, "label": "x"}], ["x"]):
        with pytest.raises(ValueError):
            ReasonCodes.from_data(bad)
    assert DEFAULT_REASONS.get("other")


def test_a_dropped_request_cannot_be_approved():
    desk = ApprovalDesk()
    request = asked(desk)
    desk.drop(request.request_id)
    with pytest.raises(ApprovalUnknown):
        desk.approve(request.request_id, MANAGER, "other", at(1))


# -- the inactivity lock and the cashier switch ----------------------------------------------
def test_the_till_locks_after_the_idle_time_and_not_before():
    lock = InactivityLock(timedelta(minutes=3))
    assert not lock.is_due(at(0), at(2.99))
    assert lock.is_due(at(0), at(3))


def test_a_clock_set_back_locks_the_till():
    assert InactivityLock(timedelta(minutes=3)).is_due(at(10), at(0))


def test_only_the_same_cashier_or_a_manager_unlocks():
    check_unlock(CASHIER, CASHIER)
    check_unlock(CASHIER, MANAGER)
    with pytest.raises(UnlockRefused) as refused:
        check_unlock(CASHIER, SENIOR)
    assert refused.value.fields == {"name": "Olena"}


def test_another_cashier_cannot_take_over_an_open_sale():
    with pytest.raises(SwitchWithOpenSale):
        check_cashier_switch(CASHIER, SENIOR, sale_open=True)
    with pytest.raises(SwitchWithOpenSale):
        check_cashier_switch(CASHIER, MANAGER, sale_open=True)
    check_cashier_switch(CASHIER, CASHIER, sale_open=True)
    check_cashier_switch(CASHIER, SENIOR, sale_open=False)
    check_cashier_switch(None, SENIOR, sale_open=True)
