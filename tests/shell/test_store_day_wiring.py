"""The store's day wired into the till: the sync worker woken by every document, the printer given its receipt code setting."""

from __future__ import annotations

from pathlib import Path

from local_db.database import open_database
from local_db.store_day_journal import SqlStoreDay
from pos.money import Money
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import CASH_IN
from shell.wiring import SystemClock, WakingStoreDay
from tests.shift_setup import OPENER, open_shift_in


def test_each_recorded_document_wakes_the_sync_worker_and_reading_does_not(tmp_path: Path) -> None:
    wakes: list[int] = []
    with open_database(tmp_path / "till.sqlite3") as db:
        shift = open_shift_in(db, "S1", "T01")
        journal = WakingStoreDay(SqlStoreDay(db, "T01"), lambda: wakes.append(1))
        assert journal.open_shift_id() == shift.shift_id and journal.unsent_z_number() is None
        assert wakes == []
        movement = shift.move_cash(CASH_IN, Money.of("50", "UAH"), "change", OPENER, SystemClock().now(),
                                   DEFAULT_TABLE)
        assert journal.record_cash_movement(movement).number == 1
        assert wakes == [1]
        journal.open_shift(shift)  # the same shift again: recorded once, and the worker told
        assert wakes == [1, 1]


def test_the_receipt_code_setting_reaches_the_printer(tmp_path: Path) -> None:
    from shell.settings import parse_settings
    from shell.till import build_printer

    settings = parse_settings('[store]\nstore_id = "S1"\nname = "Shop"\n[printer]\nconnection = "network:127.0.0.1:9100"\n'
                              'receipt_code = "none"\n', tmp_path / "kassa.toml")
    assert build_printer(settings).spec.receipt_code == "none"
