"""Who may do what, on the real till of a real file (shell.wiring.build_services): every
protected action for every role through the store's day, and void, cancel and the weight
override through the Till itself, each refused action done once a manager approved it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pos.store_day.day import NeedsApproval
from pos.store_day.roles import DEFAULT_TABLE, Action, Role
from pos.till import Till
from tests.ui.sale_control.shop import (
    FIRST, IRYNA, OLENA, TARAS, WEIGHED, DrivenClock, scale_label, shop_services,
)

ROLES = {Role.CASHIER: OLENA, Role.SENIOR_CASHIER: TARAS, Role.MANAGER: IRYNA}


def till_for(path: Path, role: Role) -> Till:
    till = shop_services(path, DrivenClock()).till
    till.start()
    till.sign_in(*ROLES[role])
    return till


def test_the_store_day_lets_each_role_do_exactly_what_the_table_gives_it(shop):
    """Every protected action for every role (one test: the tills are signed in once)."""
    for role in Role:
        till = till_for(shop, role)
        assert till.day is not None and till.day.member(till.cashier).role is role
        for action in Action:
            if DEFAULT_TABLE.may(role, action):
                assert till.day.authorise(till.staff(), action) is None, (role, action)
                continue
            with pytest.raises(NeedsApproval) as refused:
                till.day.authorise(till.staff(), action)
            assert (refused.value.action, refused.value.who.role) == (action, role)


def approved(till: Till, needed: NeedsApproval):  # noqa: ANN201
    """A manager (Iryna) approves what ``needed`` asks, with a reason."""
    assert till.day is not None
    request = till.day.ask(needed)
    return till.day.approve(request.request_id, IRYNA[0], IRYNA[1], "other").request.request_id


def run_as(role: Role, path: Path, work) -> bool:  # noqa: ANN001
    """Run ``work(till, approval_id)`` as ``role``: True when done alone, False when it needed
    (and then got) a manager's approval."""
    till = till_for(path, role)
    try:
        work(till, None)
        return True
    except NeedsApproval as needed:
        work(till, approved(till, needed))
        return False


@pytest.mark.parametrize("role", list(Role))
def test_void_cancel_and_weight_override_through_the_till(shop, role):
    def void(till: Till, approval_id):  # noqa: ANN001, ANN202
        if approval_id is None:
            till.scan(FIRST.barcode)
        till.void_line(till.basket.lines[-1].line_id, approval_id)
        assert till.basket.lines[-1].voided

    def cancel(till: Till, approval_id):  # noqa: ANN001, ANN202
        if approval_id is None:
            till.scan(FIRST.barcode)
        till.cancel_sale(approval_id)
        assert till.basket.lines == []

    def weight(till: Till, approval_id):  # noqa: ANN001, ANN202
        if approval_id is None:
            till.scan(scale_label(WEIGHED.code, 350))
        till.change_quantity(till.basket.lines[-1].line_id, "0.5", approval_id)
        assert till.basket.lines[-1].quantity == Decimal("0.5")

    done_alone = {name: run_as(role, shop, work) for name, work in (("void", void), ("cancel", cancel),
                                                                    ("weight", weight))}
    assert done_alone == {
        "void": DEFAULT_TABLE.may(role, Action.VOID_LINE),
        "cancel": DEFAULT_TABLE.may(role, Action.CANCEL_SALE),
        "weight": DEFAULT_TABLE.may(role, Action.WEIGHT_OVERRIDE),
    }
    assert done_alone["cancel"] is (role is not Role.CASHIER) and done_alone["weight"] is (role is Role.MANAGER)
