"""A realistic store's day in a real till database, made with the real domain and SqlStoreDay:
yesterday's shift (closed with a Z report, a little short), and today's open shift with cash,
card and split sales by two cashiers from opening time on, priced with the demo's promotions, a return, a cash drop; most of
yesterday acknowledged by the hub, one of today's sales refused (quarantined)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from local_db.cashiers import add_cashier
from local_db.database import Database, open_database
from local_db.demo_store import create_demo_store
from local_db.outbox import SqlOutbox
from local_db.promotions import SqlPromotions
from local_db.staff import set_role
from local_db.store_day_journal import SqlStoreDay
from pos.basket import Basket
from pos.catalog import Product
from pos.demo_catalog import generate_catalog
from pos.money import Money, money_sum
from pos.pricing.engine import price_basket
from pos.pricing.priced import PricingContext
from pos.pricing.promotion import PromotionSet
from pos.sale import Cashier, Sale
from pos.store_day.drawer import count_drawer, default_denominations
from pos.store_day.paid_sale import card_approvals, sale_paid_with
from pos.store_day.report import ReportKind, compute_report
from pos.store_day.returns import ReturnContext, ReturnDocument, return_from_sale
from pos.store_day.roles import DEFAULT_TABLE, Role, StaffMember
from pos.store_day.shift import CASH_OUT, CashMovement, Shift
from pos.store_day.tenders import CardApproval, Settlement
from pos.tender import CashPolicy
from shell.settings import Settings, parse_settings

STORE_ID, TILL_ID, ZONE = "S1", "T07", ZoneInfo("Europe/Kyiv")
UAH = default_denominations("UAH")
CASH = CashPolicy(Decimal("0.10"))  # the smallest coin in the drawer
OLENA = StaffMember(Cashier("1", "Olena"), Role.CASHIER)
RASHAD = StaffMember(Cashier("2", "Rashad"), Role.SENIOR_CASHIER)
IRYNA = StaffMember(Cashier("9", "Iryna"), Role.MANAGER)
MANAGER_PIN = "9999"
PRODUCTS = [p for p in generate_catalog(300) if not p.sold_by_weight and p.price.amount < 400]


def settings_for(db_path: Path, printer: str = "none") -> Settings:
    return parse_settings(f"""
[store]
store_id = "{STORE_ID}"
name = "Kassa Store 12"
currency = "UAH"
locale = "uk_UA"
timezone = "Europe/Kyiv"
[till]
till_id = "{TILL_ID}"
cash_rounding = "0.10"
[printer]
connection = "{printer}"
retry_seconds = 1
[database]
path = "{db_path}"
""", Path("test.toml"))


@dataclass
class Day:
    path: Path
    yesterday: Shift
    today: Shift
    sales: list[Sale]  # today's
    returned: ReturnDocument
    refused: Sale  # quarantined by the hub
    yesterday_discounts: Money  # what the promotions took off yesterday's sales


def on(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def _sale(store: SqlStoreDay, rng: random.Random, who: StaffMember, when: datetime, *, card: bool, split: bool,
          promotions: PromotionSet) -> Sale:
    basket = Basket(currency="UAH", opened_at=when - timedelta(minutes=2))
    for product in rng.sample(PRODUCTS, rng.randint(1, 4)):
        basket.add(product, Decimal(rng.randint(1, 3)))
    priced = price_basket(basket.lines, promotions, PricingContext(when.replace(tzinfo=None), STORE_ID), "UAH")
    settlement = Settlement(priced.total, CASH)
    approval = CardApproval(f"A{rng.randint(10000, 99999)}", f"**** **** **** {rng.randint(1000, 9999)}")
    if card:
        settlement.add_card(priced.total if not split else min(Money.of("100.00", "UAH"), priced.total), approval)
    if not settlement.is_settled():
        settlement.add_cash(settlement.cash_due())
    settled = settlement.settle()
    sale = sale_paid_with(basket, settled, store_id=STORE_ID, till_id=TILL_ID, cashier=who.cashier, completed_at=when,
                          priced=priced)
    return store.record_paid_sale(sale, card_approvals(settled))


def _open(store: SqlStoreDay, when: datetime, hundreds: str) -> Shift:
    shift = Shift.open(store_id=STORE_ID, till_id=TILL_ID, currency="UAH", who=IRYNA,
                       float_count=count_drawer(UAH, {Decimal(100): hundreds, Decimal(10): "10"}), now=when,
                       table=DEFAULT_TABLE)
    store.open_shift(shift)
    return shift


def _sales(store: SqlStoreDay, rng: random.Random, day: date, hours: range, per_hour: int) -> list[Sale]:
    promotions = SqlPromotions(store.db, "UAH").current()  # the demo's (pos.demo_promotions), as the till prices
    made = []
    for hour in hours:
        for n in range(rng.randint(1, per_hour)):
            who = OLENA if (hour + n) % 3 else RASHAD
            card = rng.random() < 0.4
            made.append(_sale(store, rng, who, on(day, hour, rng.randint(0, 59)), card=card,
                              split=card and rng.random() < 0.3, promotions=promotions))
    return made


def build_day(folder: Path, today: date | None = None) -> Day:
    """The database at ``folder/till.sqlite3`` with a day's trade (``today``: the shop's today)."""
    today = today or datetime.now(ZONE).date()
    yesterday = today - timedelta(days=1)
    path = folder / "till.sqlite3"
    rng = random.Random(12)
    with open_database(path) as db:
        create_demo_store(db, items=300, promotions=True, today=today)
        add_cashier(db, "9", "Iryna", MANAGER_PIN)
        set_role(db, "9", Role.MANAGER)
        set_role(db, "2", Role.SENIOR_CASHIER)
        store = SqlStoreDay(db, TILL_ID)
        first = _open(store, on(yesterday, 8), "5")
        old = _sales(store, rng, yesterday, range(8, 20), 4)
        _close(store, first, on(yesterday, 20, 5), short=Decimal("-20"))
        outbox = SqlOutbox(db)
        outbox.acknowledge([s.receipt_number for s in old])
        acknowledge_documents(db, first)
        second = _open(store, on(today, 8), "5")
        sales = _sales(store, rng, today, range(8, 15), 5)
        sold = sales[3]
        returned = store.record_return(return_from_sale(
            sold, {sold.lines[0].line_id: Decimal(1)},
            ReturnContext(STORE_ID, TILL_ID, RASHAD, on(today, 12, 40), CASH),
            already_returned={}, already_refunded={}, hub_confirmed=True))
        store.record_cash_movement(CashMovement(uuid.uuid4(), second.shift_id, 0, CASH_OUT, Money.of("500", "UAH"),
                                                "bank", IRYNA.cashier.cashier_id, on(today, 13)))
        outbox.acknowledge([s.receipt_number for s in sales[:10]])
        refused = sales[-2]
        outbox.quarantine(refused.receipt_number, "unknown_product: product 1042 is not in the catalog")
        outbox.note_failure([s.receipt_number for s in sales[10:]], "the hub did not answer (timed out after 10 s)")
        return Day(path, first, second, sales, returned, refused, money_sum([s.discount for s in old], "UAH"))


def acknowledge_documents(db: Database, shift: Shift) -> None:
    """The hub has every document of ``shift`` but its Z report (still on its way)."""
    with db.writing() as conn:
        conn.exec_driver_sql("UPDATE outbox SET acked_at = created_at WHERE series NOT IN ('receipt', 'z_report')")


def _close(store: SqlStoreDay, shift: Shift, when: datetime, *, short: Decimal) -> None:
    report = compute_report(ReportKind.Z, store.day_documents(shift))
    shift.begin_close(IRYNA, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
    counted = report.expected_cash.amount + short
    hundreds, rest = divmod(counted, Decimal(100))
    ones, fraction = divmod(rest, Decimal(1))
    typed = {Decimal(100): str(int(hundreds)), Decimal(1): str(int(ones)),
             Decimal("0.10"): str(int(fraction * 10))}  # cash is rounded to 0.10 (CASH)
    shift.count_blind(count_drawer(UAH, typed))
    store.close_shift(shift, shift.close(report.expected_cash, IRYNA, when), report)
