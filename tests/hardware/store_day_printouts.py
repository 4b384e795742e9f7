"""A day at one till built the real way (pos.store_day: a shift with its float, sales paid in
cash, by card and split, a partial return, a cash out, a voided line, a blind count), and
the printouts made of it: the Z and X reports and the return receipt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from decimal import Decimal

from pos.receipt import StoreInfo
from pos.sale import Sale
from pos.store_day.drawer import count_drawer, default_denominations
from pos.store_day.report import CancelledSale, DayDocuments, ReportKind, ShiftReport, compute_report
from pos.store_day.returns import ReturnContext, ReturnDocument, return_from_sale
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import CASH_OUT, Shift
from pos.tender import CashPolicy
from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS
from tests.hardware.samples import UKRAINIAN_STORE
from tests.pos.store_day.day import CASHIER, MANAGER, SENIOR, STORE, TILL, at, basket_of, money, paid_sale

DAY_STORE = replace(UKRAINIAN_STORE, store_id=STORE, till_id=TILL)
DENOMINATIONS = default_denominations("UAH")


@dataclass(frozen=True)
class Day:
    shift: Shift
    documents: DayDocuments
    sales: tuple[Sale, ...]
    returned: ReturnDocument

    def report(self, kind: ReportKind, z_number: int = 12) -> ShiftReport:
        report = compute_report(kind, self.documents)
        return replace(report, z_number=z_number) if kind is ReportKind.Z else report


def count(**pieces: int) -> dict[Decimal, str]:
    """``count(n500=2, n0_50=3)``: pieces typed per denomination value."""
    return {Decimal(key[1:].replace("_", ".")): str(n) for key, n in pieces.items()}


def sample_day(*, close: bool = True) -> Day:
    float_count = count_drawer(DENOMINATIONS, count(n200=2, n100=5, n10=8, n1=20))
    shift = Shift.open(store_id=STORE, till_id=TILL, currency="UAH", who=MANAGER, float_count=float_count,
                       now=at(0), table=DEFAULT_TABLE)
    cash_policy = CashPolicy(Decimal("0.10"))
    sales = (
        paid_sale(basket_of([(SHAMPOO, Decimal(2)), (CREAM, Decimal(1))], voided=0), number=101, cash=cash_policy),
        paid_sale(basket_of([(VITAMINS, Decimal(1)), (APPLES, Decimal("1.235"))]), card="150.00", number=102,
                  cash=cash_policy),
        paid_sale(basket_of([(CREAM, Decimal(1)), (SHAMPOO, Decimal(1))], voided=1), number=103, cash=cash_policy),
        paid_sale(basket_of([(VITAMINS, Decimal(2))]), card="10.00", number=104, cash=cash_policy),
    )
    ctx = ReturnContext(STORE, TILL, SENIOR, at(90), cash=cash_policy)
    first = sales[0]
    returned = return_from_sale(first, {first.lines[0].line_id: Decimal(1)}, ctx, already_returned={},
                                already_refunded={}, hub_confirmed=True, reason="damaged")
    returned = replace(returned, return_number=7)
    movement = shift.move_cash(CASH_OUT, money("500.00"), "bank", MANAGER, at(120), DEFAULT_TABLE)
    cancelled = CancelledSale(uuid.UUID(int=7), CASHIER.cashier.cashier_id, at(60), money("84.50"), 2)
    documents = DayDocuments(shift.shift_id, "UAH", float_count.total, sales=sales, returns=(returned,),
                             cancelled=(cancelled,), movements=(movement,))
    if close:
        report = compute_report(ReportKind.Z, documents)
        shift.begin_close(MANAGER, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
        shift.count_blind(count_drawer(DENOMINATIONS, count(n200=2, n100=5, n50=1, n10=2, n1=4, n0_50=1)))
        shift.close(report.expected_cash, MANAGER, at(600))
    return Day(shift, documents, sales, returned)


def store(locale: str) -> StoreInfo:
    """The sample store printing in ``locale`` (uk_UA, en_GB, az_AZ, ka_GE)."""
    return replace(DAY_STORE, locale=locale)
