"""Whatever a policy from the hub holds, the one reader (``pos.store_day.policies``, used by
the pull and by ``kassa-hub set-policy``) gives a policy or refuses it with ``BadPolicy``
naming the policy: never another exception, never a table that opens an action a table of
the same roles would not.  Bounded for CI; ``KASSA_SOAK=1`` tries many more."""

from __future__ import annotations

import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.store_day.approval import ReasonCodes
from pos.store_day.drawer import Denominations
from pos.store_day.policies import POLICY_NAMES, BadPolicy, read_policy
from pos.store_day.roles import Action, PermissionTable, Role

EXAMPLES = 3000 if os.environ.get("KASSA_SOAK") else 150
ACTIONS = [a.value for a in Action]
ROLES = [r.value for r in Role]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                    st.sampled_from(ACTIONS + ROLES + ["0.50", "1000", "-1", "UAH", "GEL", "1e3", "NaN"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(
        ACTIONS + ["notes", "coins", "currency", "code", "label"])), inner, max_size=5)), max_leaves=20)
near_tables = st.dictionaries(st.sampled_from(ACTIONS + ["fly"]),
                              st.lists(st.sampled_from(ROLES + ["boss"]), max_size=3), max_size=6)


@settings(max_examples=EXAMPLES, deadline=None)
@given(name=st.sampled_from(POLICY_NAMES), body=st.one_of(values.map(json.dumps), st.text(max_size=60),
                                                          near_tables.map(json.dumps)))
def test_any_body_is_read_or_refused_naming_the_policy(name: str, body: str) -> None:
    try:
        policy = read_policy(name, body)
    except BadPolicy as refused:
        assert name in str(refused) and "\n" not in str(refused)
        return
    assert isinstance(policy, {"permissions": PermissionTable, "reasons": ReasonCodes,
                               "denominations": Denominations}[name])


@settings(max_examples=EXAMPLES, deadline=None)
@given(table=near_tables)
def test_a_permission_table_read_gives_exactly_the_roles_it_names_and_the_manager(
        table: dict[str, list[str]]) -> None:
    try:
        read = read_policy("permissions", json.dumps(table))
    except BadPolicy:
        assert "fly" in table or any("boss" in roles for roles in table.values())
        return
    assert isinstance(read, PermissionTable)
    for action_name, roles in table.items():
        for role in Role:
            assert read.may(role, Action(action_name)) == (role.value in roles or role is Role.MANAGER)
