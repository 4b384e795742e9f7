"""Plain-dict forms (JSON-ready) of the store day's documents: the bodies of the outbox
messages the next session sends to the hub, each with its schema name.  Every form
round-trips exactly (tests/pos/store_day/test_forms.py).

| message                    | document          | idempotency key |
|----------------------------|-------------------|-----------------|
| ``kassa.return.v1``        | ReturnDocument    | return_id       |
| ``kassa.return.v2``        | an unchecked return (``unchecked_sale_id``) | return_id |
| ``kassa.cash_movement.v1`` | CashMovement      | movement_id     |
| ``kassa.approval.v1``      | ApprovalRecord    | approval_id     |
| ``kassa.sale_cancelled.v1``| CancelledSale     | sale_id         |
| ``kassa.shift.v1``         | a shift opened or closed (``event``) | shift_id + event |
| ``kassa.z_report.v1``      | ShiftReport (Z)   | shift_id        |
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos.catalog import VatRate
from pos.money import Money
from pos.sale import Cashier
from pos.store_day.approval import ApprovalRecord
from pos.store_day.drawer import Denominations, DrawerCount, count_from_data
from pos.store_day.report import CancelledSale, ReportKind, ShiftReport, TenderTotal
from pos.store_day.returns import Refund, ReturnDocument, ReturnLine
from pos.store_day.roles import Action
from pos.store_day.shift import CashMovement, Shift, ShiftClose
from pos.store_day.tenders import CardApproval
from pos.tax import TaxLine
from pos.tender import Payment

RETURN_SCHEMA = "kassa.return.v1"
RETURN_SCHEMA_V2 = "kassa.return.v2"  # v1 plus unchecked_sale_id: only for an unchecked return
RETURN_SCHEMAS = (RETURN_SCHEMA, RETURN_SCHEMA_V2)
CASH_MOVEMENT_SCHEMA = "kassa.cash_movement.v1"
APPROVAL_SCHEMA = "kassa.approval.v1"
SALE_CANCELLED_SCHEMA = "kassa.sale_cancelled.v1"
SHIFT_SCHEMA = "kassa.shift.v1"
Z_REPORT_SCHEMA = "kassa.z_report.v1"


def _check(d: dict[str, Any], schema: str) -> None:
    if d.get("schema") != schema:
        raise ValueError(f"not a {schema} message: {d.get('schema')!r}")


def _money(m: Money | None) -> str | None:
    return None if m is None else str(m.amount)


def _of(text: str, currency: str) -> Money:
    return Money(Decimal(text), currency)


def _uuid(u: uuid.UUID | None) -> str | None:
    return None if u is None else str(u)


def _uuid_from(text: str | None) -> uuid.UUID | None:
    return None if text is None else uuid.UUID(text)


def _vat(v: VatRate) -> dict[str, str]:
    return {"code": v.code, "percent": str(v.percent)}


def _vat_from(d: dict[str, str]) -> VatRate:
    return VatRate(d["code"], Decimal(d["percent"]))


def _tax(t: TaxLine) -> dict[str, Any]:
    return {"vat": _vat(t.vat), "gross": str(t.gross.amount), "net": str(t.net.amount), "tax": str(t.tax.amount)}


def _tax_from(d: dict[str, Any], c: str) -> TaxLine:
    return TaxLine(_vat_from(d["vat"]), _of(d["gross"], c), _of(d["net"], c), _of(d["tax"], c))


def _payment(p: Payment) -> dict[str, Any]:
    return {"payment_id": str(p.payment_id), "method": p.method, "amount": str(p.amount.amount),
            "tendered": str(p.tendered.amount), "change": str(p.change.amount)}


def _payment_from(d: dict[str, Any], c: str) -> Payment:
    return Payment(uuid.UUID(d["payment_id"]), d["method"], _of(d["amount"], c), _of(d["tendered"], c),
                   _of(d["change"], c))


def _card(card: CardApproval | None) -> dict[str, str] | None:
    if card is None:
        return None
    return {"approval_code": card.approval_code, "masked_reference": card.masked_reference,
            "terminal_reference": card.terminal_reference}


def _card_from(d: dict[str, str] | None) -> CardApproval | None:
    return None if d is None else CardApproval(d["approval_code"], d["masked_reference"], d["terminal_reference"])


# -- returns ----------------------------------------------------------------------------------
def return_to_dict(r: ReturnDocument) -> dict[str, Any]:
    """``kassa.return.v1``, or ``kassa.return.v2`` (v1 and ``unchecked_sale_id``) for an
    offline return of another till's sale the till could not check."""
    form = _return_v1(r)
    if r.unchecked_sale_id is not None:
        form["schema"] = RETURN_SCHEMA_V2
        form["unchecked_sale_id"] = str(r.unchecked_sale_id)
    return form


def _return_v1(r: ReturnDocument) -> dict[str, Any]:
    return {
        "schema": RETURN_SCHEMA, "return_id": str(r.return_id), "return_number": r.return_number,
        "store_id": r.store_id, "till_id": r.till_id, "cashier": {"id": r.cashier.cashier_id, "name": r.cashier.name},
        "returned_at": r.returned_at.isoformat(), "currency": r.currency,
        "original_sale_id": _uuid(r.original_sale_id), "original_till_id": r.original_till_id,
        "original_receipt_number": r.original_receipt_number,
        "lines": [
            {"line_id": str(l.line_id), "sold_line_id": _uuid(l.sold_line_id), "product_code": l.product_code,
             "barcode": l.barcode, "name": l.name, "quantity": str(l.quantity), "unit_price": _money(l.unit_price),
             "total": _money(l.total), "vat": _vat(l.vat), "sold_by_weight": l.sold_by_weight}
            for l in r.lines
        ],
        "taxes": [_tax(t) for t in r.taxes], "total": _money(r.total), "rounding": _money(r.rounding),
        "refunds": [
            {"payment": _payment(f.payment), "original_payment_id": _uuid(f.original_payment_id), "card": _card(f.card)}
            for f in r.refunds
        ],
        "approval_ids": [str(a) for a in r.approval_ids], "reason": r.reason, "exchange_sale_id": _uuid(r.exchange_sale_id),
    }


def return_from_dict(d: dict[str, Any]) -> ReturnDocument:
    if d.get("schema") not in RETURN_SCHEMAS:
        raise ValueError(f"not a {RETURN_SCHEMA} or {RETURN_SCHEMA_V2} message: {d.get('schema')!r}")
    unchecked = uuid.UUID(d["unchecked_sale_id"]) if d["schema"] == RETURN_SCHEMA_V2 else None
    c = d["currency"]
    return ReturnDocument(
        return_id=uuid.UUID(d["return_id"]), return_number=int(d["return_number"]), store_id=d["store_id"],
        till_id=d["till_id"], cashier=Cashier(d["cashier"]["id"], d["cashier"]["name"]),
        returned_at=datetime.fromisoformat(d["returned_at"]), currency=c,
        original_sale_id=_uuid_from(d["original_sale_id"]), original_till_id=d["original_till_id"],
        original_receipt_number=int(d["original_receipt_number"]),
        lines=tuple(
            ReturnLine(uuid.UUID(l["line_id"]), _uuid_from(l["sold_line_id"]), l["product_code"], l["barcode"],
                       l["name"], Decimal(l["quantity"]), _of(l["unit_price"], c), _of(l["total"], c),
                       _vat_from(l["vat"]), bool(l["sold_by_weight"]))
            for l in d["lines"]
        ),
        taxes=tuple(_tax_from(t, c) for t in d["taxes"]), total=_of(d["total"], c), rounding=_of(d["rounding"], c),
        refunds=tuple(
            Refund(_payment_from(f["payment"], c), _uuid_from(f["original_payment_id"]), _card_from(f["card"]))
            for f in d["refunds"]
        ),
        approval_ids=tuple(uuid.UUID(a) for a in d["approval_ids"]), reason=d["reason"],
        exchange_sale_id=_uuid_from(d["exchange_sale_id"]), unchecked_sale_id=unchecked,
    )


# -- cash movements, approvals, cancelled sales -------------------------------------------------
def cash_movement_to_dict(m: CashMovement) -> dict[str, Any]:
    return {"schema": CASH_MOVEMENT_SCHEMA, "movement_id": str(m.movement_id), "shift_id": str(m.shift_id),
            "number": m.number, "direction": m.direction, "amount": _money(m.amount), "currency": m.amount.currency,
            "reason": m.reason, "by": m.by, "at": m.at.isoformat(), "approval_id": _uuid(m.approval_id)}


def cash_movement_from_dict(d: dict[str, Any]) -> CashMovement:
    _check(d, CASH_MOVEMENT_SCHEMA)
    return CashMovement(uuid.UUID(d["movement_id"]), uuid.UUID(d["shift_id"]), int(d["number"]), d["direction"],
                        _of(d["amount"], d["currency"]), d["reason"], d["by"], datetime.fromisoformat(d["at"]),
                        _uuid_from(d["approval_id"]))


def approval_to_dict(a: ApprovalRecord) -> dict[str, Any]:
    return {"schema": APPROVAL_SCHEMA, "approval_id": str(a.approval_id), "action": a.action.value,
            "amount": _money(a.amount), "currency": a.amount.currency if a.amount else None,
            "sale_id": _uuid(a.sale_id), "line_id": _uuid(a.line_id), "requested_by": a.requested_by,
            "approved_by": a.approved_by, "reason": a.reason, "requested_at": a.requested_at.isoformat(),
            "approved_at": a.approved_at.isoformat()}


def approval_from_dict(d: dict[str, Any]) -> ApprovalRecord:
    _check(d, APPROVAL_SCHEMA)
    amount = None if d["amount"] is None else _of(d["amount"], d["currency"])
    return ApprovalRecord(uuid.UUID(d["approval_id"]), Action(d["action"]), amount, _uuid_from(d["sale_id"]),
                          _uuid_from(d["line_id"]), d["requested_by"], d["approved_by"], d["reason"],
                          datetime.fromisoformat(d["requested_at"]), datetime.fromisoformat(d["approved_at"]))


def cancelled_sale_to_dict(x: CancelledSale) -> dict[str, Any]:
    return {"schema": SALE_CANCELLED_SCHEMA, "sale_id": str(x.sale_id), "cashier_id": x.cashier_id,
            "cancelled_at": x.cancelled_at.isoformat(), "total": _money(x.total), "currency": x.total.currency,
            "line_count": x.line_count, "approval_id": _uuid(x.approval_id)}


def cancelled_sale_from_dict(d: dict[str, Any]) -> CancelledSale:
    _check(d, SALE_CANCELLED_SCHEMA)
    return CancelledSale(uuid.UUID(d["sale_id"]), d["cashier_id"], datetime.fromisoformat(d["cancelled_at"]),
                         _of(d["total"], d["currency"]), int(d["line_count"]), _uuid_from(d["approval_id"]))


# -- shifts and Z reports ---------------------------------------------------------------------
def shift_opened_to_dict(s: Shift) -> dict[str, Any]:
    return {"schema": SHIFT_SCHEMA, "event": "opened", "shift_id": str(s.shift_id), "store_id": s.store_id,
            "till_id": s.till_id, "currency": s.currency, "by": s.opened_by, "at": s.opened_at.isoformat(),
            "float": s.opening_float.to_data(), "float_total": _money(s.opening_float.total)}


def shift_closed_to_dict(s: Shift, closed: ShiftClose) -> dict[str, Any]:
    return {"schema": SHIFT_SCHEMA, "event": "closed", "shift_id": str(s.shift_id), "store_id": s.store_id,
            "till_id": s.till_id, "currency": s.currency, "by": closed.closed_by, "at": closed.closed_at.isoformat(),
            "counted": closed.counted.to_data(), "counted_total": _money(closed.counted.total),
            "expected": _money(closed.expected), "variance": _money(closed.variance)}


def shift_close_from_dict(d: dict[str, Any], denominations: Denominations) -> ShiftClose:
    _check(d, SHIFT_SCHEMA)
    if d.get("event") != "closed":
        raise ValueError("not a shift closing")
    counted: DrawerCount = count_from_data(denominations, d["counted"])
    return ShiftClose(counted, _of(d["expected"], d["currency"]), d["by"], datetime.fromisoformat(d["at"]))


def z_report_to_dict(r: ShiftReport) -> dict[str, Any]:
    return {
        "schema": Z_REPORT_SCHEMA, "kind": r.kind.value, "shift_id": str(r.shift_id), "z_number": r.z_number,
        "currency": r.currency, "sales_count": r.sales_count, "sales_total": _money(r.sales_total),
        "sales_rounding": _money(r.sales_rounding), "returns_count": r.returns_count,
        "returns_total": _money(r.returns_total), "returns_rounding": _money(r.returns_rounding),
        "voided_lines_count": r.voided_lines_count, "voided_lines_total": _money(r.voided_lines_total),
        "cancelled_count": r.cancelled_count, "cancelled_total": _money(r.cancelled_total),
        "discounts_total": _money(r.discounts_total),
        "tenders": [{"method": t.method, "taken": _money(t.taken), "refunded": _money(t.refunded)} for t in r.tenders],
        "cash_in": _money(r.cash_in), "cash_out": _money(r.cash_out), "vat": [_tax(t) for t in r.vat],
        "first_receipt": r.first_receipt, "last_receipt": r.last_receipt, "first_return": r.first_return,
        "last_return": r.last_return, "opening_float": _money(r.opening_float),
        "expected_cash": _money(r.expected_cash),
    }


def z_report_from_dict(d: dict[str, Any]) -> ShiftReport:
    _check(d, Z_REPORT_SCHEMA)
    c = d["currency"]

    def m(key: str) -> Money:
        return _of(d[key], c)

    return ShiftReport(
        kind=ReportKind(d["kind"]), shift_id=uuid.UUID(d["shift_id"]), z_number=int(d["z_number"]), currency=c,
        sales_count=int(d["sales_count"]), sales_total=m("sales_total"), sales_rounding=m("sales_rounding"),
        returns_count=int(d["returns_count"]), returns_total=m("returns_total"),
        returns_rounding=m("returns_rounding"), voided_lines_count=int(d["voided_lines_count"]),
        voided_lines_total=m("voided_lines_total"), cancelled_count=int(d["cancelled_count"]),
        cancelled_total=m("cancelled_total"), discounts_total=m("discounts_total"),
        tenders=tuple(TenderTotal(t["method"], _of(t["taken"], c), _of(t["refunded"], c)) for t in d["tenders"]),
        cash_in=m("cash_in"), cash_out=m("cash_out"), vat=tuple(_tax_from(t, c) for t in d["vat"]),
        first_receipt=d["first_receipt"], last_receipt=d["last_receipt"], first_return=d["first_return"],
        last_return=d["last_return"], opening_float=m("opening_float"), expected_cash=m("expected_cash"),
    )
