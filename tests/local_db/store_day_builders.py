"""A store's day made with the real domain (pos.store_day) and recorded in a real SQLite journal."""

from __future__ import annotations

import uuid
from decimal import Decimal

from local_db.store_day_journal import SqlStoreDay
from pos.basket import Basket
from pos.sale import Sale
from pos.store_day.drawer import count_drawer, default_denominations
from pos.store_day.paid_sale import card_approvals, sale_paid_with
from pos.store_day.report import ReportKind, ShiftReport, compute_report
from pos.store_day.returns import NewGoods, ReturnContext, ReturnDocument, exchange_settlement, return_from_sale
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import Shift
from pos.store_day.tenders import Settlement
from pos.tender import CashPolicy
from tests.pos.store_day.day import CARD_OK, CASHIER, MANAGER, SENIOR, STORE, TILL, at, money

UAH = default_denominations("UAH")


def open_shift(store: SqlStoreDay, hundreds: str = "5", store_id: str = STORE) -> Shift:
    shift = Shift.open(store_id=store_id, till_id=store.till_id, currency="UAH", who=SENIOR,
                       float_count=count_drawer(UAH, {Decimal(100): hundreds}), now=at(0), table=DEFAULT_TABLE)
    store.open_shift(shift)
    return shift


def settle(basket: Basket, *, card: str | None = None, credit_from: ReturnDocument | None = None) -> Settlement:
    settlement = (exchange_settlement(credit_from, basket.total(), CashPolicy()) if credit_from is not None
                  else Settlement(basket.total(), CashPolicy()))
    if card is not None:
        settlement.add_card(money(card), CARD_OK)
    if not settlement.is_settled():
        settlement.add_cash(settlement.cash_due())
    return settlement


def sell(store: SqlStoreDay, basket: Basket, *, card: str | None = None, store_id: str = STORE) -> Sale:
    settled = settle(basket, card=card).settle()
    sale = sale_paid_with(basket, settled, store_id=store_id, till_id=store.till_id, cashier=CASHIER.cashier,
                          completed_at=at(5))
    return store.record_paid_sale(sale, card_approvals(settled))


def context(store_id: str = STORE, till_id: str = TILL) -> ReturnContext:
    return ReturnContext(store_id, till_id, MANAGER, at(30))


def give_back(store: SqlStoreDay, sale: Sale, wanted: dict[uuid.UUID, Decimal],
              exchange_for: NewGoods | None = None) -> ReturnDocument:
    """A return made from what the journal says is left (not yet recorded)."""
    return return_from_sale(sale, wanted, context(sale.store_id, store.till_id),
                            already_returned=store.already_returned(sale.sale_id),
                            already_refunded=store.already_refunded(sale.sale_id), hub_confirmed=True,
                            exchange_for=exchange_for)


def exchange(store: SqlStoreDay, sale: Sale, wanted: dict[uuid.UUID, Decimal], new_goods: Basket
             ) -> tuple[ReturnDocument, Sale]:
    returned = give_back(store, sale, wanted, NewGoods(new_goods.basket_id, new_goods.total()))
    settled = settle(new_goods, credit_from=returned).settle()
    new_sale = sale_paid_with(new_goods, settled, store_id=sale.store_id, till_id=store.till_id,
                              cashier=CASHIER.cashier,
                              completed_at=at(31))
    return returned, new_sale


def z_report(store: SqlStoreDay, shift: Shift) -> ShiftReport:
    return compute_report(ReportKind.Z, store.day_documents(shift))


def close(store: SqlStoreDay, shift: Shift, counted: str = "5") -> ShiftReport:
    report = z_report(store, shift)
    shift.begin_close(MANAGER, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
    shift.count_blind(count_drawer(UAH, {Decimal(100): counted}))
    closed = shift.close(report.expected_cash, MANAGER, at(600))
    return store.close_shift(shift, closed, report)
