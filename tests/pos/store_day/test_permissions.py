"""Who may do what: every protected action for every role, and the chain's table from the hub."""

import pytest

from pos.store_day.roles import (
    DEFAULT_PERMISSIONS,
    DEFAULT_TABLE,
    Action,
    BadPermissionTable,
    NotPermitted,
    PermissionTable,
    Role,
    may,
)
from tests.pos.store_day.day import CASHIER, MANAGER

# The default table, written out by hand: a change to DEFAULT_PERMISSIONS must change this too.
C, S, M = Role.CASHIER, Role.SENIOR_CASHIER, Role.MANAGER
EXPECTED = {
    Action.VOID_LINE: {C, S, M},
    Action.CANCEL_SALE: {S, M},
    Action.PRICE_OVERRIDE: {M},
    Action.WEIGHT_OVERRIDE: {M},
    Action.MANUAL_DISCOUNT: {S, M},
    Action.RETURN_WITH_RECEIPT: {S, M},
    Action.RETURN_WITHOUT_RECEIPT: {M},
    Action.RETURN_OTHER_TILL_OFFLINE: {M},
    Action.NO_SALE: {S, M},
    Action.CASH_IN: {S, M},
    Action.CASH_OUT: {M},
    Action.OPEN_SHIFT: {S, M},
    Action.CLOSE_SHIFT: {S, M},
    Action.X_REPORT: {S, M},
    Action.Z_REPORT: {M},
    Action.REPRINT: {C, S, M},
    Action.QUARANTINE: {M},
    Action.QUARANTINE_EXPORT: {M},
    Action.PARK_SALE: {C, S, M},
    Action.MANAGER_SCREENS: {M},
    Action.CARD_NOT_CHARGED: {M},
    Action.GIFT_CARD_OFFLINE: {M},
}


def test_the_default_table_names_every_action():
    assert set(DEFAULT_PERMISSIONS) == set(Action) == set(EXPECTED)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_do_exactly_what_the_default_table_gives_it(role, action):
    assert may(role, action) is (role in EXPECTED[action])


@pytest.mark.parametrize("action", list(Action))
def test_a_manager_may_do_every_action_by_default(action):
    assert may(Role.MANAGER, action)


def test_a_refusal_names_the_person_and_the_action():
    with pytest.raises(NotPermitted) as refused:
        DEFAULT_TABLE.check(CASHIER, Action.Z_REPORT)
    assert refused.value.fields == {"name": "Olena", "action": "z_report"}
    DEFAULT_TABLE.check(MANAGER, Action.Z_REPORT)


def test_the_hubs_table_changes_only_the_actions_it_names():
    table = PermissionTable.from_data({"cash_out": ["senior_cashier"], "void_line": ["manager"]})
    assert table.may(Role.SENIOR_CASHIER, Action.CASH_OUT)
    assert table.may(Role.MANAGER, Action.CASH_OUT)  # a manager is always added
    assert not table.may(Role.CASHIER, Action.VOID_LINE)
    assert table.may(Role.CASHIER, Action.REPRINT)  # the default stays


def test_the_table_round_trips_through_the_hubs_form():
    assert PermissionTable.from_data(DEFAULT_TABLE.to_data()).allowed == DEFAULT_TABLE.allowed


def test_an_action_missing_from_a_table_is_for_managers_only():
    table = PermissionTable({})
    assert not table.may(Role.SENIOR_CASHIER, Action.REPRINT)
    assert table.may(Role.MANAGER, Action.REPRINT)


@pytest.mark.parametrize("data, said", [
    ({"void_everything": ["cashier"]}, "unknown action"),
    ({"void_line": ["boss"]}, "unknown role"),
    ({"void_line": "cashier"}, "not a list"),
    (["void_line"], "not a table"),
    ({"void_line": [None]}, "unknown role"),
])
def test_a_table_with_an_unknown_name_is_refused_not_guessed(data, said):
    with pytest.raises(BadPermissionTable) as refused:
        PermissionTable.from_data(data)
    assert said in str(refused.value)


def test_every_action_has_a_name_a_person_reads_in_every_language():
    from pos.i18n import translator
    from pos.store_day.roles import ACTION_NAMES

    assert set(ACTION_NAMES) == set(Action)
    for language in ("uk", "az", "ka"):
        names = [translator(language).gettext(ACTION_NAMES[a]) for a in Action]
        assert len(set(names)) == len(names) and not set(names) & set(ACTION_NAMES.values())
