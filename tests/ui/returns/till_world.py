"""A real till for the returns tests: a SQLite file with the demo store, a cashier, a
senior cashier and a manager, an open shift, and the services the window gets
(``shell.wiring.build_services``: the real StoreDay, SqlStoreDay and journal)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from local_db.cashiers import add_cashier
from local_db.database import Database, open_database
from local_db.demo_store import create_demo_store
from local_db.staff import set_role
from local_db.store_day_journal import SqlStoreDay
from pos.catalog import Product
from pos.demo_catalog import generate_catalog
from pos.sale import Cashier
from pos.store_day.drawer import count_drawer, default_denominations
from pos.store_day.roles import DEFAULT_TABLE, Role, StaffMember
from pos.store_day.shift import Shift
from shell.settings import Settings, parse_settings
from shell.wiring import SystemClock, build_services
from ui.services import TillServices

STORE = "S1"
CASHIER = ("1", "1234")  # the demo store's cashier (role: cashier)
SENIOR = ("5", "5555")
MANAGER = ("9", "9999")
ITEMS = 300
GOODS: list[Product] = [p for p in generate_catalog(ITEMS) if not p.sold_by_weight]


def settings_for(db_path: Path, till_id: str = "T07", printer: str = "none", store_id: str = STORE) -> Settings:
    text = f"""
[store]
store_id = "{store_id}"
name = "Test Store"
currency = "UAH"
locale = "uk_UA"
[till]
till_id = "{till_id}"
[printer]
connection = "{printer}"
retry_seconds = 1
[database]
path = "{db_path}"
"""
    return parse_settings(text, Path("test.toml"))


def make_store_file(path: Path, till_id: str = "T07", store_id: str = STORE) -> Path:
    """The demo store, its people with their roles, and an open shift with a 500 UAH float."""
    with open_database(path) as db:
        create_demo_store(db, items=ITEMS)
        add_cashier(db, SENIOR[0], "Taras (senior)", SENIOR[1])
        add_cashier(db, MANAGER[0], "Iryna (manager)", MANAGER[1])
        set_role(db, SENIOR[0], Role.SENIOR_CASHIER)
        set_role(db, MANAGER[0], Role.MANAGER)
        open_shift(db, till_id, store_id)
    return path


def open_shift(db: Database, till_id: str, store_id: str = STORE) -> Shift:
    manager = StaffMember(Cashier(MANAGER[0], "Iryna (manager)"), Role.MANAGER)
    count = count_drawer(default_denominations("UAH"), {Decimal(100): "5"})
    shift = Shift.open(store_id=store_id, till_id=till_id, currency="UAH", who=manager, float_count=count,
                       now=SystemClock().now(), table=DEFAULT_TABLE)
    SqlStoreDay(db, till_id).open_shift(shift)
    return shift


@dataclass
class RealTill:
    services: TillServices
    db: Database

    @property
    def till(self):  # noqa: ANN201
        return self.services.till

    @property
    def journal(self) -> SqlStoreDay:
        return self.services.till.day.journal  # type: ignore[union-attr,return-value]


def real_till(path: Path, till_id: str = "T07", printer: str = "none", store_id: str = STORE,
              who: tuple[str, str] = CASHIER) -> RealTill:
    """The till's services on ``path`` (made by ``make_store_file``), started and signed in."""
    db = open_database(path)
    services = build_services(settings_for(path, till_id, printer, store_id), db)
    services.till.start()
    services.till.sign_in(*who)
    return RealTill(services, db)
