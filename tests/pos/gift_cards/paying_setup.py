"""A real wired till (SQLite, its store's day with an open shift: tests/paying_till.py) with the
in-memory hub's gift card service and the till's own redemption log attached, as shell/wiring.py
attaches them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from local_db.cashiers import add_cashier
from local_db.database import Database
from local_db.gift_card_log import SqlGiftCardLog, stored_gift_card_policy
from pos.gift_cards import holds
from pos.money import Money
from pos.store_day.roles import Role
from pos.till import Till
from shell.wiring import build_services
from tests.paying_till import settings_for, till_database
from tests.pos.gift_cards.memory_service import MemoryGiftCards

PLASTIC = "9900123456789017"
ELECTRONIC = "9900000000000010"
OTHER_PLASTIC = "9900000000000028"
PHONE = "+380501234567"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    db = till_database(tmp_path / "till.sqlite3")
    add_cashier(db, "9", "Iryna", "4321", role=Role.MANAGER)
    yield db
    db.close()


@pytest.fixture
def hub() -> MemoryGiftCards:
    service = MemoryGiftCards()
    service.activate(PLASTIC, "500.00")
    service.activate(OTHER_PLASTIC, "30.00")
    service.activate(ELECTRONIC, "300.00", phone=PHONE)
    return service


@pytest.fixture
def log(db: Database) -> SqlGiftCardLog:
    return SqlGiftCardLog(db)


def wired_till(db: Database, hub: MemoryGiftCards | None) -> Till:
    till = build_services(settings_for(db.path), db).till
    holds.attach(till, hub, SqlGiftCardLog(db), lambda: stored_gift_card_policy(db))
    till.start()
    till.sign_in("1", "1234")
    return till


@pytest.fixture
def till(db: Database, hub: MemoryGiftCards) -> Till:
    return wired_till(db, hub)


def keep_policy(db: Database, body: dict[str, object]) -> None:
    db.write(lambda c: c.exec_driver_sql(
        "INSERT INTO store_policies (name, body) VALUES ('gift_cards', ?) "
        "ON CONFLICT (name) DO UPDATE SET body = excluded.body", (json.dumps(body),)), "keeping the policy")


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def outbox_message(db: Database, receipt: int) -> dict:  # type: ignore[type-arg]
    with db.lookup() as conn:
        body = conn.exec_driver_sql("SELECT payload FROM outbox WHERE series = 'receipt' AND number = ?",
                                    (receipt,)).scalar_one()
    return dict(json.loads(body))
