"""The real sign-in screen over the real composition root and a real till database: wrong
PINs lock a cashier number out with a clear message, the PIN is checked on the till worker
so the screen stays responsive, and the chain's minimum PIN length is explained."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from local_db.cashiers import add_cashier
from local_db.database import Database, open_database
from tests.ui.driver import TillDriver
from ui.qt import QTimer
from shell.settings import parse_settings
from shell.wiring import build_services

SETTINGS = """
[store]
store_id = "S1"
name = "Kassa Demo"

[security]
min_pin_length = {min_pin_length}
"""


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "till.sqlite3")
    add_cashier(database, "3", "Taras", "135790")
    add_cashier(database, "4", "Olena", "2468")  # a short PIN from before the chain asked for more
    yield database
    database.close()


class SetClock:
    """The till's clock, moved only by the test: nothing here depends on how fast it runs."""

    def __init__(self) -> None:
        self.t = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.t


@pytest.fixture
def clock() -> SetClock:
    return SetClock()


@pytest.fixture
def till_with(open_till, db, clock):  # noqa: ANN001, ANN201
    def open_(min_pin_length: int = 4) -> TillDriver:
        settings = parse_settings(SETTINGS.format(min_pin_length=min_pin_length), Path("kassa.toml"))
        return open_till(build_services(settings, db, clock))

    return open_


def type_pin(till: TillDriver, pin: str) -> None:
    till.enter(till.window.sign_in_screen.pin_field, pin)
    till.wait_idle()


def test_three_wrong_pins_lock_the_cashier_number_out_with_a_clear_message(
    till_with, db: Database, clock: SetClock  # noqa: ANN001
) -> None:
    till = till_with()
    screen = till.window.sign_in_screen
    till.sign_in("3", "1111")
    assert screen.message.text() == "Wrong cashier number or PIN."
    type_pin(till, "2222")
    type_pin(till, "3333")
    assert screen.message.text() == "Too many wrong PINs for cashier 3: try again in 0:30."
    assert screen.message.kind == "error" and screen.pin_field.text() == ""
    clock.t += timedelta(seconds=12)
    type_pin(till, "135790")  # the right PIN, but the number is locked
    assert till.window.stack.currentWidget() is screen
    assert screen.message.text() == "Too many wrong PINs for cashier 3: try again in 0:18."
    with db.reading() as conn:
        outcomes = [r[0] for r in conn.exec_driver_sql("SELECT outcome FROM sign_in_attempts WHERE cashier_code = '3'")]
    assert outcomes == ["wrong_pin", "wrong_pin", "locked_out", "refused_locked"]

    screen.cashier_field.clear()
    till.sign_in("4", "2468")  # another cashier is not held up
    assert till.window.on_sale_screen()


def test_after_the_delay_the_right_pin_signs_in(till_with, clock: SetClock) -> None:  # noqa: ANN001
    till = till_with()
    till.sign_in("3", "1111")
    type_pin(till, "2222")
    type_pin(till, "3333")
    clock.t += timedelta(seconds=30)
    type_pin(till, "135790")
    assert till.window.on_sale_screen()
    assert till.window.status.cashier_label.text() == "Cashier: Taras"


def test_the_screen_stays_responsive_while_a_pin_is_checked(till_with) -> None:  # noqa: ANN001
    till = till_with()
    screen = till.window.sign_in_screen
    gate, started = threading.Event(), threading.Event()

    def busy(_till: object, _journal: object) -> None:  # the till worker is held, as by a slow check
        started.set()
        gate.wait()

    till.window.session.query(busy).run()
    till.wait_until(started.is_set)
    till.enter(screen.cashier_field, "3")
    till.enter(screen.pin_field, "1111")  # queued behind the held worker
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    till.wait_until(lambda: ticks == [1])  # the UI thread runs its events meanwhile
    till.type_into(screen.cashier_field, "9")
    assert screen.cashier_field.text() == "39"
    assert screen.message.text() != "Wrong cashier number or PIN."  # the PIN waits for the worker
    gate.set()
    till.wait_idle()
    assert screen.message.text() == "Wrong cashier number or PIN."


def test_a_pin_shorter_than_the_chains_minimum_is_refused_with_what_to_do(till_with) -> None:  # noqa: ANN001
    till = till_with(min_pin_length=6)
    screen = till.window.sign_in_screen
    till.sign_in("4", "2468")
    assert till.window.stack.currentWidget() is screen
    assert screen.message.text() == "PINs here have at least 6 digits: ask your manager for a new PIN."
    screen.cashier_field.clear()
    till.sign_in("3", "135790")
    assert till.window.on_sale_screen()
