"""A store's day document as the hub reads it: the envelope (schema, document_id, series,
number) against the body, the body through ``pos.store_day.forms`` and its sums.

``check_document`` returns a ``Checked`` document or raises ``DocumentProblem`` with the
reason and a detail naming what is wrong.  Nothing here touches the database: what only
the hub knows (was that sale sold here, and how much of it is back already) is decided in
``central.documents_intake`` inside the storing transaction.

The document_id is the body's own id, so one document sent under two ids is still one:
return_id, movement_id, approval_id, the cancelled sale's sale_id, the Z report's shift_id,
and for a shift event uuid5(shift_id, event).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from central.customer_identifications import read_identification
from central.customer_registrations import read_registration
from central.stores import TillIdentity
from central.wire_types import INT_MAX, SEQ_MAX, bad_text_in
from pos.customer_identified import IDENTIFIED_SCHEMA, IDENTIFIED_SERIES
from pos.customers import REGISTRATION_SCHEMA, REGISTRATION_SERIES
from pos.errors import PosError
from pos.money import Money, money_sum
from pos.store_day import forms
from pos.store_day.report import ReportKind, ShiftReport
from pos.store_day.returns import ReturnDocument
from pos.store_day.shift import CASH_IN, CASH_OUT
from pos.tender import CASH

SERIES = {
    forms.RETURN_SCHEMA: "return",
    forms.RETURN_SCHEMA_V2: "return",  # an unchecked return (central/reconciling.py)
    forms.CASH_MOVEMENT_SCHEMA: "cash_movement",
    forms.APPROVAL_SCHEMA: "approval",
    forms.SALE_CANCELLED_SCHEMA: "sale_cancelled",
    forms.SHIFT_SCHEMA: "shift",
    forms.Z_REPORT_SCHEMA: "z_report",
    REGISTRATION_SCHEMA: REGISTRATION_SERIES,  # a customer registered at a till (central/customer_registrations.py)
    IDENTIFIED_SCHEMA: IDENTIFIED_SERIES,  # a customer identified at a till (central/customer_identifications.py)
}
NUMBERED = {"return", "cash_movement", "z_report"}
SHIFT_EVENTS = ("opened", "closed")
_READ_ERRORS = (KeyError, TypeError, ValueError, ArithmeticError, AttributeError, IndexError, PosError)


class DocumentProblem(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True, slots=True)
class Checked:
    index: int
    document_id: str
    schema: str
    series: str
    number: int | None  # None for an unnumbered series
    body: dict[str, Any]
    payload: str  # the body as JSON text
    read: Any  # ReturnDocument, ShiftReport, the shift body, or the parsed form

    @property
    def returned(self) -> ReturnDocument | None:
        return self.read if isinstance(self.read, ReturnDocument) else None


def _schema(detail: str) -> DocumentProblem:
    return DocumentProblem("schema", detail)


def check_document(index: int, document_id: Any, schema: Any, series: Any, number: int, body: Any,
                   till: TillIdentity) -> Checked:
    if not isinstance(document_id, str) or not _is_uuid(document_id):
        raise _schema(f"document_id: {str(document_id)[:60]!r} is not a UUID in its lower-case text form")
    if schema not in SERIES:
        raise _schema(f"schema: {str(schema)[:60]!r} is not one of {', '.join(sorted(SERIES))}")
    if series != SERIES[schema]:
        raise _schema(f"series: {str(series)[:40]!r} is not {SERIES[schema]!r}, the series of {schema}")
    if not isinstance(body, dict):
        raise _schema("body: not a JSON object")
    if body.get("schema") != schema:
        raise _schema(f"body.schema: {str(body.get('schema'))[:60]!r} is not {schema!r}")
    if bad := bad_text_in(body):
        raise _schema(f"body.{bad[0]}: {bad[1]}")
    payload = _payload(body)
    numbered = SERIES[schema] in NUMBERED
    if numbered and not 1 <= number <= SEQ_MAX:
        raise _schema(f"number: {number} is not a number of the {series} series (1 to {SEQ_MAX})")
    if not numbered and number != 0:
        raise _schema(f"number: {series} documents are not numbered: send 0, not {number}")
    try:
        read, key, body_number = _READERS[schema](body, till)
    except DocumentProblem:
        raise
    except _READ_ERRORS as error:
        raise _schema(f"body: {schema} cannot be read ({type(error).__name__}: {str(error)[:200]})") from None
    if numbered and body_number != number:
        raise _schema(f"number: {number} is not the body's number {body_number}")
    if key != document_id:
        raise _schema(f"document_id: {document_id} is not the document's own id {key}")
    return Checked(index, document_id, schema, series, number if numbered else None, body, payload, read)


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def _payload(body: dict[str, Any]) -> str:
    try:
        return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError as error:
        raise _schema(f"body: not plain JSON: {error}") from None
    except RecursionError:
        raise _schema("body: nested too deeply") from None


def _require(condition: bool, detail: str) -> None:
    if not condition:
        raise _schema(f"body: {detail}")


def _text(value: Any, name: str, *, empty: bool = False, longest: int = 200) -> str:
    _require(isinstance(value, str) and (empty or value != "") and len(value) <= longest,
             f"{name} must be text of {0 if empty else 1} to {longest} characters")
    return str(value)


def _whole(value: Any, name: str, lowest: int = 0, highest: int = SEQ_MAX) -> int:
    _require(isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= highest,
             f"{name} must be a whole number from {lowest}")
    return int(value)


def _minor(amount: Money, name: str, *, positive: bool = False) -> int:
    _require(amount.amount.is_finite() and (amount.amount > 0 if positive else amount.amount >= 0),
             f"{name} must be {'more than' if positive else 'at least'} zero, not {amount.amount}")
    try:
        return amount.minor_units()
    except ValueError as error:
        raise _schema(f"body: {name}: {error}") from None


def _own_till(body: dict[str, Any], till: TillIdentity) -> None:
    if (body.get("store_id"), body.get("till_id")) != (till.store_id, till.till_id):
        raise DocumentProblem("wrong_till", f"a document of {str(body.get('store_id'))[:64]}/"
                                            f"{str(body.get('till_id'))[:64]} sent by {till}")


def _return(body: dict[str, Any], till: TillIdentity) -> tuple[Any, str, int]:
    _own_till(body, till)
    r = forms.return_from_dict(body)
    _whole(body["return_number"], "return_number", 1)
    _text(r.reason, "reason", empty=True)
    _require(len(r.lines) > 0, "a return has at least one line")
    if body["schema"] == forms.RETURN_SCHEMA_V2:
        _require(r.original_sale_id is None, "an unchecked return (unchecked_sale_id) names no original_sale_id")
        _text(r.original_till_id, "original_till_id", longest=64)
    for n, line in enumerate(r.lines):
        places = line.quantity.as_tuple().exponent
        _require(isinstance(places, int) and places >= -3 and 0 < line.quantity < 1_000_000,
                 f"lines.{n}.quantity must be more than 0 with at most 3 decimals")
        _minor(line.total, f"lines.{n}.total")
        _require((line.sold_line_id is None) == (r.original_sale_id is None),
                 f"lines.{n}.sold_line_id must be given exactly when original_sale_id is")
        if r.unchecked_sale_id is not None:
            _text(line.product_code, f"lines.{n}.product_code", longest=64)
    _require(len({line.line_id for line in r.lines}) == len(r.lines), "two lines have one line_id")
    _require(len({line.sold_line_id for line in r.lines if line.sold_line_id}) ==
             len([line for line in r.lines if line.sold_line_id]), "two lines return one sold line")
    c = r.currency
    _minor(r.total, "total")
    _require(money_sum([line.total for line in r.lines], c) == r.total,
             f"total {r.total.amount} is not the sum of the lines")
    _require(money_sum([t.gross for t in r.taxes], c) == r.total, "the VAT lines' gross is not the total")
    refunded = money_sum([_checked_refund(f.payment.amount, n) for n, f in enumerate(r.refunds)], c)
    _require(refunded == r.total + r.rounding,
             f"the refunds ({refunded.amount}) are not the total plus its rounding ({(r.total + r.rounding).amount})")
    return r, str(r.return_id), int(body["return_number"])


def _checked_refund(amount: Money, n: int) -> Money:
    _minor(amount, f"refunds.{n}.payment.amount")
    return amount


def _cash_movement(body: dict[str, Any], _till: TillIdentity) -> tuple[Any, str, int]:
    m = forms.cash_movement_from_dict(body)
    _whole(body["number"], "number", 1)
    _require(m.direction in (CASH_IN, CASH_OUT), f"direction must be {CASH_IN!r} or {CASH_OUT!r}")
    _minor(m.amount, "amount", positive=True)
    _text(m.reason, "reason")
    _text(m.by, "by", longest=64)
    return m, str(m.movement_id), int(body["number"])


def _approval(body: dict[str, Any], _till: TillIdentity) -> tuple[Any, str, int]:
    a = forms.approval_from_dict(body)
    _text(a.requested_by, "requested_by", longest=64)
    _text(a.approved_by, "approved_by", longest=64)
    _require(a.requested_by != a.approved_by, "nobody approves their own request")
    if a.amount is not None:
        _minor(a.amount, "amount")
    return a, str(a.approval_id), 0


def _sale_cancelled(body: dict[str, Any], _till: TillIdentity) -> tuple[Any, str, int]:
    x = forms.cancelled_sale_from_dict(body)
    _whole(body["line_count"], "line_count")
    _minor(x.total, "total")
    _text(x.cashier_id, "cashier_id", longest=64)
    return x, str(x.sale_id), 0


def _drawer_total(pieces: Any, currency: str, name: str) -> Money:
    _require(isinstance(pieces, dict), f"{name} must be an object of denomination: pieces")
    total = Money.zero(currency)
    for value, count in pieces.items():
        _whole(count, f"{name}.{value}")
        denomination = Decimal(value)
        _require(denomination.is_finite() and denomination > 0, f"{name}: {value!r} is not a denomination")
        total = total + Money(denomination * count, currency)
    return total


def _shift(body: dict[str, Any], till: TillIdentity) -> tuple[Any, str, int]:
    _own_till(body, till)
    shift_id = uuid.UUID(body["shift_id"])
    event = body["event"]
    _require(event in SHIFT_EVENTS, f"event must be one of {', '.join(SHIFT_EVENTS)}")
    currency = _text(body["currency"], "currency", longest=3)
    _text(body["by"], "by", longest=64)
    at = datetime.fromisoformat(body["at"])
    _require(at.tzinfo is not None, "at must have a UTC offset")
    if event == "opened":
        counted = _drawer_total(body["float"], currency, "float")
        _require(Money.of(body["float_total"], currency) == counted, "float_total is not the sum of the float")
    else:
        counted = _drawer_total(body["counted"], currency, "counted")
        _require(Money.of(body["counted_total"], currency) == counted, "counted_total is not the sum of the count")
        expected = Money.of(body["expected"], currency)
        _require(Money.of(body["variance"], currency) == counted - expected,
                 "variance is not counted_total minus expected")
    return body, str(uuid.uuid5(shift_id, event)), 0


def _z_report(body: dict[str, Any], _till: TillIdentity) -> tuple[Any, str, int]:
    r: ShiftReport = forms.z_report_from_dict(body)
    _require(r.kind is ReportKind.Z, "an X report is not sent: kind must be 'Z'")
    _whole(body["z_number"], "z_number", 1)
    for name in ("sales_count", "returns_count", "voided_lines_count", "cancelled_count"):
        _whole(body[name], name, highest=INT_MAX)
    for name in ("sales_total", "returns_total", "cash_in", "cash_out", "opening_float", "cancelled_total",
                 "voided_lines_total"):
        _minor(getattr(r, name), name)
    c = r.currency
    _require(money_sum([t.taken for t in r.tenders], c) == r.sales_total + r.sales_rounding,
             "the tenders taken are not the sales total plus its rounding")
    _require(money_sum([t.refunded for t in r.tenders], c) == r.returns_total + r.returns_rounding,
             "the tenders refunded are not the returns total plus its rounding")
    _require(money_sum([t.gross for t in r.vat], c) == r.net_total, "the VAT lines' gross is not sales less returns")
    cash = money_sum([t.net for t in r.tenders if t.method == CASH], c)
    _require(r.opening_float + cash + r.cash_in - r.cash_out == r.expected_cash,
             "expected_cash is not the float plus cash taken less refunded plus cash in less cash out")
    return r, str(r.shift_id), int(body["z_number"])


_READERS: dict[str, Callable[[dict[str, Any], TillIdentity], tuple[Any, str, int]]] = {
    forms.RETURN_SCHEMA: _return,
    forms.RETURN_SCHEMA_V2: _return,
    forms.CASH_MOVEMENT_SCHEMA: _cash_movement,
    forms.APPROVAL_SCHEMA: _approval,
    forms.SALE_CANCELLED_SCHEMA: _sale_cancelled,
    forms.SHIFT_SCHEMA: _shift,
    forms.Z_REPORT_SCHEMA: _z_report,
    REGISTRATION_SCHEMA: read_registration,
    IDENTIFIED_SCHEMA: read_identification,
}
