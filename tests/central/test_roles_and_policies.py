"""The hub's side of the store's day rules: cashiers carry a role, and each store has its
policies (permission table, reason codes, denominations) as a versioned dataset, checked
with the till's own reader before they are stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from central.cli import main
from central.errors import AdminProblem
from central.policies import remove_policy, set_policy
from central.stores import add_cashier
from pos.store_day.policies import read_policy
from pos.store_day.roles import DEFAULT_TABLE, Action, PermissionTable, Role
from tests.central.shop import STORE_ID, Shop

STRICT = json.dumps({**DEFAULT_TABLE.to_data(), "void_line": ["senior_cashier"]})


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_cashier_added_with_a_role_is_pulled_with_it(shop: Shop, database_url: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    till = shop.enrol()
    add_cashier(shop.db, STORE_ID, "1", "Olena", "1234")
    status, out, _ = run(capsys, "add-cashier", "--database", database_url, "--store", STORE_ID, "--code", "9",
                         "--name", "Iryna", "--pin", "9999", "--role", "manager")

    assert status == 0 and "manager" in out
    assert {c["code"]: c["role"] for c in shop.pull_all(till, "cashiers")[0]} == {"1": "cashier", "9": "manager"}


def test_an_unknown_role_is_refused_by_name(shop: Shop) -> None:
    with pytest.raises(AdminProblem, match="'boss' is not one of cashier, senior_cashier, manager"):
        add_cashier(shop.db, STORE_ID, "1", "Olena", "1234", role="boss")


def test_a_policy_set_from_a_file_reaches_only_its_stores_tills_and_reads_back(
        shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    here, elsewhere = shop.enrol("T01"), shop.enrol("T01", store_id="UA-LVIV-002")
    table = tmp_path / "table.json"
    table.write_text(STRICT, encoding="utf-8")

    status, out, _ = run(capsys, "set-policy", "--database", database_url, "--store", STORE_ID,
                         "--name", "permissions", "--file", str(table))

    assert status == 0 and "saved" in out
    items, cursor = shop.pull_all(here, "policies")
    assert [(p["name"], p["deleted"]) for p in items] == [("permissions", False)]
    pulled = read_policy("permissions", items[0]["body"])
    assert isinstance(pulled, PermissionTable) and not pulled.may(Role.CASHIER, Action.VOID_LINE)
    assert shop.pull_all(elsewhere, "policies")[0] == []
    # the same table again is no change; a removal comes as deleted
    assert set_policy(shop.db, STORE_ID, "permissions", STRICT).version is None
    assert shop.pull_all(here, "policies", cursor)[0] == []
    remove_policy(shop.db, STORE_ID, "permissions")
    assert [(p["name"], p["deleted"]) for p in shop.pull_all(here, "policies", cursor)[0]] == [("permissions", True)]


@pytest.mark.parametrize(("name", "body", "says"), [
    ("permissions", '{"void_line": ["cashier"], "fly": ["manager"]}', "unknown action 'fly'"),
    ("permissions", '{"void_line": ["boss"]}', "an unknown role for void_line"),
    ("permissions", '{"void_line": "cashier"}', "the roles of void_line are not a list"),
    ("reasons", "[]", "the list of reasons is empty"),
    ("reasons", '[{"code": "x"}]', "bad reason code row"),
    ("denominations", '{"currency": "UAH", "notes": ["-5"]}', "'-5' is not a UAH note or coin"),
    ("denominations", '{"notes": ["5"]}', '"currency"'),
    ("reasons", "[{", "is not JSON"),
])
def test_a_bad_policy_is_refused_with_what_is_wrong_and_nothing_changes(
        shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        name: str, body: str, says: str) -> None:
    till = shop.enrol()
    bad = tmp_path / "bad.json"
    bad.write_text(body, encoding="utf-8")

    status, _, err = run(capsys, "set-policy", "--database", database_url, "--store", STORE_ID,
                         "--name", name, "--file", str(bad))

    assert status == 1 and len(err.splitlines()) == 1
    assert "refused, nothing changed" in err and says in err
    assert shop.pull_all(till, "policies")[0] == []


def test_a_policy_for_an_unknown_store_or_from_a_missing_file_is_one_line(
        shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "reasons.json"
    good.write_text('[{"code": "damaged", "label": "Пошкоджено"}]', encoding="utf-8")
    status, _, err = run(capsys, "set-policy", "--database", database_url, "--store", "NOWHERE",
                         "--name", "reasons", "--file", str(good))
    assert status == 1 and "unknown store 'NOWHERE'" in err
    status, _, err = run(capsys, "set-policy", "--database", database_url, "--store", STORE_ID,
                         "--name", "reasons", "--file", str(tmp_path / "missing.json"))
    assert status == 1 and "cannot read" in err and "missing.json" in err
