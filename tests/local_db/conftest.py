"""Real SQLite files in tmp_path, and sales made the way the till makes them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from local_db.database import Database, open_database
from local_db.journal import SqlJournal
from pos.sale import Sale
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from tests.fakes import STORE, MemoryCashiers, MemoryCatalog, StepClock

TILL_ID = STORE.till_id


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "till.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def journal(db: Database) -> SqlJournal:
    return SqlJournal(db, TILL_ID)


def make_sql_till(journal: SqlJournal, *, rounding: str = "0.01") -> Till:
    """The real Till over the SQLite journal (catalog and cashiers from tests.fakes)."""
    return Till(
        TillSettings(STORE, CashPolicy(Decimal(rounding))),
        catalog=MemoryCatalog(),
        journal=journal,
        baskets=journal,
        cashiers=MemoryCashiers(),
        clock=StepClock(),
    )


def sell(till: Till, *scans: str, tendered: str = "") -> Sale:
    """Scan ``scans`` (e.g. "1001", "2*1002", "0.350*20001") and pay cash; the recorded sale."""
    if till.cashier is None:
        till.sign_in("1", "1234")
    for text in scans:
        till.scan(text)
    result = till.pay_cash(tendered)
    assert result.sale is not None
    return result.sale
