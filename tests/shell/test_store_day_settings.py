"""The store's day rules of a till: head office's policies (kept by the pull in
``store_policies``) on top of ``[store_day]`` and Kassa's defaults; ``[card_terminal]``;
check-config names every wrong value of both sections, one line each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from hardware.card_terminal import NetworkCardTerminal
from local_db.database import Database, open_database
from pos.store_day.approval import DEFAULT_REASONS
from pos.store_day.drawer import default_denominations
from pos.store_day.roles import DEFAULT_TABLE, Action, Role
from shell.settings import parse_settings
from shell.settings_devices import card_terminal_for
from shell.store_day_settings import store_day_rules
from tests.test_cli import kassa

MINIMAL = '[store]\nstore_id = "S1"\nname = "Shop"\n'
STORE_DAY = """\
[store_day]
inactivity_minutes = 12
denominations = ["500", "200", 100, "50", "10", "2", "1", "0.50"]
refund_card_to_card = false
drawer_pin = 5
open_drawer = false
[card_terminal]
connection = "network:127.0.0.1:9200"
pay_timeout_seconds = 60
"""


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "till.sqlite3")
    yield database
    database.close()


def _keep(db: Database, name: str, body: object, deleted: int = 0) -> None:
    """What an applied pull leaves (sync.pull reads each policy before it is kept)."""
    with db.writing() as conn:
        conn.exec_driver_sql("INSERT INTO store_policies (name, body, deleted) VALUES (?, ?, ?) ON CONFLICT (name) "
                             "DO UPDATE SET body = excluded.body, deleted = excluded.deleted",
                             (name, json.dumps(body), deleted))


def test_a_till_with_no_store_day_settings_and_no_policies_has_kassas_defaults(db: Database) -> None:
    settings = parse_settings(MINIMAL, Path("kassa.toml"))

    rules = store_day_rules(settings, db)

    assert rules.denominations == default_denominations("UAH")
    assert (rules.permissions, rules.reasons) == (DEFAULT_TABLE, DEFAULT_REASONS)
    assert rules.inactivity.idle == timedelta(minutes=5) and rules.refunds.card_to_card
    assert (rules.drawer_pin, rules.open_drawer) == (2, True)
    assert card_terminal_for(settings) is None  # manual: the cashier types the approval code


def test_the_store_day_settings_reach_the_rules_and_the_card_terminal(db: Database) -> None:
    settings = parse_settings(MINIMAL + STORE_DAY, Path("kassa.toml"))

    rules = store_day_rules(settings, db)

    assert [str(d.value.amount) for d in rules.denominations.values] == ["500", "200", "100", "50", "10", "2", "1",
                                                                          "0.50"]
    assert [d.is_coin for d in rules.denominations.values] == [False] * 4 + [True] * 4  # 10 UAH and under: coins
    assert rules.inactivity.idle == timedelta(minutes=12) and not rules.refunds.card_to_card
    assert (rules.drawer_pin, rules.open_drawer) == (5, False)
    assert isinstance(card_terminal_for(settings), NetworkCardTerminal)


def test_head_offices_policies_win_over_the_settings_and_a_removed_one_gives_way_again(db: Database) -> None:
    settings = parse_settings(MINIMAL + STORE_DAY, Path("kassa.toml"))
    _keep(db, "permissions", {"void_line": ["senior_cashier"], "cash_out": ["senior_cashier"]})
    _keep(db, "reasons", [{"code": "damaged", "label": "Пошкоджено"}])
    _keep(db, "denominations", {"currency": "UAH", "notes": ["1000", "500"], "coins": ["1"]})

    rules = store_day_rules(settings, db)

    assert not rules.permissions.may(Role.CASHIER, Action.VOID_LINE)
    assert rules.permissions.may(Role.SENIOR_CASHIER, Action.CASH_OUT)
    assert [r.code for r in rules.reasons.reasons] == ["damaged"]
    assert [d.value.amount for d in rules.denominations.values] == [Decimal(1000), Decimal(500), Decimal(1)]
    assert rules.drawer_pin == 5  # the till's own wiring stays the till's
    _keep(db, "denominations", {"currency": "UAH", "notes": ["1000"]}, deleted=1)
    assert len(store_day_rules(settings, db).denominations.values) == 8  # the settings' again


def test_denominations_of_another_currency_or_a_policy_that_does_not_read_leave_the_next_level(
        db: Database) -> None:
    settings = parse_settings(MINIMAL, Path("kassa.toml"))
    _keep(db, "denominations", {"currency": "GEL", "notes": ["100"], "coins": ["1"]})
    with db.writing() as conn:  # only a database from a newer Kassa could hold this
        conn.exec_driver_sql("INSERT INTO store_policies (name, body) VALUES ('permissions', '{\"fly\": []}')")

    rules = store_day_rules(settings, db)

    assert rules.denominations == default_denominations("UAH") and rules.permissions == DEFAULT_TABLE


def test_check_config_names_each_wrong_store_day_and_card_terminal_value_on_its_own_line(tmp_path: Path) -> None:
    config = tmp_path / "kassa.toml"
    config.write_text(MINIMAL + '[store_day]\ninactivity_minutes = 0\ndrawer_pin = 3\nopen_drawer = "yes"\n'
                      'denominations = ["500", "0.001"]\n[card_terminal]\nconnection = "tcp://10.0.0.5"\n'
                      "pay_timeout_seconds = 5\n", encoding="utf-8")

    result = kassa("check-config", "--config", str(config), data_dir=tmp_path)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()[1:]
    assert [line.split(":")[0].strip() for line in lines] == [
        "[store_day] inactivity_minutes", "[store_day] drawer_pin", "[store_day] open_drawer",
        "[card_terminal] connection", "[card_terminal] pay_timeout_seconds", "[store_day] denominations"]
    assert "must be at least 1" in lines[0] and "must be one of 2 or 5" in lines[1]
    assert "network:HOST:PORT" in lines[3] and "'0.001' is not a UAH note or coin" in lines[5]


@pytest.mark.parametrize(("section", "says"), [
    ('[store_day]\ndenominations = []\n', "lists 1 to 30 notes and coins"),
    ('[store_day]\ndenominations = ["5", "5.00"]\n', "listed twice"),
    ('[store_day]\ndenominations = ["-5"]\n', "is not an amount of money"),
    ('[store_day]\ninactivity_minutes = 241\n', "must be at most 240"),
    ('[card_terminal]\nconnection = "network:host"\n', "the port is missing"),
])
def test_a_wrong_store_day_value_says_what_it_takes(section: str, says: str) -> None:
    from shell.settings import SettingsProblem

    with pytest.raises(SettingsProblem) as refused:
        parse_settings(MINIMAL + section, Path("kassa.toml"))
    assert says in refused.value.user_message()


def test_new_denominations_that_leave_out_a_coin_of_the_open_shifts_float_wait_for_the_next_shift(
        db: Database) -> None:
    from local_db.store_day_journal import SqlStoreDay
    from pos.sale import Cashier
    from pos.store_day.drawer import count_drawer
    from pos.store_day.roles import StaffMember
    from pos.store_day.shift import Shift
    from datetime import datetime, timezone

    settings = parse_settings(MINIMAL, Path("kassa.toml"))
    journal = SqlStoreDay(db, settings.till.till_id)
    float_count = count_drawer(default_denominations("UAH"), {Decimal("100"): "2", Decimal("0.10"): "5"})
    journal.open_shift(Shift.open(store_id="S1", till_id=settings.till.till_id, currency="UAH",
                                  who=StaffMember(Cashier("9", "Iryna"), Role.MANAGER), float_count=float_count,
                                  now=datetime.now(timezone.utc), table=DEFAULT_TABLE))
    _keep(db, "denominations", {"currency": "UAH", "notes": ["1000", "500", "200", "100"], "coins": ["1"]})

    rules = store_day_rules(settings, db)  # the till restarted mid-shift after a pull

    assert rules.denominations == default_denominations("UAH")
    shift = journal.current_shift(rules.denominations)
    assert shift is not None and shift.opening_float == float_count
