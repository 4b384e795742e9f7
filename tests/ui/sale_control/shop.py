"""A real till for the sale-control tests: a SQLite file with the demo store, its cashiers
with roles (Olena 1 and Rashad 2 cashiers, Taras 3 a senior cashier, Iryna 9 a manager), an
open shift, the window wired by ``shell.wiring.build_services`` and a clock the test drives."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from local_db.cashiers import add_cashier
from local_db.database import Database, open_database
from local_db.demo_store import create_demo_store
from local_db.staff import set_role
from local_db.store_day_journal import SqlStoreDay
from pos.barcode import with_check_digit
from pos.demo_catalog import generate_catalog
from pos.sale import Cashier
from pos.store_day.drawer import count_drawer, default_denominations
from pos.store_day.roles import DEFAULT_TABLE, PermissionTable, Role, StaffMember
from pos.store_day.shift import Shift
from shell.settings import Settings, parse_settings
from shell.wiring import build_services
from tests.ui.driver import TillDriver
from ui.app import make_application
from ui.services import TillServices

STORE_ID, TILL_ID = "S1", "T07"
ITEMS = 120
CATALOG = list(generate_catalog(ITEMS))
COUNTED = [p for p in CATALOG if not p.sold_by_weight]
FIRST, SECOND = COUNTED[0], COUNTED[1]
WEIGHED = next(p for p in CATALOG if p.sold_by_weight)
OLENA, RASHAD, TARAS, IRYNA = ("1", "1234"), ("2", "4321"), ("3", "3333"), ("9", "9999")


class DrivenClock:
    """The till's clock, moved only by the test."""

    def __init__(self) -> None:
        self.t = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.t

    def advance(self, **delta: float) -> None:
        self.t += timedelta(**delta)


def scale_label(product_code: str, grams: int) -> str:
    """The store's weight label (prefix 22, 5-digit PLU, grams, check digit)."""
    return with_check_digit(f"22{product_code:0>5}{grams:05d}")


def make_shop(path: Path, clock: DrivenClock) -> Path:
    db = open_database(path)
    create_demo_store(db, items=ITEMS)
    add_cashier(db, TARAS[0], "Taras", TARAS[1])
    add_cashier(db, IRYNA[0], "Iryna", IRYNA[1])
    set_role(db, TARAS[0], Role.SENIOR_CASHIER)
    set_role(db, IRYNA[0], Role.MANAGER)
    manager = StaffMember(Cashier(IRYNA[0], "Iryna"), Role.MANAGER)
    shift = Shift.open(store_id=STORE_ID, till_id=TILL_ID, currency="UAH", who=manager,
                       float_count=count_drawer(default_denominations("UAH"), {}), now=clock.now(),
                       table=DEFAULT_TABLE)
    SqlStoreDay(db, TILL_ID).open_shift(shift)
    db.close()
    return path


def settings_for(path: Path) -> Settings:
    return parse_settings(f"""
[store]
store_id = "{STORE_ID}"
name = "Test Store"
currency = "UAH"
locale = "uk_UA"
[till]
till_id = "{TILL_ID}"
[printer]
connection = "none"
[database]
path = "{path}"
""", Path("test.toml"))


def shop_services(path: Path, clock: DrivenClock, permissions: dict[str, list[str]] | None = None) -> TillServices:
    """The window's services on the file; ``permissions``: the chain's table (the hub's form)."""
    services = build_services(settings_for(path), open_database(path), clock)
    if permissions is not None:
        day = services.store_day
        assert day is not None
        day.rules = replace(day.rules, permissions=PermissionTable.from_data(permissions))
    return services


def open_shop(qtbot, path: Path, clock: DrivenClock, who: tuple[str, str] | None = OLENA,  # noqa: ANN001
              permissions: dict[str, list[str]] | None = None) -> TillDriver:
    make_application()
    driver = TillDriver.open(qtbot, shop_services(path, clock, permissions))
    if who is not None:
        driver.sign_in(*who)
        assert driver.window.on_sale_screen()
    return driver


def database(path: Path) -> Database:
    return open_database(path)
