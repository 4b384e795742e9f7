"""The X and Z reports as data, computed from a shift's documents: sales, returns, cancelled
sales, cash movements and the opening float.  An X report can be made at any time and
changes nothing; a Z report closes the shift and gets a gapless number per till from the
journal (0 here).  ``reconcile`` recomputes every total another way (from lines, refunds
and payments rather than document totals) and lists what disagrees: a Z report whose list
is not empty must not be printed or sent.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos.catalog import VatRate
from pos.money import Money, money_sum, round_money
from pos.sale import Sale
from pos.store_day.returns import ReturnDocument
from pos.store_day.shift import CASH_IN, CASH_OUT, CashMovement
from pos.tax import TaxLine
from pos.tender import CASH


class ReportKind(enum.Enum):
    X = "X"
    Z = "Z"


@dataclass(frozen=True, slots=True)
class CancelledSale:
    """A whole sale cancelled before payment (its own journal record, under its permission)."""

    sale_id: uuid.UUID
    cashier_id: str
    cancelled_at: datetime
    total: Money  # what its lines came to when cancelled
    line_count: int
    approval_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class DayDocuments:
    shift_id: uuid.UUID
    currency: str
    opening_float: Money
    sales: tuple[Sale, ...] = ()
    returns: tuple[ReturnDocument, ...] = ()
    cancelled: tuple[CancelledSale, ...] = ()
    movements: tuple[CashMovement, ...] = ()


@dataclass(frozen=True, slots=True)
class TenderTotal:
    method: str
    taken: Money  # settled by this tender on sales (change already given back)
    refunded: Money  # paid back on returns

    @property
    def net(self) -> Money:
        return self.taken - self.refunded


@dataclass(frozen=True, slots=True)
class ShiftReport:
    kind: ReportKind
    shift_id: uuid.UUID
    z_number: int  # 0 for an X report, and until the journal numbers a Z
    currency: str
    sales_count: int
    sales_total: Money  # line totals of the sales
    sales_rounding: Money  # cash rounding on sales
    returns_count: int
    returns_total: Money
    returns_rounding: Money
    voided_lines_count: int
    voided_lines_total: Money
    cancelled_count: int
    cancelled_total: Money
    discounts_total: Money  # what promotions took off the sales' lines (voided lines gave none; returns leave it)
    tenders: tuple[TenderTotal, ...]
    cash_in: Money
    cash_out: Money
    vat: tuple[TaxLine, ...]  # per rate: sales minus returns
    first_receipt: int | None
    last_receipt: int | None
    first_return: int | None
    last_return: int | None
    opening_float: Money
    expected_cash: Money

    @property
    def net_total(self) -> Money:
        return self.sales_total - self.returns_total


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    return money_sum(list(amounts), currency)


def _vat_by_rate(docs: DayDocuments) -> tuple[TaxLine, ...]:
    zero = Money.zero(docs.currency)
    rows: dict[VatRate, tuple[Money, Money, Money]] = {}

    def add(tax: TaxLine, sign: int) -> None:
        gross, net, vat = rows.get(tax.vat, (zero, zero, zero))
        s = Decimal(sign)
        rows[tax.vat] = (gross + tax.gross.times(s), net + tax.net.times(s), vat + tax.tax.times(s))

    for sale in docs.sales:
        for tax in sale.taxes:
            add(tax, 1)
    for ret in docs.returns:
        for tax in ret.taxes:
            add(tax, -1)
    return tuple(TaxLine(rate, *rows[rate]) for rate in sorted(rows, key=lambda r: (r.code, r.percent)))


def _tenders(docs: DayDocuments) -> tuple[TenderTotal, ...]:
    zero = Money.zero(docs.currency)
    taken: dict[str, Money] = {}
    refunded: dict[str, Money] = {}
    for sale in docs.sales:
        for p in sale.payments:
            taken[p.method] = taken.get(p.method, zero) + p.amount
    for ret in docs.returns:
        for r in ret.refunds:
            refunded[r.payment.method] = refunded.get(r.payment.method, zero) + r.payment.amount
    return tuple(TenderTotal(m, taken.get(m, zero), refunded.get(m, zero)) for m in sorted(taken.keys() | refunded.keys()))


def expected_cash(docs: DayDocuments) -> Money:
    """What the drawer should hold: the float, cash taken, less cash refunded, plus cash in, less cash out."""
    cash = next((t.net for t in _tenders(docs) if t.method == CASH), Money.zero(docs.currency))
    return docs.opening_float + cash + _sum((m.signed for m in docs.movements), docs.currency)


def _numbers(numbers: list[int]) -> tuple[int | None, int | None]:
    return (min(numbers), max(numbers)) if numbers else (None, None)


def compute_report(kind: ReportKind, docs: DayDocuments) -> ShiftReport:
    c = docs.currency
    voided = [line for sale in docs.sales for line in sale.lines if line.voided]
    first_receipt, last_receipt = _numbers([s.receipt_number for s in docs.sales])
    first_return, last_return = _numbers([r.return_number for r in docs.returns])
    return ShiftReport(
        kind=kind, shift_id=docs.shift_id, z_number=0, currency=c,
        sales_count=len(docs.sales), sales_total=_sum((s.total for s in docs.sales), c),
        sales_rounding=_sum((s.rounding for s in docs.sales), c),
        returns_count=len(docs.returns), returns_total=_sum((r.total for r in docs.returns), c),
        returns_rounding=_sum((r.rounding for r in docs.returns), c),
        voided_lines_count=len(voided), voided_lines_total=_sum((line.total for line in voided), c),
        cancelled_count=len(docs.cancelled), cancelled_total=_sum((x.total for x in docs.cancelled), c),
        discounts_total=_sum((s.discount for s in docs.sales), c), tenders=_tenders(docs),
        cash_in=_sum((m.amount for m in docs.movements if m.direction == CASH_IN), c),
        cash_out=_sum((m.amount for m in docs.movements if m.direction == CASH_OUT), c),
        vat=_vat_by_rate(docs), first_receipt=first_receipt, last_receipt=last_receipt,
        first_return=first_return, last_return=last_return,
        opening_float=docs.opening_float, expected_cash=expected_cash(docs),
    )


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One total that the documents do not bear out (plain words for the log and IT)."""

    what: str
    in_report: Any
    from_documents: Any


def reconcile(report: ShiftReport, docs: DayDocuments) -> tuple[Mismatch, ...]:
    """Check the report against the documents another way round; empty when it reconciles."""
    c = docs.currency
    sold_lines = _sum((line.total for s in docs.sales for line in s.lines if not line.voided), c)
    paid = _sum((p.amount for s in docs.sales for p in s.payments), c)
    returned_lines = _sum((line.total for r in docs.returns for line in r.lines), c)
    refunded = _sum((r.payment.amount for d in docs.returns for r in d.refunds), c)
    cash_moved = _sum((m.signed for m in docs.movements), c)
    taken_off = _sum((round_money(line.unit_price.times(line.quantity)) - line.total
                      for s in docs.sales for line in s.lines if not line.voided), c)
    checks: list[tuple[str, Any, Any]] = [
        ("sales count", report.sales_count, len({s.sale_id for s in docs.sales})),
        ("returns count", report.returns_count, len({r.return_id for r in docs.returns})),
        ("sales total (from lines)", report.sales_total, sold_lines),
        ("sales paid (from payments)", report.sales_total + report.sales_rounding, paid),
        ("returns total (from lines)", report.returns_total, returned_lines),
        ("returns refunded (from refunds)", report.returns_total + report.returns_rounding, refunded),
        ("tenders net", _sum((t.net for t in report.tenders), c), paid - refunded),
        ("VAT gross", _sum((t.gross for t in report.vat), c), sold_lines - returned_lines),
        ("VAT net + tax", _sum((t.net + t.tax for t in report.vat), c), sold_lines - returned_lines),
        ("discounts (from prices)", report.discounts_total, taken_off),
        ("cash in - cash out", report.cash_in - report.cash_out, cash_moved),
        ("expected cash", report.expected_cash,
         docs.opening_float + _sum((p.amount for s in docs.sales for p in s.payments if p.method == CASH), c)
         - _sum((r.payment.amount for d in docs.returns for r in d.refunds if r.payment.method == CASH), c)
         + cash_moved),
    ]
    for numbers, first, last, name in (
        (sorted(s.receipt_number for s in docs.sales), report.first_receipt, report.last_receipt, "receipt numbers"),
        (sorted(r.return_number for r in docs.returns), report.first_return, report.last_return, "return numbers"),
    ):
        checks.append((f"first and last {name}", (first, last), (numbers[0], numbers[-1]) if numbers else (None, None)))
        if numbers:
            checks.append((f"{name} without gaps", list(range(numbers[0], numbers[-1] + 1)), numbers))
    return tuple(Mismatch(what, mine, theirs) for what, mine, theirs in checks if mine != theirs)
