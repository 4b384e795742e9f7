"""Sign-in attempts in the till database: every wrong PIN and every lockout is audited
(never the PIN), the lockout survives a restart, the chain's minimum PIN length is kept when
PINs are set, and migration 0005 upgrades a database made by the previous schema."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from local_db.cashiers import SqlCashiers, SqlSignInAttempts, add_cashier, guarded_cashiers
from local_db.database import MIGRATIONS, SCHEMA_HEAD, Database, _make_engine, open_database, schema_version
from local_db.journal import SqlJournal
from pos.ports import AttemptHistory
from pos.sale import Cashier
from pos.sign_in_policy import PinTooShort, SignInRules, TooManyWrongPins
from tests.local_db.conftest import TILL_ID, make_sql_till, sell
from tests.local_db.old_tills import journal_of_schema

START = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


class SetClock:
    def __init__(self, t: datetime = START) -> None:
        self.t = t

    def now(self) -> datetime:
        return self.t


def rows(db: Database) -> list[tuple[object, ...]]:
    with db.reading() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT at, cashier_code, outcome, locked_until FROM sign_in_attempts ORDER BY id")]


def three_wrong_pins(db: Database, clock: SetClock, code: str = "7") -> None:
    cashiers = guarded_cashiers(db, clock, SignInRules())
    assert cashiers.sign_in(code, "1111") is None
    assert cashiers.sign_in(code, "2222") is None
    with pytest.raises(TooManyWrongPins):
        cashiers.sign_in(code, "3333")


def test_every_wrong_pin_and_the_lockout_are_recorded_without_the_pin(db: Database) -> None:
    add_cashier(db, "7", "Nino", "2468")
    clock = SetClock()
    three_wrong_pins(db, clock)
    locked_until = (START + timedelta(seconds=30)).isoformat()
    assert rows(db) == [
        (START.isoformat(), "7", "wrong_pin", None),
        (START.isoformat(), "7", "wrong_pin", None),
        (START.isoformat(), "7", "locked_out", locked_until),
    ]
    with db.reading() as conn:
        dump = "\n".join(conn.connection.dbapi_connection.iterdump())  # type: ignore[union-attr]
    assert "1111" not in dump and "3333" not in dump


def test_the_lockout_survives_a_restart_of_the_till(db_path: Path) -> None:
    with open_database(db_path) as db:
        add_cashier(db, "7", "Nino", "2468")
        three_wrong_pins(db, SetClock())
    with open_database(db_path) as db:  # the till starts again ten seconds later
        cashiers = guarded_cashiers(db, SetClock(START + timedelta(seconds=10)), SignInRules())
        with pytest.raises(TooManyWrongPins, match="cashier 7: try again in 0:20"):
            cashiers.sign_in("7", "2468")
        later = guarded_cashiers(db, SetClock(START + timedelta(seconds=31)), SignInRules())
        assert later.sign_in("7", "2468") == Cashier("7", "Nino")
        assert [r[2] for r in rows(db)][-2:] == ["refused_locked", "signed_in"]
        assert SqlSignInAttempts(db).history("7") == AttemptHistory(0, None)


def test_an_unknown_cashier_number_is_counted_and_locked_like_a_known_one(db: Database) -> None:
    add_cashier(db, "7", "Nino", "2468")
    three_wrong_pins(db, SetClock(), code="7")
    three_wrong_pins(db, SetClock(), code="8")  # nobody has number 8
    by_code = {code: [r[2] for r in rows(db) if r[1] == code] for code in ("7", "8")}
    assert by_code["7"] == by_code["8"] == ["wrong_pin", "wrong_pin", "locked_out"]


def test_a_good_sign_in_starts_the_count_again(db: Database) -> None:
    add_cashier(db, "7", "Nino", "2468")
    cashiers = guarded_cashiers(db, SetClock(), SignInRules())
    for _ in range(3):
        assert cashiers.sign_in("7", "0000") is None
        assert cashiers.sign_in("7", "0000") is None
        assert cashiers.sign_in("7", "2468") == Cashier("7", "Nino")
    assert SqlSignInAttempts(db).history("7") == AttemptHistory(0, None)


def test_the_chains_minimum_pin_length_is_kept_when_pins_are_set_and_at_sign_in(db: Database) -> None:
    with pytest.raises(ValueError, match="6 to 12 digits"):
        add_cashier(db, "7", "Nino", "2468", min_pin_length=6)
    add_cashier(db, "7", "Nino", "246810", min_pin_length=6)
    add_cashier(db, "8", "Old PIN", "1357")  # e.g. a hash that came from the hub
    cashiers = guarded_cashiers(db, SetClock(), SignInRules(min_pin_length=6))
    assert cashiers.sign_in("7", "246810") == Cashier("7", "Nino")
    with pytest.raises(PinTooShort, match="at least 6 digits"):
        cashiers.sign_in("8", "1357")
    assert rows(db)[-1][1:3] == ("8", "pin_too_short")


def _database_at(path: Path, revision: str) -> Database:
    db = Database(_make_engine(path, 3000), path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.writing() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return db


def test_a_database_of_the_previous_schema_with_data_is_upgraded_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with _database_at(path, "0004") as old:
        assert schema_version(old) == "0004"
        add_cashier(old, "7", "Nino", "2468")
        with journal_of_schema("0004"):
            sale = sell(make_sql_till(SqlJournal(old, TILL_ID)), "1001")
    with open_database(path) as db:
        assert schema_version(db) == SCHEMA_HEAD  # "0005" or a later head
        assert SqlCashiers(db).sign_in("7", "2468") == Cashier("7", "Nino")
        assert SqlJournal(db, TILL_ID).get_sale(sale.sale_id) == sale
        assert rows(db) == []
        three_wrong_pins(db, SetClock())
        assert len(rows(db)) == 3
