"""The X and Z reports on paper: a ``ShiftReport`` (``pos.store_day.report``) laid out as rows
for the receipt printer, in the store's language, on 80 mm (42 characters) or 58 mm (32).

Pure layout, like ``pos.receipt_layout`` (whose ``Lines`` it shares): hardware/ turns the
rows into ESC/POS bytes or a picture.  A Z report says its number and, when the drawer was
counted, expected against counted and the variance; an X report says at its top and at its
end that it closes nothing.  A reprint is marked COPY.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos.i18n import N_
from pos.money import Money
from pos.receipt import StoreInfo
from pos.receipt_layout import GLUE, LABELS, Lines, ReceiptDocument, Row
from pos.store_day.drawer import DrawerCount
from pos.store_day.report import ReportKind, ShiftReport
from pos.store_day.shift import Shift

REPORT_LABELS: dict[str, str] = {
    **LABELS,
    "z_title": N_("Z REPORT No. {number}"),
    "x_title": N_("X REPORT"),
    "x_mark": N_("X REPORT — NOT A CLOSE"),
    "shift": N_("Shift {shift}"),
    "opened": N_("Opened {when}"),
    "closed": N_("Closed {when}"),
    "by": N_("by {who}"),
    "printed": N_("Printed {when}"),
    "sales": N_("Sales"),
    "returns": N_("Returns"),
    "net_sales": N_("Net sales"),
    "voided_lines": N_("Voided lines"),
    "cancelled": N_("Cancelled sales"),
    "discounts": N_("Discounts"),
    "rounding_sales": N_("Cash rounding, sales"),
    "rounding_returns": N_("Cash rounding, returns"),
    "tenders": N_("TENDERS"),
    "taken": N_("Taken"),
    "refunded": N_("Refunded"),
    "tender_net": N_("Net"),
    "cash_in": N_("Cash in"),
    "cash_out": N_("Cash out"),
    "vat_heading": N_("VAT BY RATE"),
    "receipts_range": N_("Receipts No. {first} to {last}"),
    "returns_range": N_("Returns No. {first} to {last}"),
    "no_receipts": N_("No receipts"),
    "no_returns": N_("No returns"),
    "float": N_("Float"),
    "expected": N_("Expected cash"),
    "counted": N_("Counted cash"),
    "variance": N_("Variance"),
}


@dataclass(frozen=True, slots=True)
class ReportPrintout:
    """A report and what the paper says around it: who opened and closed the shift and when,
    the blind count of the drawer (a Z), when it was printed, and whether it is a copy."""

    report: ShiftReport
    store: StoreInfo
    printed_at: datetime
    opened_by: str = ""
    opened_at: datetime | None = None
    closed_by: str = ""
    closed_at: datetime | None = None
    counted: Money | None = None
    is_copy: bool = False

    @property
    def variance(self) -> Money | None:
        """Counted minus expected: negative when cash is missing."""
        return None if self.counted is None else self.counted - self.report.expected_cash


def report_printout(report: ShiftReport, store: StoreInfo, printed_at: datetime, *, shift: Shift | None = None,
                    counted: Money | DrawerCount | None = None, copy: bool = False) -> ReportPrintout:
    """The printout of ``report``; ``shift`` gives who opened and closed it and when (and the
    closing count, unless ``counted`` is given)."""
    if isinstance(counted, DrawerCount):
        counted = counted.total
    closed = shift.closed if shift is not None else None
    if counted is None and closed is not None and report.kind is ReportKind.Z:
        counted = closed.counted.total
    return ReportPrintout(
        report=report, store=store, printed_at=printed_at,
        opened_by=shift.opened_by if shift else "", opened_at=shift.opened_at if shift else None,
        closed_by=closed.closed_by if closed else "", closed_at=closed.closed_at if closed else None,
        counted=counted, is_copy=copy,
    )


def layout_report(printout: ReportPrintout, width: int = 42) -> ReceiptDocument:
    return ReceiptDocument(tuple(_ReportLayout(printout, width).rows()), width)


class _ReportLayout(Lines):
    labels = REPORT_LABELS

    def __init__(self, printout: ReportPrintout, width: int) -> None:
        super().__init__(printout.store, width)
        self.printout = printout
        self.report = printout.report

    def count(self, key: str, count: int, amount: Money, amount_width: int = 0) -> list[Row]:
        """A label, then how many and their amount; ``amount_width`` keeps the counts of
        several rows in one column (the amounts being right-aligned)."""
        return self.pair(self.label(key), [str(count), self.amount(amount).rjust(amount_width, GLUE)])

    def sum(self, key: str, amount: Money, *, bold: bool = False) -> list[Row]:
        return self.pair(self.label(key), [self.amount(amount)], bold=bold)

    def rows(self) -> list[Row]:
        rows = self.head()
        rows += self.documents()
        rows += self.tenders()
        rows += self.vat()
        rows += self.numbers()
        rows += self.cash()
        rows.append(self.rule())
        rows += self.text(self.label("printed", when=self.when(self.printout.printed_at)), "center")
        rows += self.marks()
        return rows

    def marks(self) -> list[Row]:
        rows = []
        if self.printout.is_copy:
            rows += self.text(f"*** {self.label('copy')} ***", "center", bold=True)
        if self.report.kind is ReportKind.X:
            rows += self.text(self.label("x_mark"), "center", bold=True)
        return rows

    def head(self) -> list[Row]:
        p, r = self.printout, self.report
        rows = self.store_header()
        rows.append(self.blank())
        if r.kind is ReportKind.Z:
            rows += self.text(self.label("z_title", number=r.z_number), "center", bold=True, double=True)
        else:
            rows += self.text(self.label("x_title"), "center", bold=True, double=True)
        rows += self.marks()
        rows.append(self.blank())
        rows += self.pair(self.label("till", till=p.store.till_id), [self.label("shift", shift=r.shift_id.hex[:8])])
        for key, when, who in (("opened", p.opened_at, p.opened_by), ("closed", p.closed_at, p.closed_by)):
            if when is not None:
                by = self.label("by", who=who) if who else ""
                rows += self.pair(self.label(key, when=self.when(when)), [by])
        rows.append(self.rule())
        return rows

    def documents(self) -> list[Row]:
        r = self.report
        counted = (("sales", r.sales_count, r.sales_total), ("returns", r.returns_count, -r.returns_total),
                   ("voided_lines", r.voided_lines_count, r.voided_lines_total),
                   ("cancelled", r.cancelled_count, r.cancelled_total))
        width = max(len(self.amount(amount)) for _key, _count, amount in counted)
        rows = self.count(*counted[0], width) + self.count(*counted[1], width)
        rows += self.sum("net_sales", r.net_total, bold=True)
        rows += self.count(*counted[2], width) + self.count(*counted[3], width)
        rows += self.sum("discounts", r.discounts_total)
        rows += self.sum("rounding_sales", r.sales_rounding)
        rows += self.sum("rounding_returns", r.returns_rounding)
        rows.append(self.rule())
        return rows

    def tenders(self) -> list[Row]:
        rows = self.text(self.label("tenders"), bold=True)
        for tender in self.report.tenders:
            rows += self.pair(self.method(tender.method), [self.amount(tender.net)], bold=True)
            if not tender.refunded.is_zero():
                rows += self.pair(self.label("taken"), [self.amount(tender.taken)], indent=2)
                rows += self.pair(self.label("refunded"), [self.amount(-tender.refunded)], indent=2)
        rows += self.sum("cash_in", self.report.cash_in)
        rows += self.sum("cash_out", -self.report.cash_out)
        rows.append(self.rule())
        return rows

    def vat(self) -> list[Row]:
        if not self.report.vat:
            return []
        rows = self.text(self.label("vat_heading"), bold=True)
        rows += self.taxes(self.report.vat)
        rows.append(self.rule())
        return rows

    def numbers(self) -> list[Row]:
        r = self.report
        rows = []
        for first, last, key, none in ((r.first_receipt, r.last_receipt, "receipts_range", "no_receipts"),
                                       (r.first_return, r.last_return, "returns_range", "no_returns")):
            if first is None or last is None:
                rows += self.text(self.label(none))
            else:
                rows += self.text(self.label(key, first=first, last=last))
        rows.append(self.rule())
        return rows

    def cash(self) -> list[Row]:
        r, p = self.report, self.printout
        rows = self.sum("float", r.opening_float)
        rows += self.sum("expected", r.expected_cash, bold=True)
        if p.counted is not None and p.variance is not None:
            rows += self.sum("counted", p.counted, bold=True)
            variance = self.amount(p.variance)
            if p.variance.amount > 0:
                variance = "+" + variance
            rows += self.pair(self.label("variance"), [f"{variance}{GLUE}{r.currency}"], bold=True, double=True)
        return rows
