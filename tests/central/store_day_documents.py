"""The store's day documents as the till sends them to POST /v1/documents, made by the
domain itself (pos.store_day, and the day generator of tests/pos/store_day): a whole day
at a hub till, with its sales, returns, cash movements, cancelled sales, an approval,
the shift's opening and closing and its Z report."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from pos.codec import sale_to_dict
from pos.sale import Sale
from pos.store_day import forms
from pos.store_day.approval import ApprovalRecord
from pos.store_day.drawer import count_drawer
from pos.store_day.report import ReportKind, ShiftReport, compute_report
from pos.store_day.returns import ReturnContext, ReturnDocument, return_from_sale
from pos.store_day.roles import DEFAULT_TABLE, Action
from pos.store_day.shift import CashMovement, Shift, ShiftClose
from tests.central.shop import Shop
from tests.pos.store_day.day import CASHIER, MANAGER, SENIOR, STORE, TILL, at, money
from tests.pos.store_day.test_shift_report import UAH, Day

OTHER_TILL = "T2"


def envelope(schema: str, document_id: Any, series: str, number: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"schema": schema, "document_id": str(document_id), "series": series, "number": number, "body": body}


def of_return(r: ReturnDocument) -> dict[str, Any]:
    return envelope(forms.RETURN_SCHEMA, r.return_id, "return", r.return_number, forms.return_to_dict(r))


def of_movement(m: CashMovement) -> dict[str, Any]:
    return envelope(forms.CASH_MOVEMENT_SCHEMA, m.movement_id, "cash_movement", m.number,
                    forms.cash_movement_to_dict(m))


def of_approval(a: ApprovalRecord) -> dict[str, Any]:
    return envelope(forms.APPROVAL_SCHEMA, a.approval_id, "approval", 0, forms.approval_to_dict(a))


def of_cancelled(x: Any) -> dict[str, Any]:
    return envelope(forms.SALE_CANCELLED_SCHEMA, x.sale_id, "sale_cancelled", 0, forms.cancelled_sale_to_dict(x))


def of_opening(s: Shift) -> dict[str, Any]:
    return envelope(forms.SHIFT_SCHEMA, uuid.uuid5(s.shift_id, "opened"), "shift", 0, forms.shift_opened_to_dict(s))


def of_closing(s: Shift, closed: ShiftClose) -> dict[str, Any]:
    return envelope(forms.SHIFT_SCHEMA, uuid.uuid5(s.shift_id, "closed"), "shift", 0,
                    forms.shift_closed_to_dict(s, closed))


def of_z(z: ShiftReport) -> dict[str, Any]:
    return envelope(forms.Z_REPORT_SCHEMA, z.shift_id, "z_report", z.z_number, forms.z_report_to_dict(z))


def approval(sale_id: uuid.UUID | None = None) -> ApprovalRecord:
    return ApprovalRecord(uuid.uuid4(), Action.CANCEL_SALE, money("12.30"), sale_id, None, CASHIER.cashier.cashier_id,
                          MANAGER.cashier.cashier_id, "other", at(1), at(2))


def give_back(sale: Sale, wanted: dict[uuid.UUID, Decimal], number: int, *, till: str = TILL) -> ReturnDocument:
    """A return of ``wanted`` (sold line id -> quantity) made at ``till``, trusting the hub's word."""
    ctx = ReturnContext(STORE, till, SENIOR, at(200))
    document = return_from_sale(sale, wanted, ctx, already_returned={}, already_refunded={}, hub_confirmed=True)
    return replace(document, return_number=number)


class HubDay(Day):
    """A day at till T1 of store S1 (tests/pos/store_day's Day), numbered as the journal numbers it."""

    def __init__(self, coin: Decimal = Decimal("0.01"), z_number: int = 1) -> None:
        super().__init__(coin)
        self.z_number = z_number

    def sales_batch(self) -> dict[str, Any]:
        numbered = [replace(s, receipt_number=n) for n, s in enumerate(self.sales, 1)]
        self.sales = numbered
        return {"sales": [{"seq": s.receipt_number, "sale": sale_to_dict(s)} for s in numbered]}

    def numbered_returns(self) -> list[ReturnDocument]:
        return [replace(r, return_number=n) for n, r in enumerate(self.returns, 1)]

    def numbered_movements(self) -> list[CashMovement]:
        return [replace(m, number=n) for n, m in enumerate(self.shift.movements, 1)]

    def close(self) -> tuple[ShiftClose, ShiftReport]:
        z = replace(compute_report(ReportKind.Z, self.documents()), z_number=self.z_number)
        self.shift.begin_close(SENIOR, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
        self.shift.count_blind(count_drawer(UAH, {Decimal(100): "4", Decimal("0.50"): "3"}))
        closed = self.shift.close(z.expected_cash, SENIOR, at(900))
        return closed, z

    def envelopes(self) -> list[dict[str, Any]]:
        """Every document of the day in the order the till's outbox holds them."""
        closed, z = self.close()
        return [of_opening(self.shift), *[of_return(r) for r in self.numbered_returns()],
                *[of_movement(m) for m in self.numbered_movements()], *[of_cancelled(x) for x in self.cancelled],
                of_approval(approval()), of_closing(self.shift, closed), of_z(z)]


def a_day(z_number: int = 1) -> HubDay:
    """Three sales (one by card), a return of part of the first, cash in and out, a cancelled sale."""
    from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS

    day = HubDay(z_number=z_number)
    day.sell([(SHAMPOO, Decimal(2)), (CREAM, Decimal(1))], 0, 0, 0)
    day.sell([(VITAMINS, Decimal(1)), (APPLES, Decimal("0.834"))], 0, 5000, 0)
    day.sell([(CREAM, Decimal(3))], 0, 0, 3)
    day.sales_batch()
    day.give_back(0, 1)
    day.move(True, 10000)
    day.move(False, 2550)
    day.cancel(4599)
    return day


def set_up_tills(shop: Shop) -> tuple[Any, Any]:
    return shop.enrol(TILL, store_id=STORE), shop.enrol(OTHER_TILL, store_id=STORE)


def post(shop: Shop, till: Any, *documents: dict[str, Any]) -> list[dict[str, Any]]:
    answer = shop.http.post("/v1/documents", json={"documents": list(documents)}, headers=shop.auth(till))
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] if r["status"] != "rejected" else f"rejected:{r['reason']}" for r in results]




def at_till(day: HubDay, till_id: str) -> HubDay:
    """The same day made at ``till_id`` (a Hypothesis example per till: each till numbers from 1)."""
    day.sales = [replace(s, till_id=till_id, receipt_number=n) for n, s in enumerate(day.sales, 1)]
    day.returns = [replace(r, till_id=till_id, original_till_id=till_id) for r in day.returns]
    day.shift.till_id = till_id
    return day
